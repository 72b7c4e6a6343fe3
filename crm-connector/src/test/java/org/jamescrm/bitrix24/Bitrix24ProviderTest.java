package org.jamescrm.bitrix24;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jamescrm.settings.InvalidSettingsException;
import org.jamescrm.testing.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code <bitrix24>} element as administrators write it: the webhook URL Bitrix24 shows may be
 * pasted whole; a webhook path where the portal belongs is refused; a code is never echoed.
 */
class Bitrix24ProviderTest {
    static final String CODE = "k7d2m9x4q1w8e5r3";

    private static Bitrix24Configuration bitrix24(String element) {
        return (Bitrix24Configuration) Settings.of("<connector>bitrix24</connector><bitrix24>" + element + "</bitrix24>").connector()
            .settings();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "the URL alone|<webhook>https://company.bitrix24.com/rest/7/" + CODE + "/</webhook>",
        "the URL without its last slash|<webhook>https://company.bitrix24.com/rest/7/" + CODE + "</webhook>",
        "the URL of a method, as the portal's example shows it|<webhook>https://company.bitrix24.com/rest/7/" + CODE + "/profile.json</webhook>",
        "the URL beside the same portal|<portal>https://company.bitrix24.com</portal><webhook> https://company.bitrix24.com/rest/7/" + CODE + "/ </webhook>",
    })
    void aPastedWebhookUrlShouldGiveThePortalTheUserAndTheCode(String title, String element) {
        Bitrix24Configuration configuration = bitrix24(element);

        assertThat(configuration.portal()).isEqualTo("https://company.bitrix24.com");
        assertThat(configuration.auth()).isEqualTo(new Bitrix24Auth.Webhook(7, CODE));
        assertThat(configuration.secrets()).containsExactly(CODE);
    }

    @Test
    void aWebhookPathInThePortalShouldBeRefusedWithoutEchoingTheCode() {
        assertThatThrownBy(() -> bitrix24("<portal>https://company.bitrix24.com/rest/7/" + CODE + "/</portal>"
                + "<webhook user=\"7\" code=\"" + CODE + "\"/>"))
            .isInstanceOf(InvalidSettingsException.class)
            .hasMessageContaining("key 'bitrix24.portal' holds a webhook path (company.bitrix24.com/rest/…)")
            .hasMessageNotContaining(CODE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not a webhook URL|<webhook>https://company.bitrix24.com/" + CODE + "</webhook>|key 'bitrix24.webhook' is not a Bitrix24 webhook URL (company.bitrix24.com…)",
        "another portal than <portal>|<portal>https://other.bitrix24.com</portal><webhook>https://company.bitrix24.com/rest/7/" + CODE + "/</webhook>|key 'bitrix24.webhook' names the portal company.bitrix24.com and key 'bitrix24.portal' other.bitrix24.com",
    })
    void aWrongWebhookShouldNameTheKeyAndNeverTheCode(String title, String element, String message) {
        assertThatThrownBy(() -> bitrix24(element)).isInstanceOf(InvalidSettingsException.class)
            .hasMessageContaining(message).hasMessageNotContaining(CODE);
    }
}

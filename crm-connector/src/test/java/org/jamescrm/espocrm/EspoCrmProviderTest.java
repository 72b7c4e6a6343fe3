package org.jamescrm.espocrm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.jamescrm.settings.CaptureSettings;
import org.jamescrm.testing.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code <espocrm>} element: every key, its defaults, its mistakes named with their key. */
class EspoCrmProviderTest {

    private static EspoCrmConfiguration espocrm(String element) {
        CaptureSettings settings = Settings.of("<connector>espocrm</connector>" + element);
        return (EspoCrmConfiguration) settings.connector().settings();
    }

    @Test
    void everyKeyShouldBeRead() {
        EspoCrmConfiguration configuration = espocrm("<espocrm><url>https://crm.company.example/</url><apiKey>k-123456</apiKey>"
            + "<secretKey>s-654321</secretKey><requestsInFlight>8</requestsInFlight><timeout>10 seconds</timeout></espocrm>");

        assertThat(configuration).isEqualTo(new EspoCrmConfiguration("https://crm.company.example", "k-123456",
            java.util.Optional.of("s-654321"), 8, Duration.ofSeconds(10)));
        assertThat(configuration.secrets()).containsExactlyInAnyOrder("k-123456", "s-654321");
        assertThat(configuration.toString()).doesNotContain("k-123456", "s-654321");
    }

    @Test
    void theApiKeyAloneShouldTakeTheDefaults() {
        EspoCrmConfiguration configuration = espocrm("<espocrm><url>https://crm.company.example</url><apiKey>k-123456</apiKey></espocrm>");

        assertThat(configuration).isEqualTo(EspoCrmConfiguration.apiKey("https://crm.company.example", "k-123456"));
        assertThat(configuration.requestsInFlight()).isEqualTo(4);
        assertThat(configuration.secrets()).containsExactly("k-123456");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "''|key 'espocrm' is missing",
        "<espocrm><apiKey>k</apiKey></espocrm>|key 'espocrm.url' is missing",
        "<espocrm><url>https://crm.company.example</url></espocrm>|key 'espocrm.apiKey' is missing",
        "<espocrm><url>https://crm.company.example</url><apiKey>k</apiKey><requestsInFlight>0</requestsInFlight></espocrm>"
            + "|key 'espocrm.requestsInFlight' has value '0'",
        "<espocrm><url>https://crm.company.example</url><apiKey>k</apiKey><apikey>k</apikey></espocrm>"
            + "|unknown key 'espocrm.apikey'; allowed keys: url, apiKey, secretKey, requestsInFlight, timeout",
        "<espocrm><url>https://crm.company.example</url><apiKey>${env:ESPO_KEY_THAT_IS_NOT_SET}</apiKey></espocrm>"
            + "|ESPO_KEY_THAT_IS_NOT_SET",
    })
    void mistakesShouldBeNamedWithTheirKey(String element, String message) {
        assertThatThrownBy(() -> espocrm(element)).hasMessageContaining(message);
    }

    @Test
    void theCapabilitiesShouldBeLeadsCasesTeamsAndOneOperationARequest() {
        assertThat(new EspoCrmProvider().capabilities()).isEqualTo(new org.jamescrm.spi.CrmCapabilities(true, true, true, 1));
    }
}

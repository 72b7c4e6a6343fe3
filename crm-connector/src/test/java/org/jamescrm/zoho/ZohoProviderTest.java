package org.jamescrm.zoho;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;

import org.jamescrm.settings.CaptureSettings;
import org.jamescrm.spi.CrmCapabilities;
import org.jamescrm.testing.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code <zoho>} element: every key, its defaults, its mistakes named with their key. */
class ZohoProviderTest {
    private static final String REQUIRED = "<dataCentre>EU</dataCentre><clientId>1000.ABC</clientId><clientSecret>s-123456</clientSecret>"
        + "<refreshToken>1000.r-654321</refreshToken>";

    private static ZohoConfiguration zoho(String element) {
        CaptureSettings settings = Settings.of("<connector>zoho</connector>" + element);
        return (ZohoConfiguration) settings.connector().settings();
    }

    @Test
    void everyKeyShouldBeRead() {
        ZohoConfiguration configuration = zoho("<zoho>" + REQUIRED + "<concurrency>15</concurrency><workflows>off</workflows>"
            + "<timeout>10 seconds</timeout><accountsUrl>https://accounts.private.example/</accountsUrl>"
            + "<apiUrl>https://sandbox.zohoapis.eu</apiUrl></zoho>");

        assertThat(configuration).isEqualTo(new ZohoConfiguration(ZohoDataCentre.EU, "1000.ABC", "s-123456", "1000.r-654321",
            Optional.of("https://accounts.private.example"), Optional.of("https://sandbox.zohoapis.eu"), 15, false, Duration.ofSeconds(10)));
        assertThat(configuration.secrets()).containsExactlyInAnyOrder("s-123456", "1000.r-654321");
        assertThat(configuration.toString()).doesNotContain("s-123456", "1000.r-654321");
    }

    @Test
    void theRequiredKeysAloneShouldTakeTheDefaultsAndTheDataCentresHosts() {
        ZohoConfiguration configuration = zoho("<zoho>" + REQUIRED + "</zoho>");

        assertThat(configuration).isEqualTo(ZohoConfiguration.of(ZohoDataCentre.EU, "1000.ABC", "s-123456", "1000.r-654321"));
        assertThat(configuration.concurrency()).isEqualTo(10);
        assertThat(configuration.workflows()).isTrue();
        assertThat(configuration.accounts()).isEqualTo("https://accounts.zoho.eu");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "''|key 'zoho' is missing",
        "<zoho><clientId>1000.A</clientId><clientSecret>s</clientSecret><refreshToken>r</refreshToken></zoho>"
            + "|key 'zoho.dataCentre' is missing; allowed values: the data centre where the refresh token was made: US, EU, IN, AU, JP, CN, CA, SA",
        "<zoho><dataCentre>DE</dataCentre></zoho>|key 'zoho.dataCentre' has value 'DE'; allowed values: US, EU, IN, AU, JP, CN, CA, SA",
        "<zoho><dataCentre>EU</dataCentre><clientSecret>s</clientSecret><refreshToken>r</refreshToken></zoho>|key 'zoho.clientId' is missing",
        "<zoho><dataCentre>EU</dataCentre><clientId>1000.A</clientId><refreshToken>r</refreshToken></zoho>|key 'zoho.clientSecret' is missing",
        "<zoho><dataCentre>EU</dataCentre><clientId>1000.A</clientId><clientSecret>s</clientSecret></zoho>|key 'zoho.refreshToken' is missing",
        "<zoho>" + REQUIRED + "<concurrency>0</concurrency></zoho>|key 'zoho.concurrency' has value '0'",
        "<zoho>" + REQUIRED + "<workflows>no</workflows></zoho>|key 'zoho.workflows' has value 'no'; allowed values: on, off",
        "<zoho>" + REQUIRED + "<accountsUrl>accounts.zoho.eu</accountsUrl></zoho>|key 'zoho.accountsUrl' has value 'accounts.zoho.eu'",
        "<zoho>" + REQUIRED + "<datacentre>EU</datacentre></zoho>|unknown key 'zoho.datacentre'; allowed keys: dataCentre, clientId, "
            + "clientSecret, refreshToken, concurrency, workflows, timeout, accountsUrl, apiUrl",
        "<zoho><dataCentre>EU</dataCentre><clientId>1000.A</clientId><clientSecret>${env:ZOHO_SECRET_THAT_IS_NOT_SET}</clientSecret>"
            + "<refreshToken>r</refreshToken></zoho>|ZOHO_SECRET_THAT_IS_NOT_SET",
    })
    void mistakesShouldBeNamedWithTheirKey(String element, String message) {
        assertThatThrownBy(() -> zoho(element)).hasMessageContaining(message);
    }

    @Test
    void theCapabilitiesShouldBeLeadsNoCasesYetAndAHundredRecordsARequest() {
        assertThat(new ZohoProvider().capabilities()).isEqualTo(new CrmCapabilities(true, false, 100));
    }
}

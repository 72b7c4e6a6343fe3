package org.jamescrm.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.settings.CaptureSettings;
import org.jamescrm.spi.CrmCapabilities;
import org.jamescrm.testing.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code <salesforce>} element: every key, its defaults, its mistakes named with their key. */
class SalesforceProviderTest {
    static final String PEM = TestKeys.pkcs8Pem().strip();

    @TempDir
    static Path folder;

    private static SalesforceConfiguration salesforce(String element) {
        CaptureSettings settings = Settings.of("<connector>salesforce</connector>" + element);
        return (SalesforceConfiguration) settings.connector().settings();
    }

    private static Path keyFile() throws IOException {
        Path file = folder.resolve("salesforce-key.pem");
        Files.writeString(file, PEM);
        return file;
    }

    @Test
    void everyKeyOfTheJwtBearerFlowShouldBeRead() throws IOException {
        SalesforceConfiguration configuration = salesforce("<salesforce><loginUrl>https://acme.my.salesforce.com/</loginUrl>"
            + "<clientId>3MVG9abc</clientId><username>capture@company.example</username><privateKey>" + keyFile() + "</privateKey>"
            + "<audience>https://test.salesforce.com</audience><apiVersion>64.0</apiVersion><captureKeyField>Mail_Key__c</captureKeyField>"
            + "<externalId>true</externalId><budgetShare>80</budgetShare>"
            + "<users><user address=\"rep@company.example\" id=\"005xx000001Sv6wAAC\"/></users>"
            + "<requestsInFlight>10</requestsInFlight><timeout>20 seconds</timeout></salesforce>");

        assertThat(configuration).isEqualTo(new SalesforceConfiguration("https://acme.my.salesforce.com", "3MVG9abc",
            new SalesforceConfiguration.JwtBearer("capture@company.example", PEM, "https://test.salesforce.com"), "64.0", "Mail_Key__c", true,
            80, Map.of(EmailAddress.of("rep@company.example"), "005xx000001Sv6wAAC"), 10, Duration.ofSeconds(20)));
        assertThat(configuration.secrets()).contains(PEM);
        assertThat(configuration.toString()).doesNotContain(PemKeys.secretLines(PEM).get(1));
    }

    @Test
    void theClientCredentialsFlowShouldTakeTheDefaults() {
        SalesforceConfiguration configuration = salesforce("<salesforce><loginUrl>https://acme.my.salesforce.com</loginUrl>"
            + "<clientId>3MVG9abc</clientId><clientSecret>cs-1234567890</clientSecret></salesforce>");

        assertThat(configuration).isEqualTo(SalesforceConfiguration.clientCredentials("https://acme.my.salesforce.com", "3MVG9abc",
            "cs-1234567890"));
        assertThat(configuration.apiVersion()).isEqualTo("66.0");
        assertThat(configuration.budgetShare()).isEqualTo(90);
        assertThat(configuration.requestsInFlight()).isEqualTo(25);
        assertThat(configuration.secrets()).containsExactly("cs-1234567890");
        assertThat(configuration.toString()).doesNotContain("cs-1234567890");
    }

    @Test
    void thePrivateKeyShouldAlsoComeAsPemTextAndTheAudienceDefaultToTheLoginUrl() {
        SalesforceConfiguration configuration = salesforce("<salesforce><loginUrl>https://login.salesforce.com</loginUrl>"
            + "<clientId>3MVG9abc</clientId><username>capture@company.example</username><privateKey>" + PEM + "</privateKey></salesforce>");

        assertThat(configuration.auth()).isEqualTo(new SalesforceConfiguration.JwtBearer("capture@company.example", PEM,
            "https://login.salesforce.com"));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "''|key 'salesforce' is missing",
        "<salesforce><clientId>c</clientId><clientSecret>s</clientSecret></salesforce>|key 'salesforce.loginUrl' is missing",
        "<salesforce><loginUrl>https://login.salesforce.com</loginUrl><clientSecret>s</clientSecret></salesforce>"
            + "|key 'salesforce.clientId' is missing",
        "<salesforce><loginUrl>https://login.salesforce.com</loginUrl><clientId>c</clientId></salesforce>"
            + "|key 'salesforce.privateKey' is missing",
        "<salesforce><loginUrl>https://login.salesforce.com</loginUrl><clientId>c</clientId><username>u@x.example</username></salesforce>"
            + "|key 'salesforce.privateKey' is missing",
        "<salesforce><loginUrl>https://login.salesforce.com</loginUrl><clientId>c</clientId><privateKey>/nowhere/key.pem</privateKey>"
            + "</salesforce>|key 'salesforce.privateKey' has value '/nowhere/key.pem'",
        "<salesforce><loginUrl>https://login.salesforce.com</loginUrl><clientId>c</clientId><username>u@x.example</username>"
            + "<privateKey>-----BEGIN RSA PRIVATE KEY----- abc -----END RSA PRIVATE KEY-----</privateKey></salesforce>|PKCS#1",
        "<salesforce><loginUrl>https://login.salesforce.com</loginUrl><clientId>c</clientId><clientSecret>s</clientSecret>"
            + "<username>u@x.example</username></salesforce>|cannot be combined",
        "<salesforce><loginUrl>https://login.salesforce.com</loginUrl><clientId>c</clientId><clientSecret>s</clientSecret>"
            + "<budgetShare>120</budgetShare></salesforce>|key 'salesforce.budgetShare' has value '120'",
        "<salesforce><loginUrl>https://login.salesforce.com</loginUrl><clientId>c</clientId><clientSecret>s</clientSecret>"
            + "<apiVersion>v66</apiVersion></salesforce>|key 'salesforce.apiVersion' has value 'v66'",
        "<salesforce><loginUrl>https://login.salesforce.com</loginUrl><clientId>c</clientId><clientSecret>s</clientSecret>"
            + "<captureKeyField>CaptureKey</captureKeyField></salesforce>|key 'salesforce.captureKeyField' has value 'CaptureKey'",
        "<salesforce><loginUrl>https://login.salesforce.com</loginUrl><clientId>c</clientId><clientSecret>s</clientSecret>"
            + "<users><user address=\"rep@company.example\" id=\"42\"/></users></salesforce>|key 'salesforce.users.user@id' has value '42'",
        "<salesforce><loginUrl>https://login.salesforce.com</loginUrl><clientId>c</clientId><clientSecret>s</clientSecret>"
            + "<secret>s</secret></salesforce>|unknown key 'salesforce.secret'",
        "<salesforce><loginUrl>https://login.salesforce.com</loginUrl><clientId>c</clientId>"
            + "<clientSecret>${env:SALESFORCE_SECRET_THAT_IS_NOT_SET}</clientSecret></salesforce>|SALESFORCE_SECRET_THAT_IS_NOT_SET",
    })
    void mistakesShouldBeNamedWithTheirKey(String element, String message) {
        assertThatThrownBy(() -> salesforce(element)).hasMessageContaining(message);
    }

    @Test
    void theCapabilitiesShouldBeLeadsNoCasesYetAndTwoHundredRecordsACall() {
        assertThat(new SalesforceProvider().capabilities()).isEqualTo(new CrmCapabilities(true, false, 200));
    }
}

package org.jamescrm.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.jamescrm.model.EmailAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.jamescrm.spi.ConnectorProviders;

/** The settings file: what the product ships, what each key means, and an exact error for each mistake. */
class SettingsValidationTest {

    private static CaptureSettings parse(String body) {
        return new SettingsParser(ConnectorProviders.load()).parse(new ByteArrayInputStream(("<crmcapture>" + body + "</crmcapture>")
            .getBytes(StandardCharsets.UTF_8)), "conf/crm-capture.xml");
    }

    @Test
    void theShippedSettingsFileShouldBeValid() {
        CaptureSettings settings = new SettingsParser(ConnectorProviders.load()).parse(Path.of("../james-config/src/main/conf/crm-capture.xml"));

        assertThat(settings.connector().name()).isEqualTo("memory");
        assertThat(((org.jamescrm.memory.MemorySettings) settings.connector().settings()).users()).extracting(org.jamescrm.memory.MemoryUser::email)
            .containsExactly(EmailAddress.of("alice@company.example"), EmailAddress.of("bob@company.example"));
        assertThat(settings.defaults()).isEqualTo(MailboxSettings.defaults());
    }

    @Test
    void aMailboxShouldInheritWhatItDoesNotSetFromTheDefaults() {
        CaptureSettings settings = parse("<defaults><leadSource>WEB</leadSource><body>text</body></defaults>"
            + "<mailbox address=\"Sales@Company.example\" group=\"true\"><distribution>round-robin</distribution>"
            + "<queue>alice@company.example,bob@company.example</queue></mailbox>");

        MailboxSettings sales = settings.forMailbox(EmailAddress.of("sales@company.example"));
        assertThat(sales.leadSource()).isEqualTo("WEB");
        assertThat(sales.body()).isEqualTo(BodyMode.TEXT);
        assertThat(sales.distribution()).isEqualTo(DistributionRule.ROUND_ROBIN);
        assertThat(sales.queue()).containsExactly(EmailAddress.of("alice@company.example"), EmailAddress.of("bob@company.example"));
        assertThat(settings.isGroupMailbox(EmailAddress.of("sales@company.example"))).isTrue();
        assertThat(settings.forMailbox(EmailAddress.of("alice@company.example")).distribution()).isEqualTo(DistributionRule.MAILBOX_OWNER);
    }

    @Test
    void sizesFloodAndFiltersShouldBeRead() {
        CaptureSettings settings = parse("<defaults><attachmentLimit>500KB</attachmentLimit></defaults>"
            + "<flood><captures>5</captures><window>30 minutes</window></flood>"
            + "<filter name=\"jira\" field=\"header:X-JIRA-FingerPrint\" pattern=\".\"/>");

        assertThat(settings.defaults().attachmentLimitBytes()).isEqualTo(500 * 1024);
        assertThat(settings.flood()).isEqualTo(new FloodLimit(5, Duration.ofMinutes(30)));
        assertThat(settings.filters()).singleElement().satisfies(filter -> {
            assertThat(filter.name()).isEqualTo("jira");
            assertThat(filter.headerName()).isEqualTo("x-jira-fingerprint");
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "<connector>memroy</connector>|key 'connector' has value 'memroy'; allowed values: bitrix24, espocrm, memory, salesforce, zoho",
        "<connector>bitrix24</connector>|key 'bitrix24' is missing; allowed values: the <bitrix24> element with the portal and a webhook or OAuth application (required by connector bitrix24)",
        "<bitrix24><webhook user=\"1\" code=\"x\"/></bitrix24>|key 'bitrix24.portal' is missing; allowed values: the portal's URL, e.g. https://company.bitrix24.com",
        "<bitrix24><portal>company.bitrix24.com</portal></bitrix24>|key 'bitrix24.portal' has value 'company.bitrix24.com'; allowed values: an http or https URL, e.g. https://company.bitrix24.com",
        "<bitrix24><portal>https://c.bitrix24.com</portal><webhook user=\"0\" code=\"x\"/></bitrix24>|key 'bitrix24.webhook@user' has value '0'; allowed values: a whole number of at least 1",
        "<bitrix24><portal>https://c.bitrix24.com</portal><webhook user=\"1\" code=\"${env:NO_SUCH_VARIABLE_X}\"/></bitrix24>|key 'bitrix24.webhook@code' refers to the environment variable NO_SUCH_VARIABLE_X, which is not set; allowed values: the secret itself or ${env:NAME} of a set variable",
        "<bitrix24><portal>https://c.bitrix24.com</portal><webhook user=\"1\" code=\"x\"/><oauth clientId=\"a\" clientSecret=\"b\" refreshToken=\"c\"/></bitrix24>|key 'bitrix24.oauth' comes with another authentication; allowed: one of webhook, oauth",
        "<bitrix24><portal>https://c.bitrix24.com</portal><webhook user=\"1\" code=\"x\"/><rate perSecond=\"fast\" burst=\"50\"/></bitrix24>|key 'bitrix24.rate@perSecond' has value 'fast'; allowed values: a whole number of at least 1",
        "<conector>memory</conector>|unknown key 'conector'; allowed keys: connector, internal, neverLog, filter, flood, captureAddress, trustedNetworks, defaults, mailbox, group, store, bitrix24, espocrm, memory, salesforce, zoho",
        "<defaults><integration>yes</integration></defaults>|key 'defaults.integration' has value 'yes'; allowed values: on, off",
        "<defaults><leadless>1</leadless></defaults>|key 'defaults.leadless' has value '1'; allowed values: true, false",
        "<defaults><repeatSale>always</repeatSale></defaults>|key 'defaults.repeatSale' has value 'always'; allowed values: off, lead, deal",
        "<defaults><distribution>random</distribution></defaults>|key 'defaults.distribution' has value 'random'; allowed values: mailbox-owner, direct, round-robin, least-busy",
        "<defaults><body>html</body></defaults>|key 'defaults.body' has value 'html'; allowed values: full, text, headers",
        "<defaults><attachmentLimit>big</attachmentLimit></defaults>|key 'defaults.attachmentLimit' has value 'big'; allowed values: a size such as 500KB, 24MB, 1GB or a number of bytes",
        "<defaults><distribution>direct</distribution></defaults>|key 'defaults.responsible' is missing; allowed values: the e-mail address of the employee who gets every item (required by distribution direct)",
        "<defaults><distribution>least-busy</distribution></defaults>|key 'defaults.queue' is missing; allowed values: employees' e-mail addresses, comma separated (required by distribution least-busy)",
        "<mailbox address=\"sales@company.example\" group=\"true\"/>|key 'mailbox.distribution' is mailbox-owner for a group mailbox, which has no owner; allowed values: direct, round-robin, least-busy",
        "<mailbox address=\"not-an-address\"/>|key 'mailbox@address' has value 'not-an-address'; allowed values: an e-mail address",
        "<mailbox address=\"a@company.example\"/><mailbox address=\"A@company.example\"/>|key 'mailbox' is given twice for a@company.example; allowed: once per address",
        "<defaults><body>full</body><body>text</body></defaults>|key 'defaults.body' is given twice; allowed: once",
        "<neverLog><domain>bank</domain></neverLog>|key 'neverLog.domain' has value 'bank'; allowed values: a domain name",
        "<filter name=\"x\" field=\"from\" pattern=\"a\"/>|key 'filter@field' has value 'from' in filter 'x'; allowed values: sender, recipient, subject, header:<Name>",
        "<flood><window>soon</window></flood>|key 'flood.window' has value 'soon'; allowed values: a duration such as 500 ms, 3 seconds, 30 minutes, 2 hours, 1 day",
        "<flood><captures>0</captures></flood>|key 'flood.captures' has value '0'; allowed values: a whole number of at least 1",
        "<memory><user email=\"alice@company.example\" name=\"\"/></memory>|key 'memory.user@name' is empty for alice@company.example; allowed values: the user's full name",
    })
    void everyMistakeShouldNameTheFileTheKeyAndWhatIsAllowed(String body, String expected) {
        assertThatThrownBy(() -> parse(body))
            .isInstanceOf(InvalidSettingsException.class)
            .hasMessage("conf/crm-capture.xml: " + expected);
    }

    @Test
    void aBitrix24PortalShouldTakeItsSecretFromTheEnvironmentAndNeverShowIt() {
        CaptureSettings settings = new SettingsParser(ConnectorProviders.load(), name -> name.equals("B24_CODE") ? "s3cr3t" : null).parse(new ByteArrayInputStream(
            ("<crmcapture><connector>bitrix24</connector><bitrix24><portal>https://c.bitrix24.com/</portal>"
                + "<webhook user=\"7\" code=\"${env:B24_CODE}\"/><rate perSecond=\"5\" burst=\"250\"/></bitrix24></crmcapture>")
                .getBytes(StandardCharsets.UTF_8)), "c.xml");

        org.jamescrm.bitrix24.Bitrix24Configuration bitrix24 = (org.jamescrm.bitrix24.Bitrix24Configuration) settings.connector().settings();
        assertThat(bitrix24.portal()).isEqualTo("https://c.bitrix24.com");
        assertThat(bitrix24.auth()).isEqualTo(new org.jamescrm.bitrix24.Bitrix24Auth.Webhook(7, "s3cr3t"));
        assertThat(bitrix24.requestsPerSecond()).isEqualTo(5);
        assertThat(bitrix24.burst()).isEqualTo(250);
        assertThat(bitrix24.toString()).doesNotContain("s3cr3t");
    }

    @Test
    void anInvalidRegularExpressionShouldBeNamed() {
        assertThatThrownBy(() -> parse("<filter name=\"x\" field=\"subject\" pattern=\"(unclosed\"/>"))
            .hasMessageStartingWith("conf/crm-capture.xml: key 'filter@pattern' has value '(unclosed' in filter 'x'; allowed values: a regular expression");
    }

    @Test
    void brokenXmlAWrongRootAndAMissingFileShouldBeNamed() {
        assertThatThrownBy(() -> new SettingsParser(ConnectorProviders.load()).parse(new ByteArrayInputStream("<crmcapture>".getBytes(StandardCharsets.UTF_8)), "c.xml"))
            .hasMessageStartingWith("c.xml: not well-formed XML: ");
        assertThatThrownBy(() -> new SettingsParser(ConnectorProviders.load()).parse(new ByteArrayInputStream("<settings/>".getBytes(StandardCharsets.UTF_8)), "c.xml"))
            .hasMessage("c.xml: the root element is <settings>; expected <crmcapture>");
        assertThatThrownBy(() -> new SettingsParser(ConnectorProviders.load()).parse(Path.of("no/such/crm-capture.xml")))
            .hasMessage("no/such/crm-capture.xml: the settings file does not exist");
    }

    @Test
    void internalDomainsAndAddressesShouldBeLocal() {
        AddressList internal = parse("<internal><domain>Subsidiary.example</domain><address>acc@outsourced.example</address></internal>").internal();

        assertThat(List.of("x@subsidiary.example", "acc@outsourced.example", "other@outsourced.example"))
            .map(address -> internal.contains(EmailAddress.of(address))).containsExactly(true, true, false);
    }
}

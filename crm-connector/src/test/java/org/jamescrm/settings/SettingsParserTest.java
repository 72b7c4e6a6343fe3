package org.jamescrm.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.testing.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xml.sax.SAXException;
import org.jamescrm.spi.ConnectorProviders;

/** {@code crm-capture.xml}: the shipped file, the defaults, inheritance, and an exact error for every mistake. */
class SettingsParserTest {
    static final Path PRODUCT_FILE = Path.of("../james-config/src/main/conf/crm-capture.xml");
    static final EmailAddress ALICE = EmailAddress.of("alice@company.example");
    static final EmailAddress BOB = EmailAddress.of("bob@company.example");
    static final EmailAddress SALES = EmailAddress.of("sales@company.example");

    // ---- the product file ----

    @Test
    void theProductFileShouldParse() {
        CaptureSettings settings = new SettingsParser(ConnectorProviders.load()).parse(PRODUCT_FILE);

        assertThat(settings.connector().name()).isEqualTo("memory");
    }

    @Test
    void theProductFileShouldDeclareTheInMemoryCrmUsers() {
        CaptureSettings settings = new SettingsParser(ConnectorProviders.load()).parse(PRODUCT_FILE);

        assertThat(((org.jamescrm.memory.MemorySettings) settings.connector().settings()).users()).containsExactly(new org.jamescrm.memory.MemoryUser(ALICE, "Alice Adams"), new org.jamescrm.memory.MemoryUser(BOB, "Bob Brown"));
    }

    @Test
    void theProductFileShouldDeclareTheCaptureAddress() {
        CaptureSettings settings = new SettingsParser(ConnectorProviders.load()).parse(PRODUCT_FILE);

        assertThat(settings.captureAddress()).contains(EmailAddress.of("crm@company.example"));
    }

    @Test
    void theProductFileDefaultsShouldBeTheBuiltInDefaults() {
        CaptureSettings settings = new SettingsParser(ConnectorProviders.load()).parse(PRODUCT_FILE);

        assertThat(settings.defaults()).isEqualTo(MailboxSettings.defaults());
        assertThat(settings.mailboxes()).isEmpty();
    }

    // ---- defaults when keys are absent ----

    @Test
    void anEmptyDocumentShouldGiveTheTopLevelDefaults() {
        CaptureSettings settings = Settings.document("<crmcapture/>");

        assertThat(settings.connector().name()).isEqualTo("memory");
        assertThat(((org.jamescrm.memory.MemorySettings) settings.connector().settings()).users()).isEmpty();
        assertThat(settings.internal()).isEqualTo(AddressList.none());
        assertThat(settings.neverLog()).isEqualTo(AddressList.none());
        assertThat(settings.filters()).isEmpty();
        assertThat(settings.flood()).isEqualTo(new FloodLimit(20, Duration.ofHours(2)));
        assertThat(settings.captureAddress()).isEmpty();
        assertThat(settings.mailboxes()).isEmpty();
    }

    @Test
    void anEmptyDefaultsElementShouldGiveTheDocumentedMailboxDefaults() {
        MailboxSettings defaults = Settings.of("<defaults/>").defaults();

        assertThat(defaults.integration()).isTrue();
        assertThat(defaults.excluded()).isFalse();
        assertThat(defaults.createLeadForIncoming()).isTrue();
        assertThat(defaults.createContactForOutgoing()).isTrue();
        assertThat(defaults.leadSource()).isEqualTo("EMAIL");
        assertThat(defaults.repeatSale()).isEqualTo(RepeatSaleMode.OFF);
        assertThat(defaults.leadless()).isFalse();
        assertThat(defaults.routeToAssignedManager()).isFalse();
        assertThat(defaults.distribution()).isEqualTo(DistributionRule.MAILBOX_OWNER);
        assertThat(defaults.responsible()).isEmpty();
        assertThat(defaults.queue()).isEmpty();
        assertThat(defaults.body()).isEqualTo(BodyMode.FULL);
        assertThat(defaults.attachmentLimitBytes()).isEqualTo(24L * 1024 * 1024);
        assertThat(defaults.skipAutomated()).isTrue();
        assertThat(defaults.filters()).isEmpty();
        assertThat(defaults.isGroup()).isFalse();
    }

    @Test
    void aMailboxWithoutItsOwnElementShouldGetTheDefaults() {
        CaptureSettings settings = Settings.of("<defaults><leadSource>WEB</leadSource></defaults>");

        assertThat(settings.forMailbox(ALICE)).isSameAs(settings.defaults());
    }

    // ---- per-mailbox overrides ----

    @Test
    void aMailboxShouldInheritTheKeysItDoesNotSetFromTheDefaults() {
        CaptureSettings settings = Settings.of("<defaults><leadSource>WEB</leadSource><body>text</body>"
            + "<createLeadForIncoming>false</createLeadForIncoming></defaults>"
            + "<mailbox address=\"alice@company.example\"><integration>off</integration></mailbox>");

        MailboxSettings alice = settings.forMailbox(ALICE);
        assertThat(alice.integration()).isFalse();
        assertThat(alice.leadSource()).isEqualTo("WEB");
        assertThat(alice.body()).isEqualTo(BodyMode.TEXT);
        assertThat(alice.createLeadForIncoming()).isFalse();
        assertThat(alice.attachmentLimitBytes()).as("not in <defaults> either: the built-in default").isEqualTo(24L * 1024 * 1024);
    }

    @Test
    void aMailboxValueShouldWinOverTheDefaultsValue() {
        CaptureSettings settings = Settings.of("<defaults><leadSource>WEB</leadSource></defaults>"
            + "<mailbox address=\"alice@company.example\"><leadSource>FAIR</leadSource></mailbox>");

        assertThat(settings.forMailbox(ALICE).leadSource()).isEqualTo("FAIR");
        assertThat(settings.defaults().leadSource()).isEqualTo("WEB");
    }

    @Test
    void aMailboxShouldInheritDefaultsWrittenAfterIt() {
        CaptureSettings settings = Settings.of("<mailbox address=\"alice@company.example\"><integration>off</integration></mailbox>"
            + "<defaults><leadSource>WEB</leadSource></defaults>");

        assertThat(settings.forMailbox(ALICE).leadSource()).isEqualTo("WEB");
    }

    @Test
    void aMailboxAddressShouldBeFoundWhateverItsCase() {
        CaptureSettings settings = Settings.of("<mailbox address=\"Alice@Company.EXAMPLE\"><integration>off</integration></mailbox>");

        assertThat(settings.forMailbox(ALICE).integration()).isFalse();
    }

    @Test
    void aMailboxShouldAddItsFiltersToTheDefaultsFilters() {
        CaptureSettings settings = Settings.of("<defaults><filter name=\"jira\" field=\"header:X-JIRA-FingerPrint\" pattern=\".\"/></defaults>"
            + "<mailbox address=\"alice@company.example\"><filter name=\"shop\" field=\"sender\" pattern=\"shop@\"/></mailbox>");

        assertThat(settings.forMailbox(ALICE).filters()).extracting(MailFilter::name).containsExactly("jira", "shop");
        assertThat(settings.defaults().filters()).extracting(MailFilter::name).containsExactly("jira");
    }

    @Test
    void aGroupMailboxShouldBeMarkedAsGroup() {
        CaptureSettings settings = Settings.of("<mailbox address=\"sales@company.example\" group=\"true\">"
            + "<distribution>round-robin</distribution><queue>alice@company.example, bob@company.example</queue></mailbox>");

        assertThat(settings.isGroupMailbox(SALES)).isTrue();
        assertThat(settings.forMailbox(SALES).queue()).containsExactly(ALICE, BOB);
        assertThat(settings.isGroupMailbox(ALICE)).isFalse();
    }

    @Test
    void theDirectRuleShouldReadItsResponsible() {
        MailboxSettings defaults = Settings.of("<defaults><distribution>direct</distribution>"
            + "<responsible>Bob@company.example</responsible></defaults>").defaults();

        assertThat(defaults.distribution()).isEqualTo(DistributionRule.DIRECT);
        assertThat(defaults.responsible()).isEqualTo(Optional.of(BOB));
    }

    @Test
    void valuesShouldBeReadWithoutTheirSurroundingWhitespace() {
        CaptureSettings settings = Settings.of("<connector>\n  memory\n</connector><defaults><leadless> true </leadless></defaults>");

        assertThat(settings.connector().name()).isEqualTo("memory");
        assertThat(settings.defaults().leadless()).isTrue();
    }

    // ---- sizes ----

    @ParameterizedTest(name = "{0} = {1} bytes")
    @CsvSource({
        "24MB, 25165824",
        "500KB, 512000",
        "1GB, 1073741824",
        "1048576, 1048576",
        "0, 0",
        "10 MB, 10485760",
        "2kb, 2048",
        "300B, 300",
    })
    void attachmentLimitSizesShouldBeReadInBytes(String size, long bytes) {
        MailboxSettings defaults = Settings.of("<defaults><attachmentLimit>" + size + "</attachmentLimit></defaults>").defaults();

        assertThat(defaults.attachmentLimitBytes()).isEqualTo(bytes);
    }

    @Test
    void floodLimitAndWindowShouldBeRead() {
        CaptureSettings settings = Settings.of("<flood><captures>5</captures><window>30 minutes</window></flood>");

        assertThat(settings.flood()).isEqualTo(new FloodLimit(5, Duration.ofMinutes(30)));
    }

    @Test
    void internalDomainsAndAddressesShouldBeReadInLowerCase() {
        CaptureSettings settings = Settings.of("<internal><domain>Subsidiary.Example</domain>"
            + "<address>Accounting@Outsourced.example</address></internal>");

        assertThat(settings.internal().domains()).containsExactly("subsidiary.example");
        assertThat(settings.internal().addresses()).containsExactly(EmailAddress.of("accounting@outsourced.example"));
    }

    // ---- every error names the source, the key and what is allowed ----

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // wrong value of a top-level key
        "<connector>memroy</connector>"
            + "|key 'connector' has value 'memroy'; allowed values: bitrix24, espocrm, memory, salesforce, zoho",
        // unknown keys
        "<defaults><createLeadForIncomming>true</createLeadForIncomming></defaults>"
            + "|unknown key 'defaults.createLeadForIncomming'; allowed keys: integration, excluded, createLeadForIncoming, "
            + "createContactForOutgoing, leadSource, repeatSale, leadless, routeToAssignedManager, distribution, responsible, queue, "
            + "body, attachmentLimit, skipAutomated, filter",
        "<mailbox address=\"alice@company.example\"><integraton>off</integraton></mailbox>"
            + "|unknown key 'mailbox.integraton'; allowed keys: integration, excluded, createLeadForIncoming, "
            + "createContactForOutgoing, leadSource, repeatSale, leadless, routeToAssignedManager, distribution, responsible, queue, "
            + "body, attachmentLimit, skipAutomated, filter",
        "<conector>memory</conector>"
            + "|unknown key 'conector'; allowed keys: connector, internal, neverLog, filter, flood, captureAddress, trustedNetworks, "
            + "defaults, mailbox, group, store, bitrix24, espocrm, memory, salesforce, zoho",
        "<internal><domains>subsidiary.example</domains></internal>"
            + "|unknown key 'internal.domains'; allowed keys: domain, address",
        "<flood><limit>5</limit></flood>"
            + "|unknown key 'flood.limit'; allowed keys: captures, window",
        // bad boolean
        "<defaults><createLeadForIncoming>yes</createLeadForIncoming></defaults>"
            + "|key 'defaults.createLeadForIncoming' has value 'yes'; allowed values: true, false",
        "<defaults><skipAutomated>TRUE</skipAutomated></defaults>"
            + "|key 'defaults.skipAutomated' has value 'TRUE'; allowed values: true, false",
        "<mailbox address=\"sales@company.example\" group=\"yes\"/>"
            + "|key 'mailbox@group' has value 'yes'; allowed values: true, false",
        // bad on/off
        "<defaults><integration>true</integration></defaults>"
            + "|key 'defaults.integration' has value 'true'; allowed values: on, off",
        "<mailbox address=\"alice@company.example\"><integration>disabled</integration></mailbox>"
            + "|key 'mailbox.integration' has value 'disabled'; allowed values: on, off",
        // bad size
        "<defaults><attachmentLimit>24 megabytes</attachmentLimit></defaults>"
            + "|key 'defaults.attachmentLimit' has value '24 megabytes'; allowed values: a size such as 500KB, 24MB, 1GB or a number of bytes",
        "<defaults><attachmentLimit>1.5MB</attachmentLimit></defaults>"
            + "|key 'defaults.attachmentLimit' has value '1.5MB'; allowed values: a size such as 500KB, 24MB, 1GB or a number of bytes",
        "<defaults><attachmentLimit>-1</attachmentLimit></defaults>"
            + "|key 'defaults.attachmentLimit' has value '-1'; allowed values: a size such as 500KB, 24MB, 1GB or a number of bytes",
        "<defaults><attachmentLimit>2TB</attachmentLimit></defaults>"
            + "|key 'defaults.attachmentLimit' has value '2TB'; allowed values: a size such as 500KB, 24MB, 1GB or a number of bytes",
        // bad body mode and other word lists
        "<defaults><body>html</body></defaults>"
            + "|key 'defaults.body' has value 'html'; allowed values: full, text, headers",
        "<defaults><repeatSale>on</repeatSale></defaults>"
            + "|key 'defaults.repeatSale' has value 'on'; allowed values: off, lead, deal",
        "<defaults><distribution>roundrobin</distribution></defaults>"
            + "|key 'defaults.distribution' has value 'roundrobin'; allowed values: mailbox-owner, direct, round-robin, least-busy",
        "<defaults><leadSource> </leadSource></defaults>"
            + "|key 'defaults.leadSource' is empty; allowed values: any non-empty text",
        // duplicate keys and mailboxes
        "<connector>memory</connector><connector>memory</connector>"
            + "|key 'connector' is given twice; allowed: once",
        "<defaults/><defaults/>"
            + "|key 'defaults' is given twice; allowed: once",
        "<defaults><body>full</body><body>text</body></defaults>"
            + "|key 'defaults.body' is given twice; allowed: once",
        "<mailbox address=\"alice@company.example\"/><mailbox address=\"Alice@Company.example\"/>"
            + "|key 'mailbox' is given twice for alice@company.example; allowed: once per address",
        "<memory><user email=\"alice@company.example\" name=\"Alice\"/><user email=\"ALICE@company.example\" name=\"A.\"/></memory>"
            + "|key 'memory.user' is given twice for alice@company.example; allowed: once per address",
        // invalid addresses
        "<mailbox address=\"alice\"/>"
            + "|key 'mailbox@address' has value 'alice'; allowed values: an e-mail address",
        "<mailbox/>"
            + "|key 'mailbox@address' has value ''; allowed values: an e-mail address",
        "<captureAddress>crm</captureAddress>"
            + "|key 'captureAddress' has value 'crm'; allowed values: an e-mail address",
        "<defaults><distribution>direct</distribution><responsible>bob at company.example</responsible></defaults>"
            + "|key 'defaults.responsible' has value 'bob at company.example'; allowed values: an e-mail address",
        "<defaults><distribution>round-robin</distribution><queue>alice@company.example, bob</queue></defaults>"
            + "|key 'defaults.queue' has value 'bob'; allowed values: an e-mail address",
        "<internal><address>@company.example</address></internal>"
            + "|key 'internal.address' has value '@company.example'; allowed values: an e-mail address",
        "<memory><user email=\"alice\" name=\"Alice\"/></memory>"
            + "|key 'memory.user@email' has value 'alice'; allowed values: an e-mail address",
        "<internal><domain>company</domain></internal>"
            + "|key 'internal.domain' has value 'company'; allowed values: a domain name",
    })
    void everyMistakeShouldNameTheSourceTheKeyAndWhatIsAllowed(String body, String expected) {
        assertThatThrownBy(() -> Settings.of(body))
            .isInstanceOf(InvalidSettingsException.class)
            .hasMessage("test.xml: " + expected);
    }

    @Test
    void notWellFormedXmlShouldBeNamedWithTheSource() {
        assertThatThrownBy(() -> Settings.document("<crmcapture><connector>memory</crmcapture>"))
            .isInstanceOf(InvalidSettingsException.class)
            .hasMessageStartingWith("test.xml: not well-formed XML: ")
            .hasCauseInstanceOf(SAXException.class);
    }

    @Test
    void anEmptyDocumentShouldBeNotWellFormed() {
        assertThatThrownBy(() -> Settings.document(""))
            .isInstanceOf(InvalidSettingsException.class)
            .hasMessageStartingWith("test.xml: not well-formed XML: ");
    }

    @Test
    void aDocumentTypeDeclarationShouldBeRefusedSoThatNoExternalEntityIsRead() {
        assertThatThrownBy(() -> Settings.document("<?xml version=\"1.0\"?><!DOCTYPE crmcapture ["
            + "<!ENTITY secret SYSTEM \"file:///etc/passwd\">]><crmcapture><connector>&secret;</connector></crmcapture>"))
            .isInstanceOf(InvalidSettingsException.class)
            .hasMessageStartingWith("test.xml: not well-formed XML: ")
            .hasMessageNotContaining("root:");
    }

    @Test
    void aWrongRootElementShouldBeNamed() {
        assertThatThrownBy(() -> Settings.document("<settings><connector>memory</connector></settings>"))
            .isInstanceOf(InvalidSettingsException.class)
            .hasMessage("test.xml: the root element is <settings>; expected <crmcapture>");
    }

    @Test
    void aMissingFileShouldBeNamed(@TempDir Path folder) {
        Path missing = folder.resolve("crm-capture.xml");

        assertThatThrownBy(() -> new SettingsParser(ConnectorProviders.load()).parse(missing))
            .isInstanceOf(InvalidSettingsException.class)
            .hasMessage(missing + ": the settings file does not exist");
    }

    @Test
    void anErrorInTheProductFileShouldNameItsPath(@TempDir Path folder) throws Exception {
        Path file = folder.resolve("crm-capture.xml");
        java.nio.file.Files.writeString(file, "<crmcapture><connector>memroy</connector></crmcapture>");

        assertThatThrownBy(() -> new SettingsParser(ConnectorProviders.load()).parse(file))
            .isInstanceOf(InvalidSettingsException.class)
            .hasMessage(file + ": key 'connector' has value 'memroy'; allowed values: bitrix24, espocrm, memory, salesforce, zoho");
    }

    @Test
    void anUnknownKeyShouldBeReportedEvenWhenTheRestIsValid() {
        assertThatThrownBy(() -> Settings.of("<connector>memory</connector><defaults><leadSource>WEB</leadSource>"
            + "<atachmentLimit>1MB</atachmentLimit></defaults>"))
            .isInstanceOf(InvalidSettingsException.class)
            .hasMessageStartingWith("test.xml: unknown key 'defaults.atachmentLimit'; allowed keys: ");
    }

    // ---- numbers too large, values holding elements, unknown attributes ----

    @Test
    void aSizeTooLargeForALongShouldNameTheKey() {
        assertThatThrownBy(() -> Settings.of("<defaults><attachmentLimit>99999999999999999999</attachmentLimit></defaults>"))
            .isInstanceOf(InvalidSettingsException.class)
            .hasMessage("test.xml: key 'defaults.attachmentLimit' has value '99999999999999999999'; allowed values: "
                + "a size such as 500KB, 24MB, 1GB or a number of bytes, at most 8589934591GB");
    }

    @Test
    void aSizeThatOverflowsInBytesShouldBeRefused() {
        assertThatThrownBy(() -> Settings.of("<defaults><attachmentLimit>10000000000GB</attachmentLimit></defaults>"))
            .isInstanceOf(InvalidSettingsException.class)
            .hasMessage("test.xml: key 'defaults.attachmentLimit' has value '10000000000GB'; allowed values: "
                + "a size such as 500KB, 24MB, 1GB or a number of bytes, at most 8589934591GB");
    }

    @Test
    void theLargestSizeInGigabytesShouldBeRead() {
        MailboxSettings defaults = Settings.of("<defaults><attachmentLimit>8589934591GB</attachmentLimit></defaults>").defaults();

        assertThat(defaults.attachmentLimitBytes()).isEqualTo(8589934591L * 1024 * 1024 * 1024);
    }

    @Test
    void aFloodWindowTooLargeShouldNameTheKey() {
        assertThatThrownBy(() -> Settings.of("<flood><window>99999999999999999999 hours</window></flood>"))
            .isInstanceOf(InvalidSettingsException.class)
            .hasMessage("test.xml: key 'flood.window' has value '99999999999999999999 hours'; allowed values: "
                + "a duration such as 500 ms, 3 seconds, 30 minutes, 2 hours, 1 day");
    }

    @Test
    void aFloodWindowTooLargeForADurationShouldNameTheKey() {
        assertThatThrownBy(() -> Settings.of("<flood><window>9223372036854775807 days</window></flood>"))
            .isInstanceOf(InvalidSettingsException.class)
            .hasMessage("test.xml: key 'flood.window' has value '9223372036854775807 days'; allowed values: "
                + "a duration such as 500 ms, 3 seconds, 30 minutes, 2 hours, 1 day");
    }

    @Test
    void aValueHoldingElementsShouldNameTheWholeKey() {
        assertThatThrownBy(() -> Settings.of("<defaults><leadSource><b>WEB</b></leadSource></defaults>"))
            .isInstanceOf(InvalidSettingsException.class)
            .hasMessage("test.xml: key 'defaults.leadSource' holds elements; allowed: a value only");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "<mailbox address=\"alice@company.example\"><body><full/></body></mailbox>|mailbox.body",
        "<flood><window><hours>2</hours></window></flood>|flood.window",
        "<internal><domain><name>subsidiary.example</name></domain></internal>|internal.domain",
        "<connector><memory/></connector>|connector",
    })
    void everyValueHoldingElementsShouldNameItsWholeKey(String body, String key) {
        assertThatThrownBy(() -> Settings.of(body))
            .isInstanceOf(InvalidSettingsException.class)
            .hasMessage("test.xml: key '" + key + "' holds elements; allowed: a value only");
    }

    @Test
    void aMisspelledMailboxAttributeShouldBeRefused() {
        assertThatThrownBy(() -> Settings.of("<mailbox address=\"sales@company.example\" grup=\"true\">"
            + "<distribution>round-robin</distribution><queue>alice@company.example</queue></mailbox>"))
            .isInstanceOf(InvalidSettingsException.class)
            .hasMessage("test.xml: unknown key 'mailbox@grup'; allowed keys: address, group");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // a misspelled pattern would leave an empty one, which matches every message
        "<filter name=\"app\" field=\"sender\" patern=\"noreply@\"/>"
            + "|unknown key 'filter@patern'; allowed keys: name, field, pattern",
        "<defaults><filter name=\"app\" field=\"sender\" pattern=\"noreply@\" enabled=\"false\"/></defaults>"
            + "|unknown key 'defaults.filter@enabled'; allowed keys: name, field, pattern",
        "<memory><user email=\"alice@company.example\" name=\"Alice\" role=\"admin\"/></memory>"
            + "|unknown key 'memory.user@role'; allowed keys: email, name",
        "<bitrix24><portal>https://c.bitrix24.com</portal><webhook user=\"1\" cod=\"x\"/></bitrix24>"
            + "|unknown key 'bitrix24.webhook@cod'; allowed keys: user, code",
        "<bitrix24><portal>https://c.bitrix24.com</portal><oauth clientId=\"a\" clientSecret=\"b\" token=\"c\"/></bitrix24>"
            + "|unknown key 'bitrix24.oauth@token'; allowed keys: clientId, clientSecret, refreshToken, tokenEndpoint",
        "<bitrix24><portal>https://c.bitrix24.com</portal><webhook user=\"1\" code=\"x\"/><rate perMinute=\"60\" burst=\"50\"/></bitrix24>"
            + "|unknown key 'bitrix24.rate@perMinute'; allowed keys: perSecond, burst",
        // keys holding a value or elements take no attributes
        "<defaults><integration value=\"off\">on</integration></defaults>"
            + "|unknown key 'defaults.integration@value'; allowed keys: none",
        "<connector type=\"bitrix24\">memory</connector>"
            + "|unknown key 'connector@type'; allowed keys: none",
        "<defaults group=\"true\"/>"
            + "|unknown key 'defaults@group'; allowed keys: none",
        "<flood captures=\"5\"/>"
            + "|unknown key 'flood@captures'; allowed keys: none",
    })
    void anUnknownAttributeShouldBeRefusedWithTheKeysAllowed(String body, String expected) {
        assertThatThrownBy(() -> Settings.of(body))
            .isInstanceOf(InvalidSettingsException.class)
            .hasMessage("test.xml: " + expected);
    }

    @Test
    void aMailboxWithoutOwnValuesShouldEqualTheDefaultsApartFromItsFilters() {
        CaptureSettings settings = Settings.of("<defaults><body>headers</body></defaults><mailbox address=\"alice@company.example\"/>");

        assertThat(settings.forMailbox(ALICE)).isEqualTo(settings.defaults());
        assertThat(List.copyOf(settings.mailboxes().keySet())).containsExactly(ALICE);
    }
}

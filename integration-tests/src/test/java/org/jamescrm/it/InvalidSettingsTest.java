package org.jamescrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.apache.james.GuiceJamesServer;
import org.apache.james.MemoryJamesServerMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CRM administrator's typo in conf/crm-capture.xml stops James's start, and the error names the
 * file, the key and the allowed values: no silent capture with defaults. The same holds with a CRM
 * connector plug-in installed (the recording CRM, {@link RecordingCrmJar}): it is among the connectors
 * offered, the settings are checked against what it can hold, and its own element is read strictly.
 */
class InvalidSettingsTest {
    @TempDir
    File workingDirectory;

    @Test
    void misspelledConnectorShouldStopTheStartNamingFileKeyAndAllowedValues() {
        assertStartFailsWith(xml -> replace(xml, "<connector>memory</connector>", "<connector>memroy</connector>"),
            "crm-capture.xml: key 'connector' has value 'memroy'; allowed values: bitrix24, espocrm, memory, salesforce, zoho");
    }

    @Test
    void misspelledKeyShouldStopTheStartNamingFileKeyAndAllowedKeys() {
        assertStartFailsWith(xml -> replace(xml, "<createLeadForIncoming>true</createLeadForIncoming>",
                "<createLeadForIncomming>true</createLeadForIncomming>"),
            "crm-capture.xml: unknown key 'defaults.createLeadForIncomming'; allowed keys: integration, excluded, "
                + "createLeadForIncoming, createContactForOutgoing, leadSource, repeatSale, leadless, routeToAssignedManager, "
                + "distribution, responsible, queue, body, attachmentLimit, skipAutomated, filter");
    }

    @Test
    void unknownConnectorShouldStopTheStartListingThePluginAmongTheConnectorsFound() {
        assertStartFailsWith(withRecordingCrm().edit("crm-capture.xml",
                xml -> replace(xml, "<connector>recording</connector>", "<connector>salesforse</connector>")),
            "crm-capture.xml: key 'connector' has value 'salesforse'; allowed values: bitrix24, espocrm, memory, recording, salesforce, zoho");
    }

    @Test
    void leadsAskedOfAPluginCrmWithoutLeadsShouldStopTheStartNamingKeyAndReason() {
        assertStartFailsWith(withRecordingCrm().edit("crm-capture.xml",
                xml -> replace(xml, "</crmcapture>", "  <defaults><leadless>false</leadless></defaults>\n</crmcapture>")),
            "crm-capture.xml: key 'defaults.leadless' has value 'false', which needs leads, and the CRM 'recording' has none; "
                + "allowed values: true");
    }

    @Test
    void repeatLeadsAskedOfAPluginCrmWithoutLeadsForOneMailboxShouldStopTheStartNamingKeyAndReason() {
        assertStartFailsWith(withRecordingCrm().edit("crm-capture.xml", xml -> replace(xml, "</crmcapture>",
                "  <mailbox address=\"alice@company.example\"><repeatSale>lead</repeatSale></mailbox>\n</crmcapture>")),
            "crm-capture.xml: key 'mailbox.repeatSale' has value 'lead', which needs leads, and the CRM 'recording' has none; "
                + "allowed values: off, deal");
    }

    @Test
    void casesAskedOfAPluginCrmWithoutCasesShouldStopTheStartNamingKeyAndReason() {
        assertStartFailsWith(withRecordingCrm().edit("crm-capture.xml", xml -> replace(xml, "</crmcapture>",
                "  <group address=\"support@company.example\"><distribution>round-robin</distribution>"
                    + "<queue>bob@company.example</queue><newThread>case</newThread></group>\n</crmcapture>")),
            "crm-capture.xml: key 'group.newThread' has value 'case', which needs cases, and the CRM 'recording' has none; "
                + "allowed values: defaults, lead");
    }

    @Test
    void mistakeInThePluginsOwnElementShouldStopTheStartNamingItsKeyPath() {
        assertStartFailsWith(withRecordingCrm().edit("crm-capture.xml", xml -> replace(xml,
                "<user id=\"u-bob\" email=\"bob@company.example\"", "<user id=\"u-bob\" email=\"bob.company.example\"")),
            "crm-capture.xml: key 'recording.user@email' has value 'bob.company.example'; allowed values: an e-mail address");
    }

    @Test
    void unknownKeyInThePluginsOwnElementShouldStopTheStartListingItsKeys() {
        assertStartFailsWith(withRecordingCrm().edit("crm-capture.xml", xml -> replace(xml, "<user id=\"u-bob\"", "<usr id=\"u-bob\"")),
            "crm-capture.xml: unknown key 'recording.usr'; allowed keys: file, user");
    }

    private InstalledJames withRecordingCrm() {
        return InstalledJames.withProductConfiguration().recordingCrm(workingDirectory.toPath().resolve("writes.jsonl"));
    }

    private void assertStartFailsWith(UnaryOperator<String> typo, String expectedMessage) {
        assertStartFailsWith(InstalledJames.withProductConfiguration().edit("crm-capture.xml", typo), expectedMessage);
    }

    private void assertStartFailsWith(InstalledJames installation, String expectedMessage) {
        GuiceJamesServer server = MemoryJamesServerMain.createServer(installation.install(workingDirectory));
        try {
            assertThatThrownBy(server::start)
                .satisfies(failure -> assertThat(messages(failure)).anySatisfy(message -> assertThat(message)
                    .contains(workingDirectory.toPath().resolve("conf").resolve("crm-capture.xml") + ": ")
                    .endsWith(expectedMessage)));
        } finally {
            server.stop();
        }
    }

    private static List<String> messages(Throwable failure) {
        List<String> messages = new ArrayList<>();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null) {
                messages.add(cause.getMessage());
            }
        }
        return messages;
    }

    private static String replace(String text, String target, String replacement) {
        assertThat(text).contains(target);
        return text.replace(target, replacement);
    }

}

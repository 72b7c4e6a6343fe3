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
 * file, the key and the allowed values: no silent capture with defaults.
 */
class InvalidSettingsTest {
    @TempDir
    File workingDirectory;

    @Test
    void misspelledConnectorShouldStopTheStartNamingFileKeyAndAllowedValues() {
        assertStartFailsWith(xml -> replace(xml, "<connector>memory</connector>", "<connector>memroy</connector>"),
            "crm-capture.xml: key 'connector' has value 'memroy'; allowed values: bitrix24, memory");
    }

    @Test
    void misspelledKeyShouldStopTheStartNamingFileKeyAndAllowedKeys() {
        assertStartFailsWith(xml -> replace(xml, "<createLeadForIncoming>true</createLeadForIncoming>",
                "<createLeadForIncomming>true</createLeadForIncomming>"),
            "crm-capture.xml: unknown key 'defaults.createLeadForIncomming'; allowed keys: integration, excluded, "
                + "createLeadForIncoming, createContactForOutgoing, leadSource, repeatSale, leadless, routeToAssignedManager, "
                + "distribution, responsible, queue, body, attachmentLimit, skipAutomated, filter");
    }

    private void assertStartFailsWith(UnaryOperator<String> typo, String expectedMessage) {
        GuiceJamesServer server = MemoryJamesServerMain.createServer(
            InstalledJames.withProductConfiguration().edit("crm-capture.xml", typo).install(workingDirectory));
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

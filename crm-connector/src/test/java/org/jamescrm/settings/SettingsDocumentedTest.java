package org.jamescrm.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.testing.Settings;
import org.junit.jupiter.api.Test;

/** docs/configuration.md documents every key of a mailbox and a group, and its example file is valid. */
class SettingsDocumentedTest {
    private static final Path CONFIGURATION = Path.of("..", "docs", "configuration.md");

    @Test
    void everyMailboxAndGroupKeyShouldHaveItsRowInTheConfigurationReference() throws Exception {
        String reference = Files.readString(CONFIGURATION);

        for (String key : MailboxSettings.KEYS) {
            assertThat(reference).as(key).containsPattern("\\n\\| `" + key + "`");
        }
        for (String key : GroupSettings.KEYS) {
            assertThat(reference).as(key).containsPattern("\\n\\| `" + key + "`");
        }
    }

    @Test
    void theExampleFileOfTheConfigurationReferenceShouldBeValid() throws Exception {
        Matcher example = Pattern.compile("```xml\\n(<crmcapture>.*?</crmcapture>)\\n```", Pattern.DOTALL)
            .matcher(Files.readString(CONFIGURATION));
        assertThat(example.find()).as("an example crm-capture.xml").isTrue();

        CaptureSettings settings = Settings.document(example.group(1));

        assertThat(settings.group(EmailAddress.of("support@company.example")).orElseThrow().opensCases()).isTrue();
    }
}

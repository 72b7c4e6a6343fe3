package org.jamescrm.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.settings.InvalidSettingsException;
import org.jamescrm.testing.Settings;
import org.junit.jupiter.api.Test;

/** The in-memory CRM's own element, {@code <memory>}, read by its provider. */
class InMemoryCrmProviderTest {

    private static MemorySettings memory(String element) {
        return (MemorySettings) Settings.of(element).connector().settings();
    }

    @Test
    void usersAndTheContentLimitShouldBeRead() {
        MemorySettings settings = memory("<memory><user email=\"alice@company.example\" name=\"Alice Adams\"/>"
            + "<contentLimit>16MB</contentLimit></memory>");

        assertThat(settings.users()).containsExactly(new MemoryUser(EmailAddress.of("alice@company.example"), "Alice Adams"));
        assertThat(settings.contentLimit()).isEqualTo(16L * 1024 * 1024);
        assertThat(settings.secrets()).isEmpty();
    }

    @Test
    void withoutItsElementTheInMemoryCrmShouldHaveNoUserAndTheDefaultLimit() {
        assertThat(memory("")).isEqualTo(new MemorySettings(java.util.List.of(), MemorySettings.DEFAULT_CONTENT_LIMIT));
    }

    @Test
    void aWrongContentLimitShouldNameItsKey() {
        assertThatThrownBy(() -> memory("<memory><contentLimit>lots</contentLimit></memory>"))
            .isInstanceOf(InvalidSettingsException.class)
            .hasMessage(Settings.SOURCE + ": key 'memory.contentLimit' has value 'lots'; allowed values: a size such as 500KB, 24MB, "
                + "1GB or a number of bytes");
        assertThatThrownBy(() -> memory("<memory><group/></memory>"))
            .hasMessage(Settings.SOURCE + ": unknown key 'memory.group'; allowed keys: user, contentLimit");
    }
}

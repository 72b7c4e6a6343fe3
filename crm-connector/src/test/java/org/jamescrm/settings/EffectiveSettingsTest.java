package org.jamescrm.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.spi.ConnectorProviders;
import org.junit.jupiter.api.Test;

class EffectiveSettingsTest {
    static final CaptureSettings SETTINGS = new SettingsParser(ConnectorProviders.load()).parse(new ByteArrayInputStream("""
        <crmcapture>
          <internal><domain>subsidiary.example</domain></internal>
          <filter name="app" field="sender" pattern="^noreply@app\\.example$"/>
          <defaults>
            <createLeadForIncoming>false</createLeadForIncoming>
          </defaults>
          <mailbox address="sales@company.example" group="true">
            <createLeadForIncoming>true</createLeadForIncoming>
            <distribution>round-robin</distribution>
            <queue>alice@company.example, bob@company.example</queue>
          </mailbox>
        </crmcapture>
        """.getBytes(StandardCharsets.UTF_8)), "crm-capture.xml");

    @Test
    void aMailboxWithItsOwnElementShouldShowTheDefaultsMergedAndWhatDiffers() {
        Map<String, Object> view = EffectiveSettings.of(SETTINGS, EmailAddress.of("sales@company.example"));

        assertThat(view).containsEntry("source", "mailbox").containsEntry("group", true);
        @SuppressWarnings("unchecked")
        Map<String, Object> settings = (Map<String, Object>) view.get("settings");
        assertThat(settings).containsEntry("createLeadForIncoming", true).containsEntry("distribution", "round-robin")
            .containsEntry("queue", List.of("alice@company.example", "bob@company.example")).containsEntry("integration", "on")
            .containsEntry("body", "full");
        assertThat(view.get("differsFromDefaults")).isEqualTo(List.of("createLeadForIncoming", "distribution", "queue"));
    }

    @Test
    void aMailboxWithoutItsOwnElementShouldShowTheDefaultsAndTheGlobalSettings() {
        Map<String, Object> view = EffectiveSettings.of(SETTINGS, EmailAddress.of("alice@company.example"));

        assertThat(view).containsEntry("source", "defaults").containsEntry("differsFromDefaults", List.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> global = (Map<String, Object>) view.get("global");
        assertThat(global).containsEntry("connector", "memory");
        assertThat(global.get("filters")).isEqualTo(List.of(Map.of("name", "app", "field", "sender", "pattern", "^noreply@app\\.example$")));
        assertThat(global.get("internal").toString()).contains("subsidiary.example");
    }

    @Test
    void theOverviewShouldListTheMailboxesWithTheirOwnElement() {
        assertThat(EffectiveSettings.overview(SETTINGS).get("mailboxes").toString()).isEqualTo("[sales@company.example]");
    }
}

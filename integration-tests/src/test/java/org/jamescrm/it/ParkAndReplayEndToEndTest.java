package org.jamescrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.apache.james.GuiceJamesServer;
import org.apache.james.JamesServerExtension;
import org.jamescrm.testing.TestMessages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;


/**
 * A capture that cannot happen now is parked in the capture error repository, where James's own
 * WebAdmin replays it into the capture queue; a replay captures it once and never twice.
 */
class ParkAndReplayEndToEndTest {
    static final String ALICE = "alice@company.example";
    static final Duration CAPTURE = Duration.ofSeconds(30);

    /**
     * One capture per client in any 3 seconds: the second mail of a client is parked as FLOOD. Rounds
     * start at once, so the second capture happens within the window.
     */
    @RegisterExtension
    static JamesServerExtension james = InstalledJames.withProductConfiguration()
        .edit("crm-capture.xml", xml -> xml.replace("<captureAddress>",
            "<flood><captures>1</captures><window>3 seconds</window></flood>\n  <captureAddress>"))
        .edit("mailetcontainer.xml", xml -> xml.replace("<roundWait>3 seconds</roundWait>", "<roundWait>0 s</roundWait>"))
        .extension();

    static MailClient mail;
    static WebAdminClient webAdmin;

    @BeforeAll
    static void createMailboxes(GuiceJamesServer server) throws Exception {
        InstalledJames.Clients clients = InstalledJames.connect(server, ALICE);
        mail = clients.mail();
        webAdmin = clients.webAdmin();
    }

    private static List<JsonNode> activities(String messageId) {
        return webAdmin.memory("activities", activity -> activity.path("messageId").asText().equals(messageId));
    }

    @Test
    void aParkedCaptureShouldBeReplayedOnceAndNeverDuplicated() throws Exception {
        mail.send("kim@client.example", List.of(ALICE), TestMessages.plain("kim@client.example", ALICE, "<kim-1@client.example>", "",
            "First", "One."));
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(activities("<kim-1@client.example>")).hasSize(1));
        mail.send("kim@client.example", List.of(ALICE), TestMessages.plain("kim@client.example", ALICE, "<kim-2@client.example>", "",
            "Second", "Two."));
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(webAdmin.parked()).hasSize(1));
        // newest first: parked, naming the flood decision before it
        JsonNode decisions = webAdmin.decisions("<kim-2@client.example>");
        assertThat(decisions).extracting(decision -> decision.path("reason").asText()).containsExactly("PARKED", "FLOOD");
        assertThat(decisions.get(0).path("detail").asText()).startsWith("FLOOD: ");
        assertThat(activities("<kim-2@client.example>")).isEmpty();

        // once the flood window has passed, the administrator replays the parked capture
        await().pollDelay(Duration.ofSeconds(3)).atMost(CAPTURE).untilAsserted(() -> {
            webAdmin.replayParked();
            assertThat(activities("<kim-2@client.example>")).hasSize(1);
        });
        assertThat(webAdmin.decisions("<kim-2@client.example>").get(0).path("captured").asBoolean()).isTrue();
        assertThat(webAdmin.parked()).isEmpty();
        assertThat(webAdmin.memory("leads", lead -> lead.path("email").asText().equals("kim@client.example"))).hasSize(1);
    }
}

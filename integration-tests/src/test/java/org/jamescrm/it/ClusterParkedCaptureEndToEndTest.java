package org.jamescrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.jamescrm.it.ClientMailCaptureEndToEndTest.message;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.james.JamesServerExtension;
import org.jamescrm.emulator.bitrix24.Bitrix24Emulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Two real James 3.8.1 servers of a cluster whose capture error repository is one directory both
 * mount (James's file repository, keys read from the directory): a capture parked by one server is
 * listed and replayed by the other, and captured once.
 */
class ClusterParkedCaptureEndToEndTest {
    static final String ALICE = "alice@company.example";
    static final Duration CAPTURE = Duration.ofSeconds(60);

    static final EmbeddedPostgres DATABASE = ClusterEndToEndTest.startDatabase();
    static final Bitrix24Emulator PORTAL = Bitrix24Emulator.builder().rateLimit(10, 2)
        .oauth("local.capture", "app-secret", "refresh-0").start();
    static final Path SHARED = sharedDirectory();

    /** One capture per client in any 3 seconds: a client's second mail is parked as FLOOD; rounds start at once. */
    private static JamesServerExtension node(String name) {
        return ClusterEndToEndTest.clusterNode(name, PORTAL, 10, DATABASE,
                "  <flood><captures>1</captures><window>3 seconds</window></flood>\n")
            .edit("mailetcontainer.xml", xml -> xml.replace("<roundWait>3 seconds</roundWait>", "<roundWait>0 s</roundWait>"))
            .sharedErrorRepository(SHARED)
            .extension();
    }

    @RegisterExtension
    static JamesServerExtension nodeA = node("a");

    @RegisterExtension
    static JamesServerExtension nodeB = node("b");

    static InstalledJames.Clients onA;
    static InstalledJames.Clients onB;

    private static Path sharedDirectory() {
        try {
            return Files.createTempDirectory("crm-capture-shared-error-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeAll
    static void mailboxesAndCrmUsers() throws Exception {
        PORTAL.addUser(Map.of("NAME", "Alice", "LAST_NAME", "Staff", "EMAIL", ALICE, "ACTIVE", "Y"));
        onA = InstalledJames.connect(nodeA.getGuiceJamesServer(), ALICE);
        onB = InstalledJames.connect(nodeB.getGuiceJamesServer(), ALICE);
    }

    @AfterAll
    static void stop() throws IOException {
        PORTAL.close();
        DATABASE.close();
    }

    @Test
    void aCaptureParkedByOneServerShouldBeReplayedByTheOtherOnce() throws Exception {
        onA.mail().send("kim@client.example", List.of(ALICE), message("kim@client.example", ALICE, "<kim-1@client.example>", "",
            "First", "One."));
        assertThat(onA.webAdmin().awaitDecision("<kim-1@client.example>").path("captured").asBoolean()).isTrue();
        onA.mail().send("kim@client.example", List.of(ALICE), message("kim@client.example", ALICE, "<kim-2@client.example>", "",
            "Second", "Two."));

        await().atMost(CAPTURE).untilAsserted(() -> assertThat(onB.webAdmin().parked()).as("parked by A, listed on B").hasSize(1));
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(reasons("<kim-2@client.example>")).containsExactly("PARKED", "FLOOD"));
        assertThat(PORTAL.activitiesWithOrigin("<kim-2@client.example>")).isEmpty();

        // once the flood window has passed, the administrator replays it on server B
        await().pollDelay(Duration.ofSeconds(3)).atMost(CAPTURE).untilAsserted(() -> {
            onB.webAdmin().replayParked();
            assertThat(PORTAL.activitiesWithOrigin("<kim-2@client.example>")).hasSize(1);
        });
        assertThat(onA.webAdmin().parked()).isEmpty();
        assertThat(onB.webAdmin().parked()).isEmpty();
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(onA.webAdmin().decisions("<kim-2@client.example>").get(0)
            .path("captured").asBoolean()).as("the replay's decision, seen on A").isTrue());
        onA.webAdmin().replayParked(); // nothing left to replay: nothing written twice
        assertThat(PORTAL.activitiesWithOrigin("<kim-2@client.example>")).hasSize(1);
    }

    private static List<String> reasons(String messageId) {
        List<String> reasons = new java.util.ArrayList<>();
        for (JsonNode decision : onB.webAdmin().decisions(messageId)) {
            reasons.add(decision.path("reason").asText());
        }
        return reasons;
    }
}

package org.jamescrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.jamescrm.it.ClientMailCaptureEndToEndTest.message;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.james.GuiceJamesServer;
import org.apache.james.JamesServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The shared store (PostgreSQL) down for 30 seconds while mail arrives, on a real James 3.8.1 server
 * (issue 15): every mail is delivered meanwhile, its capture waits in the capture queue, and once the
 * database is back every mail is captured exactly once.
 */
class StoreOutageEndToEndTest {
    static final String ALICE = "alice@company.example";
    static final Duration OUTAGE = Duration.ofSeconds(30);
    static final Path DATA = dataDirectory();
    static final int PORT = freePort();
    static EmbeddedPostgres database = start();

    @RegisterExtension
    static JamesServerExtension james = InstalledJames.withProductConfiguration()
        // short waits, so the test does not wait for the production schedule once the store is back
        .edit("mailetcontainer.xml", xml -> xml.replace("<retryDelays>5 seconds, 30 seconds, 2 minutes, 10 minutes, 1 hour</retryDelays>",
            "<retryDelays>1 second, 2 seconds</retryDelays><breakerProbe>2 seconds</breakerProbe><maxRetries>100</maxRetries>")
            .replace("<maxRetries>8</maxRetries>", ""))
        .captureSettings("""
            <crmcapture>
              <connector>memory</connector>
              <memory>
                <user email="alice@company.example" name="Alice Adams"/>
              </memory>
              <store>
                <postgresql>
                  <url>%s</url>
                  <user>postgres</user>
                </postgresql>
              </store>
            </crmcapture>
            """.formatted(database.getJdbcUrl("postgres", "postgres"))).extension();

    static MailClient mail;
    static WebAdminClient webAdmin;

    @BeforeAll
    static void mailboxes(GuiceJamesServer server) throws Exception {
        InstalledJames.Clients clients = InstalledJames.connect(server, ALICE);
        mail = clients.mail();
        webAdmin = clients.webAdmin();
    }

    @AfterAll
    static void stopDatabase() throws IOException {
        database.close();
    }

    @Test
    void mailShouldFlowWhileTheStoreIsDownAndEveryCaptureLandOnceWhenItIsBack() throws Exception {
        List<String> ids = new ArrayList<>();
        send(ids, 0, 5);
        for (String id : ids) {
            assertThat(webAdmin.awaitDecision(id).path("reason").asText()).isEqualTo("NEW_LEAD");
        }

        database.close();
        Instant back = Instant.now().plus(OUTAGE);
        int sent = 5;
        while (Instant.now().isBefore(back)) {
            send(ids, sent, sent + 3);
            sent += 3;
            Thread.sleep(3_000);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(mail.inbox(ALICE)).contains(ids.get(ids.size() - 1)));
        assertThat(webAdmin.memory("leads", lead -> true)).as("nothing captured while the store is down").hasSize(5);
        database = start();

        for (String id : ids) {
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(webAdmin.decisions(id)).isNotEmpty());
            assertThat(webAdmin.decisions(id)).extracting(decision -> decision.path("reason").asText()).containsOnly("NEW_LEAD");
        }
        String inbox = mail.inbox(ALICE);
        for (int i = 0; i < sent; i++) {
            String client = "outage" + i + "@client.example";
            assertThat(inbox).contains("<outage-" + i + "@client.example>");
            assertThat(webAdmin.memory("leads", lead -> lead.path("email").asText().equals(client))).as(client).hasSize(1);
            assertThat(webAdmin.memory("activities", activity -> activity.path("from").asText().equals(client))).as(client).hasSize(1);
        }
    }

    private static void send(List<String> ids, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            String client = "outage" + i + "@client.example";
            String id = "<outage-" + i + "@client.example>";
            mail.send(client, List.of(ALICE), message(client, ALICE, id, "", "Quote " + i, "Chairs?"));
            ids.add(id);
        }
    }

    private static EmbeddedPostgres start() {
        try {
            return EmbeddedPostgres.builder().setDataDirectory(DATA).setCleanDataDirectory(false).setPort(PORT).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path dataDirectory() {
        try {
            return Files.createTempDirectory("crm-store-outage-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

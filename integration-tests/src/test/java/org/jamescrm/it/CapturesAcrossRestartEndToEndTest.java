package org.jamescrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.jamescrm.it.ClientMailCaptureEndToEndTest.message;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.apache.james.GuiceJamesServer;
import org.apache.james.JamesServerExtension;
import org.jamescrm.emulator.Fault;
import org.jamescrm.emulator.bitrix24.Bitrix24Emulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * On a James whose mail queue and repositories are durable (James's ActiveMQ queue, the capture error
 * repository in James's file repository), what James accepted is captured once whatever happens to
 * James: captures still waiting for a CRM that is down when James stops are captured once after it
 * starts again on the same folders, and a parked capture is still there to be replayed. The capture
 * queue takes rounds of 5 here, so that a few dozen mails are more than it keeps in flight (a round and
 * one a consumer thread): what James's JMS queue does when asked for a mail it does not have yet (it waits
 * in receive()) must not hold up the captures in flight.
 */
class CapturesAcrossRestartEndToEndTest {
    static final String ALICE = "alice@company.example";
    static final Duration CAPTURE = Duration.ofSeconds(90);

    /** Started before James, whose settings name its URL. */
    static final Bitrix24Emulator PORTAL = Bitrix24Emulator.builder().start();

    /** One capture per client in 10 seconds: a client's second mail at once is parked as FLOOD. */
    @RegisterExtension
    static JamesServerExtension james = InstalledJames.withProductConfiguration().durable()
        .captureSettings("""
            <crmcapture>
              <connector>bitrix24</connector>
              <bitrix24>
                <portal>%s</portal>
                <webhook user="%d" code="%s"/>
              </bitrix24>
              <flood><captures>1</captures><window>10 seconds</window></flood>
            </crmcapture>
            """.formatted(PORTAL.portalUrl(), PORTAL.webhookUserId(), PORTAL.webhookCode()))
        .edit("mailetcontainer.xml", xml -> xml.replace("<roundWait>3 seconds</roundWait>", "<roundWait>0 s</roundWait>")
            .replace("<roundSize>300</roundSize>", "<roundSize>5</roundSize>")
            .replace("<consumerThreads>4</consumerThreads>", "<consumerThreads>1</consumerThreads>"))
        .extension();

    static InstalledJames.Clients clients;

    @BeforeAll
    static void createMailboxes(GuiceJamesServer server) throws Exception {
        PORTAL.addUser(Map.of("NAME", "Alice", "LAST_NAME", "Adams", "EMAIL", ALICE, "ACTIVE", "Y"));
        clients = InstalledJames.connect(server, ALICE);
    }

    @AfterEach
    void portalBackUp() {
        PORTAL.faults().clear();
    }

    @AfterAll
    static void stopPortal() {
        PORTAL.close();
    }

    /** Stops James and starts it again on the same working directory; the memory server's users are created again. */
    private static InstalledJames.Clients restart(GuiceJamesServer server) throws Exception {
        server.stop();
        server.start();
        clients = InstalledJames.connect(server, ALICE);
        return clients;
    }

    @Test
    void capturesWaitingForTheCrmShouldBeCapturedOnceAfterARestart(GuiceJamesServer server) throws Exception {
        PORTAL.faults().everyMatching(request -> true, Fault.status(503));
        List<String> messageIds = sendToAlice(5, "pending", "client", "Order", "Chairs");
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(clients.webAdmin().metric("crm_capture_retries_total")).isPositive());

        InstalledJames.Clients restarted = restart(server);
        PORTAL.faults().clear();

        awaitEachCapturedOnce(messageIds);
        assertThat(messageIds).allSatisfy(id -> {
            assertThat(PORTAL.leadsWithOrigin(id)).hasSize(1);
            assertThat(restarted.webAdmin().awaitDecision(id).path("reason").asText()).isEqualTo("NEW_LEAD");
        });
        PORTAL.violations().assertNone();
    }

    @Test
    void aBacklogOfMoreCapturesThanAreInFlightShouldBeCapturedWholeOnceTheCrmAnswers() throws Exception {
        PORTAL.faults().everyMatching(request -> true, Fault.status(503));
        List<String> messageIds = sendToAlice(40, "backlog", "buyer", "Quote", "Desks");

        PORTAL.faults().clear();

        awaitEachCapturedOnce(messageIds);
        PORTAL.violations().assertNone();
    }

    /**
     * Sends Alice {@code count} mails, the n-th from {@code <sender>n@clientn.example} with the Message-ID
     * {@code <<idPrefix>-n@clientn.example>}, subject "{@code subject} n" and text "{@code text}, n.", and
     * waits until her inbox holds them all.
     *
     * @return their Message-IDs, in order
     */
    private static List<String> sendToAlice(int count, String idPrefix, String sender, String subject, String text) throws Exception {
        List<String> messageIds = IntStream.rangeClosed(1, count).mapToObj(n -> "<" + idPrefix + "-" + n + "@client" + n + ".example>").toList();
        for (int n = 1; n <= count; n++) {
            String client = sender + n + "@client" + n + ".example";
            clients.mail().send(client, List.of(ALICE), message(client, ALICE, messageIds.get(n - 1), "", subject + " " + n, text + ", " + n + "."));
        }
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(clients.mail().inbox(ALICE)).contains(messageIds));
        return messageIds;
    }

    /** Waits until the portal holds exactly one activity for each of {@code messageIds}. */
    private static void awaitEachCapturedOnce(List<String> messageIds) {
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(messageIds)
            .allSatisfy(id -> assertThat(PORTAL.activitiesWithOrigin(id)).hasSize(1)));
    }

    @Test
    void aParkedCaptureShouldSurviveARestartAndBeReplayedOnce(GuiceJamesServer server) throws Exception {
        clients.mail().send("kim@client.example", List.of(ALICE), message("kim@client.example", ALICE, "<kim-1@client.example>", "",
            "First", "One."));
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(PORTAL.activitiesWithOrigin("<kim-1@client.example>")).hasSize(1));
        clients.mail().send("kim@client.example", List.of(ALICE), message("kim@client.example", ALICE, "<kim-2@client.example>", "",
            "Second", "Two."));
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(clients.webAdmin().parked()).hasSize(1));

        InstalledJames.Clients restarted = restart(server);

        assertThat(restarted.webAdmin().parked()).hasSize(1);
        // once the flood window has passed, the administrator replays the parked capture
        await().atMost(CAPTURE).untilAsserted(() -> {
            restarted.webAdmin().replayParked();
            assertThat(PORTAL.activitiesWithOrigin("<kim-2@client.example>")).hasSize(1);
        });
        assertThat(restarted.webAdmin().parked()).isEmpty();
        assertThat(PORTAL.activitiesWithOrigin("<kim-1@client.example>")).hasSize(1);
        PORTAL.violations().assertNone();
    }
}

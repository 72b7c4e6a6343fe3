package org.jamescrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.jamescrm.it.ClientMailCaptureEndToEndTest.message;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.james.GuiceJamesServer;
import org.apache.james.JamesServerExtension;
import org.jamescrm.emulator.bitrix24.Bitrix24Emulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Bitrix24 portal that refuses for a while, on a real James 3.8.1 with the product installed: a
 * rate-limit refusal waits the portal's own hint and spends no retry; a portal that does not answer
 * opens the circuit breaker, captures wait without spending retries, and flow once when it is back.
 * One retry only ({@code maxRetries} 1): a capture that spent a retry per refusal would be parked.
 */
class Bitrix24OutageEndToEndTest {
    static final String ALICE = "alice@company.example";

    static final Bitrix24Emulator PORTAL = Bitrix24Emulator.builder().start();

    @RegisterExtension
    static JamesServerExtension james = InstalledJames.withProductConfiguration()
        .edit("mailetcontainer.xml", xml -> xml
            .replace("<maxRetries>8</maxRetries>", "<maxRetries>1</maxRetries>")
            .replace("<retryDelays>5 seconds, 30 seconds, 2 minutes, 10 minutes, 1 hour</retryDelays>", "<retryDelays>1 seconds</retryDelays>")
            .replace("<roundWait>3 seconds</roundWait>",
                "<roundWait>0 seconds</roundWait>\n<breakerFailures>2</breakerFailures>\n<breakerProbe>1 seconds</breakerProbe>"))
        .bitrix24(PORTAL.portalUrl(), PORTAL.webhookUserId(), PORTAL.webhookCode()).extension();

    static MailClient mail;
    static WebAdminClient webAdmin;

    @BeforeAll
    static void createMailboxes(GuiceJamesServer server) throws Exception {
        PORTAL.addUser(Map.of("NAME", "Alice", "LAST_NAME", "Adams", "EMAIL", ALICE, "ACTIVE", "Y"));
        InstalledJames.Clients clients = InstalledJames.connect(server, ALICE);
        mail = clients.mail();
        webAdmin = clients.webAdmin();
    }

    @AfterAll
    static void stopPortal() {
        PORTAL.close();
    }

    @Test
    void aPortalRefusingForSecondsShouldGetTheCaptureAtItsHintWithNoRetrySpent() throws Exception {
        // three refusals in a row with operating_reset_at two seconds ahead: three retries, were they spent
        PORTAL.faultNext(3, Bitrix24Emulator.Fault.operationTimeLimit(Duration.ofSeconds(2)));

        mail.send("hana@client.example", List.of(ALICE), message("hana@client.example", ALICE, "<hana@client.example>", "", "Hello", "Hi."));

        assertThat(webAdmin.awaitDecision("<hana@client.example>").path("reason").asText()).isEqualTo("NEW_LEAD");
        assertThat(PORTAL.requests()).filteredOn(request -> "OPERATION_TIME_LIMIT".equals(request.errorCode())).hasSize(3);
        assertThat(PORTAL.activitiesWithOrigin("<hana@client.example>")).hasSize(1);
        assertThat(webAdmin.parked()).isEmpty();
    }

    @Test
    void aPortalDownShouldOpenTheBreakerParkNothingAndGetEveryCaptureOnceWhenBack() throws Exception {
        PORTAL.faultNext(5, Bitrix24Emulator.Fault.status(503)); // no hint: the portal is down for five rounds
        List<String> clients = List.of("ivan", "jana", "karl");

        for (String client : clients) {
            String address = client + "@client.example";
            mail.send(address, List.of(ALICE), message(address, ALICE, "<" + client + "@client.example>", "", "Order", "Ten desks."));
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> !"closed".equals(breaker().path("state").asText()));
        for (String client : clients) {
            assertThat(webAdmin.awaitDecision("<" + client + "@client.example>").path("reason").asText()).isEqualTo("NEW_LEAD");
            assertThat(PORTAL.activitiesWithOrigin("<" + client + "@client.example>")).hasSize(1);
            assertThat(PORTAL.leadsWithOrigin("<" + client + "@client.example>")).hasSize(1);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> "closed".equals(breaker().path("state").asText()));
        assertThat(breaker().path("failures").asInt()).isZero();
        assertThat(webAdmin.parked()).isEmpty();
        assertThat(webAdmin.status().path("queues").get(0).path("warning").isNull()).isTrue();
    }

    private static JsonNode breaker() {
        return webAdmin.status().path("breakers").get(0);
    }
}

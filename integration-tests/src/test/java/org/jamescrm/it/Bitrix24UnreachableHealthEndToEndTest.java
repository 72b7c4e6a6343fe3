package org.jamescrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.jamescrm.it.ClientMailCaptureEndToEndTest.message;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.apache.james.GuiceJamesServer;
import org.apache.james.JamesServerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A Bitrix24 portal nobody answers at (a closed port): James's {@code /healthcheck} shows the capture
 * DEGRADED, never UNHEALTHY, with the reason, and mail is delivered all the same.
 */
class Bitrix24UnreachableHealthEndToEndTest {
    static final String ALICE = "alice@company.example";
    static final String CODE = "secret0webhook0code";
    static final Duration CAPTURE = Duration.ofSeconds(30);

    @RegisterExtension
    static JamesServerExtension james = InstalledJames.withProductConfiguration()
        .bitrix24(URI.create("http://127.0.0.1:" + closedPort()), 1, CODE).extension();

    static MailClient mail;
    static WebAdminClient webAdmin;

    @BeforeAll
    static void createMailboxes(GuiceJamesServer server) throws Exception {
        InstalledJames.Clients clients = InstalledJames.connect(server, ALICE);
        mail = clients.mail();
        webAdmin = clients.webAdmin();
    }

    @Test
    void theCaptureShouldBeDegradedNotUnhealthyAndNameTheCrmWithoutItsSecret() {
        await().atMost(CAPTURE).untilAsserted(() -> {
            var response = webAdmin.raw("/healthcheck/checks/CRM%20capture");
            JsonNode check = new ObjectMapper().readTree(response.body());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(check.path("status").asText()).isEqualTo("degraded");
            assertThat(check.path("cause").asText()).startsWith("the CRM does not answer (").doesNotContain(CODE);
        });
        var all = webAdmin.raw("/healthcheck");
        assertThat(all.statusCode()).as("degraded is no outage: 200").isEqualTo(200);
        assertThat(all.body()).contains("\"status\":\"degraded\"").doesNotContain("unhealthy").doesNotContain(CODE);
    }

    @Test
    void theEffectiveSettingsShouldNameTheCrmWithoutItsSecret() {
        var response = webAdmin.raw("/crm/settings?mailbox=alice%40company.example");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"connector\": \"bitrix24\"").doesNotContain(CODE);
    }

    @Test
    void mailShouldStillBeDelivered() throws Exception {
        mail.send("carol@client.example", List.of(ALICE), message("carol@client.example", ALICE, "<down@client.example>", "", "Order",
            "12 tables."));

        await().atMost(CAPTURE).untilAsserted(() -> assertThat(mail.inbox(ALICE)).contains("12 tables."));
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

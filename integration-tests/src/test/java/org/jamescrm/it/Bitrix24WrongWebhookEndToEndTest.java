package org.jamescrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.jamescrm.it.ClientMailCaptureEndToEndTest.message;

import java.time.Duration;
import java.util.List;

import org.apache.james.GuiceJamesServer;
import org.apache.james.JamesServerExtension;
import org.jamescrm.emulator.bitrix24.Bitrix24Emulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A mistyped webhook code in crm-capture.xml: James starts, the status route names the problem
 * (never the code), mail is delivered as always, and the captures the portal refuses are parked
 * for replay once the administrator fixed the webhook.
 */
class Bitrix24WrongWebhookEndToEndTest {
    static final String ALICE = "alice@company.example";
    static final String WRONG_CODE = "mistyped0code";
    static final Duration CAPTURE = Duration.ofSeconds(30);
    static final Bitrix24Emulator PORTAL = Bitrix24Emulator.builder().start();

    @RegisterExtension
    static JamesServerExtension james = InstalledJames.withProductConfiguration()
        .bitrix24(PORTAL.portalUrl(), PORTAL.webhookUserId(), WRONG_CODE).extension();

    static MailClient mail;
    static WebAdminClient webAdmin;

    @BeforeAll
    static void createMailboxes(GuiceJamesServer server) throws Exception {
        InstalledJames.Clients clients = InstalledJames.connect(server, ALICE);
        mail = clients.mail();
        webAdmin = clients.webAdmin();
    }

    @AfterAll
    static void stopPortal() {
        PORTAL.close();
    }

    @Test
    void theStatusRouteShouldNameTheRefusalWithoutTheCode() {
        await().atMost(CAPTURE).untilAsserted(() -> {
            JsonNode status = webAdmin.status();
            assertThat(status.path("connectorReachable").asBoolean(true)).isFalse();
            assertThat(status.path("connectorError").asText()).contains("INVALID_CREDENTIALS").doesNotContain(WRONG_CODE);
        });
    }

    @Test
    void mailShouldBeDeliveredAndItsCaptureParked() throws Exception {
        mail.send("carol@client.example", List.of(ALICE), message("carol@client.example", ALICE, "<parked@client.example>", "", "Order",
            "40 chairs."));

        await().atMost(CAPTURE).untilAsserted(() -> assertThat(mail.inbox(ALICE)).contains("40 chairs."));
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(webAdmin.parked()).hasSize(1));
        assertThat(PORTAL.activities()).isEmpty();
    }
}

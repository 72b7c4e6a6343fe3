package org.jamescrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.jamescrm.it.ClientMailCaptureEndToEndTest.message;

import java.time.Duration;
import java.util.List;

import org.apache.james.GuiceJamesServer;
import org.apache.james.JamesServerExtension;
import org.jamescrm.emulator.espocrm.EspoCrmEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An EspoCRM API user whose role lacks the Import scope: the status route says so (never the key), mail
 * is delivered as always, and the captures EspoCRM refuses ("Not allowed 'from' address.") are parked for replay once the role is fixed.
 */
class EspoCrmWithoutImportScopeEndToEndTest {
    static final String ALICE = "alice@company.example";
    static final Duration CAPTURE = Duration.ofSeconds(30);
    static final EspoCrmEmulator SITE = EspoCrmEmulator.builder().apiKey("no-import-key-31f2").importScope(false).start();

    @RegisterExtension
    static JamesServerExtension james = InstalledJames.withProductConfiguration().espocrm(SITE.baseUrl(), SITE.apiKey()).extension();

    static MailClient mail;
    static WebAdminClient webAdmin;

    @BeforeAll
    static void createMailboxes(GuiceJamesServer server) throws Exception {
        SITE.addUser(ALICE, "Alice Adams");
        InstalledJames.Clients clients = InstalledJames.connect(server, ALICE);
        mail = clients.mail();
        webAdmin = clients.webAdmin();
    }

    @AfterAll
    static void stopSite() {
        SITE.close();
    }

    @Test
    void theStatusRouteShouldNameTheMissingImportScope() {
        await().atMost(CAPTURE).untilAsserted(() -> {
            JsonNode status = webAdmin.status();
            assertThat(status.path("connectorReachable").asBoolean(true)).isFalse();
            assertThat(status.path("connectorError").asText()).contains("no access to the Import scope")
                .doesNotContain(SITE.apiKey());
        });
    }

    @Test
    void mailShouldBeDeliveredAndItsCaptureParkedWithTheReason() throws Exception {
        mail.send("carol@client.example", List.of(ALICE), message("carol@client.example", ALICE, "<scope@client.example>", "", "Order",
            "40 chairs."));

        await().atMost(CAPTURE).untilAsserted(() -> assertThat(mail.inbox(ALICE)).contains("40 chairs."));
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(webAdmin.parked()).hasSize(1));
        assertThat(SITE.records("Email")).isEmpty();
    }
}

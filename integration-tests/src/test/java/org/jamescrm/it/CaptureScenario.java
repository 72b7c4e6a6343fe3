package org.jamescrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.jamescrm.it.ClientMailCaptureEndToEndTest.message;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.apache.james.GuiceJamesServer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The mail side of the capture scenarios the CRMs' end-to-end tests share, with the default capture settings:
 * who writes to whom, and what James must decide. What each CRM then holds is its own test's to check.
 * Every step uses its own client address and Message-ID, so the steps share one server.
 */
final class CaptureScenario {
    static final String ALICE = "alice@company.example";
    static final String BOB = "bob@company.example";
    static final Duration CAPTURE = Duration.ofSeconds(30);

    private final MailClient mail;
    private final WebAdminClient webAdmin;

    private CaptureScenario(InstalledJames.Clients clients) {
        this.mail = clients.mail();
        this.webAdmin = clients.webAdmin();
    }

    /** Creates Alice's and Bob's mailboxes and {@code others}, and connects. */
    static CaptureScenario connect(GuiceJamesServer server, String... others) throws Exception {
        return new CaptureScenario(InstalledJames.connect(server, Stream.concat(Stream.of(ALICE, BOB), Stream.of(others))
            .toArray(String[]::new)));
    }

    MailClient mail() {
        return mail;
    }

    WebAdminClient webAdmin() {
        return webAdmin;
    }

    /** Carol, a new client, asks Alice for a quote ({@code <quote@client.example>}), and it is captured. Returns her mail. */
    String newClientAsksForAQuote() throws Exception {
        String message = message("Carol Client <carol@client.example>", ALICE, "<quote@client.example>", "", "Quote", "40 chairs?");

        mail.send("carol@client.example", List.of(ALICE), message);

        assertThat(webAdmin.awaitDecision("<quote@client.example>").path("captured").asBoolean()).isTrue();
        return message;
    }

    /** Carol's quote, once in Alice's inbox, is delivered a second time: James decides about it again. */
    void theQuoteIsDeliveredAgain(String message) throws Exception {
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(mail.inbox(ALICE)).contains("40 chairs?"));

        mail.send("carol@client.example", List.of(ALICE), message);
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(webAdmin.decisions("<quote@client.example>")).hasSize(2));
    }

    /**
     * Dave, a client with a deal in progress, asks about his tables ({@code <ask@client.example>}) and Alice
     * answers ({@code <answer@company.example>}): both are captured.
     */
    void clientAsksAndAliceAnswers() throws Exception {
        mail.send("dave@client.example", List.of(ALICE), message("Dave Client <dave@client.example>", ALICE, "<ask@client.example>", "",
            "Tables", "Any news?"));
        assertThat(webAdmin.awaitDecision("<ask@client.example>").path("captured").asBoolean()).isTrue();

        mail.send(ALICE, List.of("dave@client.example"), message("Alice Adams <" + ALICE + ">", "dave@client.example",
            "<answer@company.example>", "In-Reply-To: <ask@client.example>\r\n", "Re: Tables", "Tomorrow."));

        assertThat(webAdmin.awaitDecision("<answer@company.example>").path("captured").asBoolean()).isTrue();
    }

    /** Erin, a prospect the CRM knows, asks Alice for the catalogue ({@code <erin@prospect.example>}), and it is captured. */
    void prospectAsksForTheCatalogue() throws Exception {
        mail.send("erin@prospect.example", List.of(ALICE), message("Erin Prospect <erin@prospect.example>", ALICE, "<erin@prospect.example>",
            "", "Catalogue", "Please send it."));

        assertThat(webAdmin.awaitDecision("<erin@prospect.example>").path("captured").asBoolean()).isTrue();
    }

    /**
     * Alice writes to Bob ({@code <lunch@company.example>}) and a client's auto-reply reaches Alice
     * ({@code <ooo@client.example>}): internal and automated, neither captured.
     */
    void colleagueAndAutoReplyWrite() throws Exception {
        mail.send(ALICE, List.of(BOB), message(ALICE, BOB, "<lunch@company.example>", "", "Lunch", "12:30?"));
        mail.send("frank@client.example", List.of(ALICE), message("frank@client.example", ALICE, "<ooo@client.example>",
            "Auto-Submitted: auto-replied\r\n", "Out of office", "Back Monday."));

        assertThat(webAdmin.awaitDecision("<lunch@company.example>").path("reason").asText()).isEqualTo("INTERNAL");
        assertThat(webAdmin.awaitDecision("<ooo@client.example>").path("reason").asText()).isEqualTo("AUTOMATED");
    }

    /** The status route names {@code connector} and shows the CRM reachable. */
    void awaitConnectorReachable(String connector) {
        await().atMost(CAPTURE).untilAsserted(() -> {
            JsonNode status = webAdmin.status();
            assertThat(status.path("connector").asText()).isEqualTo(connector);
            assertThat(status.path("connectorReachable").asBoolean()).isTrue();
        });
    }
}

package org.jamescrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.jamescrm.it.ClientMailCaptureEndToEndTest.message;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import org.apache.james.GuiceJamesServer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The mail side of the capture-rules seed scenarios every CRM's end-to-end test plays against
 * {@link InstalledJames#captureRulesSettings(String)}: who writes to which mailbox, and the decision James
 * must take. What each CRM then holds is its own test's to check. Every step uses its own client address
 * and Message-ID, so the steps share one server.
 */
final class CaptureRulesScenario {
    static final String ALICE = "alice@company.example";
    static final String BOB = "bob@company.example";
    static final String DORA = "dora@company.example";
    static final String SALES = "sales@company.example";
    static final String CRM = "crm@company.example";
    /** Rounds may wait a few seconds and the CRMs' limits apply: generous, as the other end-to-end tests. */
    static final Duration CAPTURE = Duration.ofSeconds(30);

    /** The clients whose first mails to the group mailbox are handed out in turn. */
    static final List<String> ROUND_ROBIN_CLIENTS = List.of("hugo", "iris", "jack");

    private final MailClient mail;
    private final WebAdminClient webAdmin;

    private CaptureRulesScenario(InstalledJames.Clients clients) {
        this.mail = clients.mail();
        this.webAdmin = clients.webAdmin();
    }

    /** Creates the mailboxes of the scenarios (sales@ and crm@ too, else SMTP would refuse them) and connects. */
    static CaptureRulesScenario connect(GuiceJamesServer server) throws Exception {
        return new CaptureRulesScenario(InstalledJames.connect(server, ALICE, BOB, DORA, SALES, CRM));
    }

    MailClient mail() {
        return mail;
    }

    WebAdminClient webAdmin() {
        return webAdmin;
    }

    /** Rita, a known client, writes her second order to Alice: a repeat lead although lead creation is off. Returns the decision. */
    JsonNode knownClientOrdersAgain() throws Exception {
        mail.send("rita@client.example", List.of(ALICE), message("Rita Returning <rita@client.example>", ALICE,
            "<second-order@client.example>", "", "Second order", "We would like 20 more chairs."));

        JsonNode record = webAdmin.awaitDecision("<second-order@client.example>");
        assertThat(record.path("reason").asText()).isEqualTo("REPEAT_LEAD");
        return record;
    }

    /** The Message-ID of a round-robin client's mail. */
    static String roundRobinMessageId(String client) {
        return "<rr-" + client + "@client.example>";
    }

    /**
     * New clients write to the group mailbox one after the other, as separate rounds, so each new lead takes
     * the next turn of the queue; {@code responsibleOfLead} checks a client's lead in the CRM and answers
     * its responsible. Whoever the queue starts with, the first two leads go to Alice and Bob, and the
     * third starts over.
     */
    void newClientsWriteToTheGroupMailbox(Function<String, String> responsibleOfLead, String alice, String bob) throws Exception {
        for (String client : ROUND_ROBIN_CLIENTS) {
            String messageId = roundRobinMessageId(client);
            mail.send(client + "@client.example", List.of(SALES), message(client + "@client.example", SALES, messageId, "",
                "Price list", "Could you send your prices?"));
            assertThat(webAdmin.awaitDecision(messageId).path("reason").asText()).isEqualTo("NEW_LEAD");
        }

        List<String> responsibles = ROUND_ROBIN_CLIENTS.stream().map(responsibleOfLead).toList();
        assertThat(responsibles.subList(0, 2)).containsExactlyInAnyOrder(alice, bob);
        assertThat(responsibles.get(2)).isEqualTo(responsibles.get(0));
    }

    /** Kim, a new client, writes to Dora's leadless mailbox: a contact and a deal, no lead. Returns the decision. */
    JsonNode newClientWritesToTheLeadlessMailbox() throws Exception {
        mail.send("kim@client.example", List.of(DORA), message("Kim Newcomer <kim@client.example>", DORA, "<leadless@client.example>", "",
            "Office desks", "Do you deliver to Lyon?"));

        JsonNode record = webAdmin.awaitDecision("<leadless@client.example>");
        assertThat(record.path("reason").asText()).isEqualTo("NEW_CONTACT_AND_DEAL");
        return record;
    }

    /** Lena, an unknown client, writes to Bob: automatic capture skips it, lead creation being off. Returns her mail. */
    String unknownClientWritesToBob() throws Exception {
        String clientMail = message("Lena Lost <lena@client.example>", BOB, "<lena-order@client.example>", "", "Order of lamps",
            "Please send 12 lamps.");
        mail.send("lena@client.example", List.of(BOB), clientMail);
        assertThat(webAdmin.awaitDecision("<lena-order@client.example>").path("reason").asText()).isEqualTo("UNKNOWN_CLIENT_NO_CREATE");
        return clientMail;
    }

    /**
     * Bob forwards {@code clientMail} as an attachment to the capture address: the forwarded mail is what gets
     * saved, under its own Message-ID, for Bob. Returns that second decision about it.
     */
    JsonNode bobForwardsItToTheCaptureAddress(String clientMail) throws Exception {
        String forward = "From: Bob Brown <" + BOB + ">\r\nTo: " + CRM + "\r\nSubject: Fwd: Order of lamps\r\n"
            + "Date: Sun, 22 Nov 2026 11:00:00 +0300\r\nMessage-ID: <fwd-lena@company.example>\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"fwd\"\r\n\r\n"
            + "--fwd\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nFor the CRM.\r\n"
            + "--fwd\r\nContent-Type: message/rfc822\r\n\r\n" + clientMail + "--fwd--\r\n";
        mail.sendAuthenticated(BOB, List.of(CRM), forward);

        await().atMost(CAPTURE).untilAsserted(() -> assertThat(webAdmin.decisions("<lena-order@client.example>")).hasSize(2));
        JsonNode record = webAdmin.decisions("<lena-order@client.example>").get(0);
        assertThat(record.path("reason").asText()).isEqualTo("NEW_LEAD");
        return record;
    }

    /** Max, an unknown client, writes to Alice: delivered but not captured, lead creation being off. Returns the decision. */
    JsonNode unknownClientWritesToAlice() throws Exception {
        mail.send("max@client.example", List.of(ALICE), message("Max Stranger <max@client.example>", ALICE, "<max-hello@client.example>",
            "", "Hello", "Are you hiring?"));

        JsonNode record = webAdmin.awaitDecision("<max-hello@client.example>");
        assertThat(record.path("reason").asText()).isEqualTo("UNKNOWN_CLIENT_NO_CREATE");
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(mail.inbox(ALICE)).contains("Are you hiring?"));
        return record;
    }
}

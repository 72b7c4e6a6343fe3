package org.jamescrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jamescrm.it.ClientMailCaptureEndToEndTest.message;

import java.time.Duration;
import java.util.List;

import org.apache.james.GuiceJamesServer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The support desk the group-mailbox end-to-end tests share, whatever the CRM: the support@ group whose new
 * threads open cases for Alice and Bob in turn, for the Support team, acknowledged with the case's number,
 * and the mail its clients write to it.
 */
final class SupportDesk {
    static final String ALICE = "alice@company.example";
    static final String BOB = "bob@company.example";
    static final String SUPPORT = "support@company.example";
    static final Duration WAIT = Duration.ofSeconds(30);

    /** The {@code <group>} element of the capture settings: support@, round robin, cases for Support, Reply-To, acknowledged. */
    static final String GROUP = """
          <group address="support@company.example">
            <distribution>round-robin</distribution>
            <queue>alice@company.example, bob@company.example</queue>
            <newThread>case</newThread>
            <teams>Support</teams>
            <replyTo>true</replyTo>
            <acknowledgement>
              <subject>We received your message: {subject}</subject>
              <body>Your message is registered as case {caseNumber}.</body>
            </acknowledgement>
          </group>
        """;

    private final MailClient mail;
    private final WebAdminClient webAdmin;

    private SupportDesk(InstalledJames.Clients clients) {
        this.mail = clients.mail();
        this.webAdmin = clients.webAdmin();
    }

    /** Creates Alice's, Bob's and support@'s mailboxes and connects. */
    static SupportDesk connect(GuiceJamesServer server) throws Exception {
        return new SupportDesk(InstalledJames.connect(server, ALICE, BOB, SUPPORT));
    }

    MailClient mail() {
        return mail;
    }

    WebAdminClient webAdmin() {
        return webAdmin;
    }

    /**
     * {@code client} writes to support@ ({@code <k1@client.example>}), then answers with the case token in the
     * subject but without References ({@code <k2@client.example>}): the answer joins the case by its token.
     * Returns the case's number.
     */
    String clientAnswersWithTheCaseToken(String client) throws Exception {
        mail.send(client, List.of(SUPPORT), message(client, SUPPORT, "<k1@client.example>", "", "Login fails", "!"));
        String number = webAdmin.awaitDecision("<k1@client.example>").path("caseNumber").asText();

        mail.send(client, List.of(SUPPORT), message(client, SUPPORT, "<k2@client.example>", "",
            "Re: [#" + number + "] We received your message: Login fails", "Any news?"));

        JsonNode joined = webAdmin.awaitDecision("<k2@client.example>");
        assertThat(joined.path("reason").asText()).isEqualTo("CASE_TOKEN");
        assertThat(joined.path("caseNumber").asText()).isEqualTo(number);
        return number;
    }
}

package org.jamescrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.jamescrm.it.ClientMailCaptureEndToEndTest.message;
import static org.jamescrm.it.SupportDesk.ALICE;
import static org.jamescrm.it.SupportDesk.BOB;
import static org.jamescrm.it.SupportDesk.SUPPORT;
import static org.jamescrm.it.SupportDesk.WAIT;

import java.time.Duration;
import java.util.List;

import javax.mail.internet.MimeMessage;

import org.apache.james.GuiceJamesServer;
import org.apache.james.JamesServerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * A support desk on a group mailbox (capture-rules §8) through a real James 3.8.1 server with the
 * in-memory CRM: the first mail of a thread opens a case and gets one acknowledgement, later mails of
 * the thread join the case in both directions, employees' answers leave with the group in Reply-To,
 * a case token joins a client's answer without References, and an auto-responder gets nothing.
 */
class GroupMailboxEndToEndTest {
    static final String SETTINGS = """
        <crmcapture>
          <connector>memory</connector>
          <memory>
            <user email="alice@company.example" name="Alice Adams"/>
            <user email="bob@company.example" name="Bob Brown"/>
          </memory>
        """ + SupportDesk.GROUP + "</crmcapture>\n";

    /** The clients' mail server: James's outgoing mail arrives there through the smarthost option. */
    @RegisterExtension
    static GreenMailExtension clientMailServer = new GreenMailExtension(new ServerSetup(3036, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
        .withPerMethodLifecycle(false);

    @RegisterExtension
    static JamesServerExtension james = InstalledJames.withProductConfiguration().smarthost(3036).captureSettings(SETTINGS).extension();

    static ClientInbox inbox = new ClientInbox(clientMailServer, WAIT);
    static SupportDesk desk;
    static MailClient mail;
    static WebAdminClient webAdmin;

    @BeforeAll
    static void createMailboxes(GuiceJamesServer server) throws Exception {
        desk = SupportDesk.connect(server);
        mail = desk.mail();
        webAdmin = desk.webAdmin();
    }

    @Test
    void aSupportThreadOfFourMessagesShouldMakeOneCaseOneAcknowledgementAndFourActivities() throws Exception {
        String client = "dora@client.example";
        mail.send(client, List.of(SUPPORT), message(client, SUPPORT, "<t1@client.example>", "", "Printer broken", "It jams."));
        JsonNode first = webAdmin.awaitDecision("<t1@client.example>");
        assertThat(first.path("reason").asText()).isEqualTo("NEW_CASE");
        String number = first.path("caseNumber").asText();

        MimeMessage acknowledgement = awaitReceived(client, "[#" + number + "] We received your message: Printer broken");
        assertThat(acknowledgement.getHeader("Auto-Submitted", ",")).isEqualTo("auto-replied");
        assertThat(acknowledgement.getHeader("In-Reply-To", ",")).isEqualTo("<t1@client.example>");
        assertThat(acknowledgement.getContent().toString()).contains("registered as case " + number);

        mail.sendAuthenticated(ALICE, List.of(client), message("Alice Adams <" + ALICE + ">", client, "<t2@company.example>",
            "In-Reply-To: <t1@client.example>\r\nReferences: <t1@client.example>\r\n", "Re: Printer broken", "Try this."));
        MimeMessage answer = awaitReceived(client, "Re: Printer broken");
        assertThat(answer.getHeader("Reply-To", ",")).isEqualTo(SUPPORT);

        mail.send(client, List.of(SUPPORT), message(client, SUPPORT, "<t3@client.example>",
            "In-Reply-To: <t2@company.example>\r\nReferences: <t1@client.example> <t2@company.example>\r\n", "Re: Printer broken", "Still."));
        mail.sendAuthenticated(BOB, List.of(client), message("Bob Brown <" + BOB + ">", client, "<t4@company.example>",
            "In-Reply-To: <t3@client.example>\r\nReferences: <t1@client.example> <t3@client.example>\r\n", "Re: Printer broken", "Fixed."));

        for (String id : List.of("<t2@company.example>", "<t3@client.example>", "<t4@company.example>")) {
            JsonNode decision = webAdmin.awaitDecision(id);
            assertThat(decision.path("reason").asText()).as(id).isEqualTo("THREAD");
            assertThat(decision.path("caseNumber").asText()).as(id).isEqualTo(number);
        }
        List<JsonNode> cases = webAdmin.memory("cases", found -> found.path("email").asText().equals(client));
        assertThat(cases).singleElement().satisfies(opened -> assertThat(opened.path("number").asText()).isEqualTo(number));
        String caseId = cases.get(0).path("id").asText();
        List<JsonNode> activities = webAdmin.memory("activities", activity -> activity.path("bindings").toString().contains("\"" + caseId + "\"")
            && activity.path("bindings").toString().contains("CASE"));
        assertThat(activities).extracting(activity -> activity.path("direction").asText())
            .containsExactly("INCOMING", "OUTGOING", "INCOMING", "OUTGOING");
        assertThat(webAdmin.memory().path("teams").path("CASE:" + caseId).toString()).isEqualTo("[\"Support\"]");
        assertThat(received(client)).as("one acknowledgement for the thread")
            .filteredOn(message -> subject(message).contains("We received your message")).hasSize(1);
    }

    @Test
    void aClientsAutoResponderAnsweringTheAcknowledgementShouldCreateNothingAndGetNothing() throws Exception {
        String client = "erin@client.example";
        mail.send(client, List.of(SUPPORT), message(client, SUPPORT, "<a1@client.example>", "", "Invoice question", "?"));
        String number = webAdmin.awaitDecision("<a1@client.example>").path("caseNumber").asText();
        awaitReceived(client, "[#" + number + "] We received your message: Invoice question");

        mail.send(client, List.of(SUPPORT), message(client, SUPPORT, "<a2@client.example>", "Auto-Submitted: auto-replied\r\n",
            "Automatic reply: [#" + number + "] We received your message: Invoice question", "I am away."));

        assertThat(webAdmin.awaitDecision("<a2@client.example>").path("reason").asText()).isEqualTo("AUTOMATED");
        assertThat(webAdmin.memory("cases", found -> found.path("email").asText().equals(client))).hasSize(1);
        assertThat(webAdmin.memory("activities", activity -> activity.path("from").asText().equals(client))).hasSize(1);
        await().during(Duration.ofSeconds(2)).atMost(WAIT).untilAsserted(() ->
            assertThat(received(client)).as("no second acknowledgement").hasSize(1));
    }

    @Test
    void aCaseTokenInTheSubjectShouldJoinAClientsAnswerWithoutReferences() throws Exception {
        String client = "fred@client.example";
        desk.clientAnswersWithTheCaseToken(client);

        assertThat(webAdmin.memory("cases", found -> found.path("email").asText().equals(client))).hasSize(1);
    }

    @Test
    void anEmployeesMailThatAnswersNoCaseShouldLeaveUnchanged() throws Exception {
        String client = "gus@client.example";
        mail.sendAuthenticated(ALICE, List.of(client), message("Alice Adams <" + ALICE + ">", client, "<plain@company.example>",
            "", "Our offer", "Here."));

        MimeMessage sent = awaitReceived(client, "Our offer");
        assertThat(sent.getHeader("Reply-To")).isNull();
    }

    private static MimeMessage awaitReceived(String recipient, String subject) {
        return inbox.awaitReceived(recipient, subject);
    }

    private static List<MimeMessage> received(String recipient) {
        return inbox.received(recipient);
    }

    private static String subject(MimeMessage message) {
        return ClientInbox.subject(message);
    }
}

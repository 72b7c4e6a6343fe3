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
import org.jamescrm.emulator.Fault;
import org.jamescrm.emulator.FaultPlan;
import org.jamescrm.emulator.espocrm.EspoCrmEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * A support desk on EspoCRM (capture-rules §8, espocrm-api §8.1): a real James 3.8.1 server with
 * {@code <connector>espocrm</connector>} and a support@ group whose new threads open cases, over HTTP
 * to the strict EspoCRM emulator. The first mail of a thread opens one Case for the group's team and
 * gets one acknowledgement with the Case's number; the answers of the thread, both ways, are e-mails
 * in the Case's stream; EspoCRM refusing the first mail's e-mail after the Case was opened makes neither a
 * second Case nor a lost acknowledgement. No test leaves a duplicate or an e-mail sent by the CRM.
 */
class EspoCrmGroupMailboxEndToEndTest {

    /** Started before James, whose settings name its URL. */
    static final EspoCrmEmulator SITE = EspoCrmEmulator.builder().start();
    static final String SUPPORT_TEAM = SITE.addTeam("Support");

    @RegisterExtension
    static GreenMailExtension clientMailServer = new GreenMailExtension(new ServerSetup(3038, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
        .withPerMethodLifecycle(false);

    @RegisterExtension
    static JamesServerExtension james = InstalledJames.withProductConfiguration().smarthost(3038).captureSettings("""
        <crmcapture>
          <connector>espocrm</connector>
          <espocrm>
            <url>%s</url>
            <apiKey>%s</apiKey>
          </espocrm>
        """.formatted(SITE.baseUrl(), SITE.apiKey()) + SupportDesk.GROUP + "</crmcapture>\n").extension();

    static ClientInbox inbox = new ClientInbox(clientMailServer, WAIT);
    static SupportDesk desk;
    static MailClient mail;
    static WebAdminClient webAdmin;
    static List<String> members;

    @BeforeAll
    static void createMailboxes(GuiceJamesServer server) throws Exception {
        members = List.of(SITE.addUser(ALICE, "Alice Adams"), SITE.addUser(BOB, "Bob Brown"));
        desk = SupportDesk.connect(server);
        mail = desk.mail();
        webAdmin = desk.webAdmin();
    }

    @AfterEach
    void noDuplicateAndNoMailSentByTheCrm() {
        SITE.violations().assertNone();
    }

    @AfterAll
    static void stopSite() {
        SITE.close();
    }

    @Test
    void aSupportThreadShouldOpenOneCaseAcknowledgedWithItsNumberAndEveryAnswerInItsStream() throws Exception {
        String client = "dora@client.example";
        mail.send(client, List.of(SUPPORT), message("Dora Client <" + client + ">", SUPPORT, "<s1@client.example>", "", "Printer broken",
            "It jams on every page."));

        JsonNode first = webAdmin.awaitDecision("<s1@client.example>");
        assertThat(first.path("reason").asText()).isEqualTo("NEW_CASE");
        String number = first.path("caseNumber").asText();
        JsonNode opened = single("Case", "<s1@client.example>");
        assertThat(opened.path("number").asText()).as("EspoCRM's number is the acknowledgement's").isEqualTo(number);
        assertThat(opened.path("name").asText()).isEqualTo("Printer broken");
        assertThat(opened.path("status").asText()).isEqualTo("New");
        assertThat(opened.path("teamsIds").toString()).isEqualTo("[\"" + SUPPORT_TEAM + "\"]");
        assertThat(members).contains(opened.path("assignedUserId").asText());
        JsonNode lead = single("Lead", "<s1@client.example>");
        assertThat(opened.path("leadId").asText()).as("the unknown client's new lead").isEqualTo(lead.path("id").asText());
        assertThat(lead.path("teamsIds").toString()).isEqualTo("[\"" + SUPPORT_TEAM + "\"]");

        MimeMessage acknowledgement = inbox.awaitReceived(client, "[#" + number + "] We received your message: Printer broken");
        assertThat(acknowledgement.getHeader("Auto-Submitted", ",")).isEqualTo("auto-replied");
        assertThat(acknowledgement.getContent().toString()).contains("registered as case " + number);

        mail.sendAuthenticated(ALICE, List.of(client), message("Alice Adams <" + ALICE + ">", client, "<s2@company.example>",
            "In-Reply-To: <s1@client.example>\r\nReferences: <s1@client.example>\r\n", "Re: Printer broken", "Try this."));
        assertThat(inbox.awaitReceived(client, "Re: Printer broken").getHeader("Reply-To", ",")).isEqualTo(SUPPORT);
        mail.send(client, List.of(SUPPORT), message("Dora Client <" + client + ">", SUPPORT, "<s3@client.example>",
            "In-Reply-To: <s2@company.example>\r\nReferences: <s1@client.example> <s2@company.example>\r\n", "Re: Printer broken", "Still."));

        for (String id : List.of("<s2@company.example>", "<s3@client.example>")) {
            JsonNode decision = webAdmin.awaitDecision(id);
            assertThat(decision.path("reason").asText()).as(id).isEqualTo("THREAD");
            assertThat(decision.path("caseNumber").asText()).as(id).isEqualTo(number);
        }
        assertThat(SITE.records("Case")).as("one case for the thread")
            .filteredOn(found -> found.path("leadId").asText().equals(lead.path("id").asText())).hasSize(1);
        for (String id : List.of("<s1@client.example>", "<s2@company.example>", "<s3@client.example>")) {
            assertThat(SITE.emailsWithCaptureKey(id)).as(id).singleElement().satisfies(email -> {
                assertThat(email.path("parentType").asText()).isEqualTo("Case");
                assertThat(email.path("parentId").asText()).isEqualTo(opened.path("id").asText());
                assertThat(email.path("assignedUserId").asText()).as("the case's responsible").isEqualTo(opened.path("assignedUserId").asText());
                assertThat(email.path("status").asText()).isEqualTo("Archived");
            });
        }
        // the group's teams go with the mail to the group; an employee's answer is captured as the employee's mailbox's
        for (String id : List.of("<s1@client.example>", "<s3@client.example>")) {
            assertThat(SITE.emailsWithCaptureKey(id).get(0).path("teamsIds").toString()).as(id).isEqualTo("[\"" + SUPPORT_TEAM + "\"]");
        }
        assertThat(inbox.received(client)).as("one acknowledgement for the thread")
            .filteredOn(message -> ClientInbox.subject(message).contains("We received your message")).hasSize(1);
    }

    @Test
    void aCaseTokenInTheSubjectShouldJoinAClientsAnswerWithoutReferencesToTheCase() throws Exception {
        String client = "fred@client.example";
        desk.clientAnswersWithTheCaseToken(client);

        JsonNode opened = single("Case", "<k1@client.example>");
        assertThat(SITE.emailsWithCaptureKey("<k2@client.example>")).singleElement()
            .satisfies(email -> assertThat(email.path("parentId").asText()).isEqualTo(opened.path("id").asText()));
        assertThat(SITE.records("Case")).filteredOn(found -> found.path("leadId").asText().equals(opened.path("leadId").asText())).hasSize(1);
    }

    @Test
    void aCaseWhoseMailEspoCrmRefusedOnceShouldStayOneCaseAndStillBeAcknowledgedOnce() throws Exception {
        // the first attempt opens the case, then EspoCRM refuses the e-mail: the retry finds the case by its capture key
        SITE.faults().nextMatching(1, FaultPlan.operation("POST Email/importEml"), Fault.status(503));
        String client = "gina@client.example";
        long imports = imports();

        mail.send(client, List.of(SUPPORT), message(client, SUPPORT, "<r1@client.example>", "", "Scanner offline", "Since Monday."));

        JsonNode decision = webAdmin.awaitDecision("<r1@client.example>");
        JsonNode opened = single("Case", "<r1@client.example>");
        assertThat(decision.path("reason").asText()).isEqualTo("NEW_CASE");
        assertThat(decision.path("caseNumber").asText()).isEqualTo(opened.path("number").asText());
        assertThat(imports() - imports).as("refused, then retried").isEqualTo(2);
        assertThat(SITE.emailsWithCaptureKey("<r1@client.example>")).singleElement()
            .satisfies(email -> assertThat(email.path("parentId").asText()).isEqualTo(opened.path("id").asText()));
        inbox.awaitReceived(client, "[#" + opened.path("number").asText() + "] We received your message: Scanner offline");
        await().during(Duration.ofSeconds(2)).atMost(WAIT).untilAsserted(() -> assertThat(inbox.received(client)).hasSize(1));
    }

    private static long imports() {
        return SITE.calls().all().stream().filter(call -> call.operation().equals("POST Email/importEml")).count();
    }

    private static JsonNode single(String entityType, String captureKey) {
        List<JsonNode> found = SITE.records(entityType).stream().filter(record -> captureKey.equals(record.path("cCaptureKey").asText())).toList();
        assertThat(found).as(entityType + " of " + captureKey).hasSize(1);
        return found.get(0);
    }
}

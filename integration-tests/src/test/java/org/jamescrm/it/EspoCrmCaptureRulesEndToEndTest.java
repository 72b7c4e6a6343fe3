package org.jamescrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.jamescrm.it.ClientMailCaptureEndToEndTest.message;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.james.GuiceJamesServer;
import org.apache.james.JamesServerExtension;
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
 * Capture settings a CRM administrator wrote, end to end on EspoCRM (the seed scenarios of
 * Bitrix24CaptureRulesEndToEndTest): a repeat lead although lead creation is off, round robin on a group
 * mailbox, a leadless mailbox, a manual save, lead creation off. The server is shared by the class, so
 * every test uses its own client addresses and Message-IDs.
 */
class EspoCrmCaptureRulesEndToEndTest {
    static final String ALICE = "alice@company.example";
    static final String BOB = "bob@company.example";
    static final String DORA = "dora@company.example";
    static final String SALES = "sales@company.example";
    static final String CRM = "crm@company.example";
    static final Duration CAPTURE = Duration.ofSeconds(30);

    static final EspoCrmEmulator SITE = EspoCrmEmulator.builder().start();

    static final String SETTINGS = InstalledJames.captureRulesSettings("""
          <connector>espocrm</connector>
          <espocrm>
            <url>%s</url>
            <apiKey>%s</apiKey>
          </espocrm>
        """.formatted(SITE.baseUrl(), SITE.apiKey()));

    @RegisterExtension
    static GreenMailExtension clientMailServer = new GreenMailExtension(new ServerSetup(3030, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
        .withPerMethodLifecycle(false);

    @RegisterExtension
    static JamesServerExtension james = InstalledJames.withProductConfiguration().smarthost(3030).captureSettings(SETTINGS).extension();

    static MailClient mail;
    static WebAdminClient webAdmin;
    static String alice;
    static String bob;
    static String dora;

    @BeforeAll
    static void createMailboxes(GuiceJamesServer server) throws Exception {
        alice = SITE.addUser(ALICE, "Alice Adams");
        bob = SITE.addUser(BOB, "Bob Brown");
        dora = SITE.addUser(DORA, "Dora Diaz");
        InstalledJames.Clients clients = InstalledJames.connect(server, ALICE, BOB, DORA, SALES, CRM);
        mail = clients.mail();
        webAdmin = clients.webAdmin();
    }

    @AfterEach
    void noDuplicateAndNoMailSentByTheCrm() {
        SITE.violations().assertNone();
    }

    @AfterAll
    static void stopSite() {
        SITE.close();
    }

    private static JsonNode byKey(String entityType, String key) {
        return SITE.records(entityType).stream().filter(record -> key.equals(record.path("cCaptureKey").asText())).findFirst().orElseThrow();
    }

    private static JsonNode email(String key) {
        List<JsonNode> emails = SITE.emailsWithCaptureKey(key);
        assertThat(emails).hasSize(1);
        return emails.get(0);
    }

    @Test
    void aKnownClientWhoseOnlyOpportunityIsWonShouldGetARepeatLeadForItsResponsibleAlthoughLeadCreationIsOff() throws Exception {
        String contact = SITE.add("Contact", Map.of("firstName", "Rita", "lastName", "Returning", "emailAddress", "rita@client.example",
            "assignedUserId", bob));
        SITE.add("Opportunity", Map.of("name", "First order", "amount", 500, "closeDate", "2026-10-01", "stage", "Closed Won",
            "contactId", contact, "contactsIds", List.of(contact), "assignedUserId", bob));

        mail.send("rita@client.example", List.of(ALICE), message("Rita Returning <rita@client.example>", ALICE,
            "<second-order@client.example>", "", "Second order", "We would like 20 more chairs."));

        assertThat(webAdmin.awaitDecision("<second-order@client.example>").path("reason").asText()).isEqualTo("REPEAT_LEAD");
        JsonNode lead = byKey("Lead", "<second-order@client.example>");
        assertThat(lead.path("assignedUserId").asText()).as("the client's responsible").isEqualTo(bob);
        assertThat(lead.path("description").asText()).contains("Second order").contains("Returning customer.");
        JsonNode email = email("<second-order@client.example>");
        assertThat(email.path("parentType").asText()).isEqualTo("Lead");
        assertThat(email.path("parentId").asText()).isEqualTo(lead.path("id").asText());
        assertThat(email.path("cCaptureItems").asText()).contains("Lead:" + lead.path("id").asText()).contains("Contact:" + contact);
        assertThat(SITE.records("Opportunity")).filteredOn(deal -> deal.path("contactId").asText().equals(contact)).singleElement()
            .satisfies(deal -> assertThat(deal.path("stage").asText()).isEqualTo("Closed Won"));
    }

    @Test
    void theGroupMailboxShouldHandNewClientsLeadsToAliceAndBobInTurn() throws Exception {
        List<String> clients = List.of("hugo", "iris", "jack");
        for (String client : clients) {
            String messageId = "<rr-" + client + "@client.example>";
            mail.send(client + "@client.example", List.of(SALES), message(client + "@client.example", SALES, messageId, "",
                "Price list", "Could you send your prices?"));
            assertThat(webAdmin.awaitDecision(messageId).path("reason").asText()).isEqualTo("NEW_LEAD");
        }

        List<String> responsibles = clients.stream().map(client -> {
            JsonNode lead = byKey("Lead", "<rr-" + client + "@client.example>");
            assertThat(lead.path("emailAddress").asText()).isEqualTo(client + "@client.example");
            assertThat(email("<rr-" + client + "@client.example>").path("parentId").asText()).isEqualTo(lead.path("id").asText());
            return lead.path("assignedUserId").asText();
        }).toList();
        assertThat(responsibles.subList(0, 2)).containsExactlyInAnyOrder(alice, bob);
        assertThat(responsibles.get(2)).isEqualTo(responsibles.get(0));
    }

    @Test
    void aNewClientWritingToALeadlessMailboxShouldGetAContactAndAnOpportunityButNoLead() throws Exception {
        mail.send("kim@client.example", List.of(DORA), message("Kim Newcomer <kim@client.example>", DORA, "<leadless@client.example>", "",
            "Office desks", "Do you deliver to Lyon?"));

        assertThat(webAdmin.awaitDecision("<leadless@client.example>").path("reason").asText()).isEqualTo("NEW_CONTACT_AND_DEAL");
        assertThat(SITE.records("Lead")).noneMatch(lead -> lead.path("emailAddress").asText().equals("kim@client.example"));
        JsonNode contact = byKey("Contact", "<leadless@client.example>");
        JsonNode deal = byKey("Opportunity", "<leadless@client.example>");
        assertThat(contact.path("assignedUserId").asText()).isEqualTo(dora);
        assertThat(deal.path("contactId").asText()).isEqualTo(contact.path("id").asText());
        assertThat(deal.path("accountId").asText()).as("the account of the client's domain").isEqualTo(contact.path("accountId").asText());
        assertThat(deal.path("stage").asText()).isEqualTo("Prospecting");
        JsonNode email = email("<leadless@client.example>");
        assertThat(email.path("parentType").asText()).isEqualTo("Opportunity");
        assertThat(email.path("cCaptureItems").asText()).contains("Contact:" + contact.path("id").asText());
        assertThat(email.path("assignedUserId").asText()).isEqualTo(dora);
    }

    @Test
    void aClientMailForwardedAsAttachmentToTheCaptureAddressShouldBeSavedForTheForwardingEmployee() throws Exception {
        String clientMail = message("Lena Lost <lena@client.example>", BOB, "<lena-order@client.example>", "", "Order of lamps",
            "Please send 12 lamps.");
        mail.send("lena@client.example", List.of(BOB), clientMail);
        assertThat(webAdmin.awaitDecision("<lena-order@client.example>").path("reason").asText()).isEqualTo("UNKNOWN_CLIENT_NO_CREATE");

        String forward = "From: Bob Brown <" + BOB + ">\r\nTo: " + CRM + "\r\nSubject: Fwd: Order of lamps\r\n"
            + "Date: Sun, 22 Nov 2026 11:00:00 +0300\r\nMessage-ID: <fwd-lena@company.example>\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"fwd\"\r\n\r\n"
            + "--fwd\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nFor the CRM.\r\n"
            + "--fwd\r\nContent-Type: message/rfc822\r\n\r\n" + clientMail + "--fwd--\r\n";
        mail.sendAuthenticated(BOB, List.of(CRM), forward);

        await().atMost(CAPTURE).untilAsserted(() -> assertThat(webAdmin.decisions("<lena-order@client.example>")).hasSize(2));
        assertThat(webAdmin.decisions("<lena-order@client.example>").get(0).path("reason").asText()).isEqualTo("NEW_LEAD");
        JsonNode lead = byKey("Lead", "<lena-order@client.example>");
        assertThat(lead.path("assignedUserId").asText()).as("the forwarding employee").isEqualTo(bob);
        JsonNode email = email("<lena-order@client.example>");
        assertThat(email.path("parentId").asText()).isEqualTo(lead.path("id").asText());
        assertThat(email.path("messageId").asText()).as("the client's mail, not the forward").isEqualTo("<lena-order@client.example>");
        assertThat(email.path("name").asText()).isEqualTo("Order of lamps");
        assertThat(SITE.emailsWithCaptureKey("<fwd-lena@company.example>")).isEmpty();
        assertThat(SITE.emailsWithMessageId("<fwd-lena@company.example>")).isEmpty();
    }

    @Test
    void anUnknownClientsMailShouldBeDeliveredButNotCapturedWhenLeadCreationIsOff() throws Exception {
        mail.send("max@client.example", List.of(ALICE), message("Max Stranger <max@client.example>", ALICE, "<max-hello@client.example>",
            "", "Hello", "Are you hiring?"));

        assertThat(webAdmin.awaitDecision("<max-hello@client.example>").path("reason").asText()).isEqualTo("UNKNOWN_CLIENT_NO_CREATE");
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(mail.inbox(ALICE)).contains("Are you hiring?"));
        assertThat(SITE.records("Lead")).noneMatch(lead -> lead.path("emailAddress").asText().equals("max@client.example"));
        assertThat(SITE.emailsWithMessageId("<max-hello@client.example>")).isEmpty();
    }
}

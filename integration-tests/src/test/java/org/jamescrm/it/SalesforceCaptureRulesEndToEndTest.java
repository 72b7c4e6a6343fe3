package org.jamescrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.jamescrm.it.ClientMailCaptureEndToEndTest.message;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.james.GuiceJamesServer;
import org.apache.james.JamesServerExtension;
import org.jamescrm.emulator.salesforce.SalesforceEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Capture settings a CRM administrator wrote, end to end on Salesforce (the seed scenarios of the Bitrix24 and EspoCRM
 * capture-rules tests), with the client-credentials flow: a repeat lead although lead creation is off, round robin on
 * a group mailbox, a leadless mailbox, a manual save, lead creation off. The server is shared by the class, so every
 * test uses its own client addresses and Message-IDs; only mail towards the company is sent (no smarthost needed).
 */
class SalesforceCaptureRulesEndToEndTest {
    static final String ALICE = "alice@company.example";
    static final String BOB = "bob@company.example";
    static final String DORA = "dora@company.example";
    static final String SALES = "sales@company.example";
    static final String CRM = "crm@company.example";
    static final Duration CAPTURE = Duration.ofSeconds(30);

    static final SalesforceEmulator ORG = SalesforceEmulator.builder().start();

    static final String SETTINGS = InstalledJames.captureRulesSettings("""
          <connector>salesforce</connector>
          <salesforce>
            <loginUrl>%s</loginUrl>
            <clientId>%s</clientId>
            <clientSecret>%s</clientSecret>
          </salesforce>
        """.formatted(ORG.loginUrl(), ORG.clientId(), ORG.clientSecret()));

    @RegisterExtension
    static JamesServerExtension james = InstalledJames.withProductConfiguration().captureSettings(SETTINGS).extension();

    static MailClient mail;
    static WebAdminClient webAdmin;
    static String alice;
    static String bob;
    static String dora;

    @BeforeAll
    static void createMailboxes(GuiceJamesServer server) throws Exception {
        alice = ORG.addUser(ALICE, "Alice Adams");
        bob = ORG.addUser(BOB, "Bob Brown");
        dora = ORG.addUser(DORA, "Dora Diaz");
        InstalledJames.Clients clients = InstalledJames.connect(server, ALICE, BOB, DORA, SALES, CRM);
        mail = clients.mail();
        webAdmin = clients.webAdmin();
    }

    @AfterEach
    void noDuplicateAndNoValueRefused() {
        ORG.violations().assertNone();
    }

    @AfterAll
    static void stopOrg() {
        ORG.close();
    }

    private static JsonNode byKey(String type, String key) {
        String hash = SalesforceKeys.hash(key);
        return ORG.records(type).stream().filter(record -> hash.equals(record.path("Capture_Key__c").asText())).findFirst().orElseThrow();
    }

    private static List<String> people(JsonNode email) {
        return ORG.records("EmailMessageRelation").stream().filter(relation -> relation.path("EmailMessageId").asText()
            .equals(email.path("Id").asText())).map(relation -> relation.path("RelationId").asText()).toList();
    }

    @Test
    void aKnownClientWhoseOnlyOpportunityIsWonShouldGetARepeatLeadForItsOwnerAlthoughLeadCreationIsOff() throws Exception {
        String contact = ORG.add("Contact", Map.of("FirstName", "Rita", "LastName", "Returning", "Email", "rita@client.example",
            "OwnerId", bob));
        ORG.add("Opportunity", Map.of("Name", "First order", "StageName", "Closed Won", "CloseDate", "2026-10-01", "ContactId", contact,
            "OwnerId", bob));

        mail.send("rita@client.example", List.of(ALICE), message("Rita Returning <rita@client.example>", ALICE,
            "<second-order@client.example>", "", "Second order", "We would like 20 more chairs."));

        assertThat(webAdmin.awaitDecision("<second-order@client.example>").path("reason").asText()).isEqualTo("REPEAT_LEAD");
        JsonNode lead = byKey("Lead", "<second-order@client.example>");
        assertThat(lead.path("OwnerId").asText()).as("the client's owner").isEqualTo(bob);
        assertThat(lead.path("Description").asText()).contains("Second order").contains("Returning customer.");
        JsonNode email = byKey("EmailMessage", "<second-order@client.example>");
        assertThat(people(email)).contains(lead.path("Id").asText());
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

        List<String> owners = clients.stream().map(client -> {
            JsonNode lead = byKey("Lead", "<rr-" + client + "@client.example>");
            assertThat(lead.path("Email").asText()).isEqualTo(client + "@client.example");
            assertThat(people(byKey("EmailMessage", "<rr-" + client + "@client.example>"))).containsExactly(lead.path("Id").asText());
            return lead.path("OwnerId").asText();
        }).toList();
        assertThat(owners.subList(0, 2)).containsExactlyInAnyOrder(alice, bob);
        assertThat(owners.get(2)).isEqualTo(owners.get(0));
    }

    @Test
    void aNewClientWritingToALeadlessMailboxShouldGetAContactAndAnOpportunityButNoLead() throws Exception {
        mail.send("kim@client.example", List.of(DORA), message("Kim Newcomer <kim@client.example>", DORA, "<leadless@client.example>", "",
            "Office desks", "Do you deliver to Lyon?"));

        assertThat(webAdmin.awaitDecision("<leadless@client.example>").path("reason").asText()).isEqualTo("NEW_CONTACT_AND_DEAL");
        assertThat(ORG.records("Lead")).noneMatch(lead -> lead.path("Email").asText().equals("kim@client.example"));
        JsonNode contact = byKey("Contact", "<leadless@client.example>");
        JsonNode deal = byKey("Opportunity", "<leadless@client.example>");
        assertThat(contact.path("OwnerId").asText()).isEqualTo(dora);
        assertThat(deal.path("ContactId").asText()).isEqualTo(contact.path("Id").asText());
        assertThat(ORG.records("OpportunityContactRole")).anyMatch(role -> role.path("OpportunityId").asText().equals(deal.path("Id").asText())
            && role.path("ContactId").asText().equals(contact.path("Id").asText()));
        assertThat(deal.path("StageName").asText()).isEqualTo("Prospecting");
        JsonNode email = byKey("EmailMessage", "<leadless@client.example>");
        assertThat(email.path("RelatedToId").asText()).isEqualTo(deal.path("Id").asText());
        assertThat(people(email)).containsExactly(contact.path("Id").asText());
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
        assertThat(lead.path("OwnerId").asText()).as("the forwarding employee").isEqualTo(bob);
        JsonNode email = byKey("EmailMessage", "<lena-order@client.example>");
        assertThat(email.path("MessageIdentifier").asText()).as("the client's mail, not the forward").isEqualTo("<lena-order@client.example>");
        assertThat(email.path("Subject").asText()).isEqualTo("Order of lamps");
        assertThat(ORG.records("EmailMessage")).noneMatch(record -> record.path("MessageIdentifier").asText().equals("<fwd-lena@company.example>"));
    }

    @Test
    void anUnknownClientsMailShouldBeDeliveredButNotCapturedWhenLeadCreationIsOff() throws Exception {
        mail.send("max@client.example", List.of(ALICE), message("Max Stranger <max@client.example>", ALICE, "<max-hello@client.example>",
            "", "Hello", "Are you hiring?"));

        assertThat(webAdmin.awaitDecision("<max-hello@client.example>").path("reason").asText()).isEqualTo("UNKNOWN_CLIENT_NO_CREATE");
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(mail.inbox(ALICE)).contains("Are you hiring?"));
        assertThat(ORG.records("Lead")).noneMatch(lead -> lead.path("Email").asText().equals("max@client.example"));
        assertThat(ORG.records("EmailMessage")).noneMatch(record -> record.path("MessageIdentifier").asText().equals("<max-hello@client.example>"));
    }
}

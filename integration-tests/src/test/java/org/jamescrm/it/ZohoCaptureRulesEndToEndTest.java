package org.jamescrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.jamescrm.it.ClientMailCaptureEndToEndTest.message;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.james.GuiceJamesServer;
import org.apache.james.JamesServerExtension;
import org.jamescrm.emulator.zoho.ZohoEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * Capture settings a CRM administrator wrote, end to end on Zoho CRM (the seed scenarios of
 * Bitrix24CaptureRulesEndToEndTest): a repeat lead although lead creation is off, round robin on a group
 * mailbox, a leadless mailbox, a manual save, lead creation off. The server is shared by the class, so
 * every test uses its own client addresses and Message-IDs.
 */
class ZohoCaptureRulesEndToEndTest {
    static final String ALICE = "alice@company.example";
    static final String BOB = "bob@company.example";
    static final String DORA = "dora@company.example";
    static final String SALES = "sales@company.example";
    static final String CRM = "crm@company.example";
    static final Duration CAPTURE = Duration.ofSeconds(30);

    static final ZohoEmulator ORG = ZohoEmulator.builder().dataCentre("IN").start();

    @RegisterExtension
    static GreenMailExtension clientMailServer = new GreenMailExtension(new ServerSetup(3034, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
        .withPerMethodLifecycle(false);

    @RegisterExtension
    static JamesServerExtension james = InstalledJames.withProductConfiguration().smarthost(3034)
        .captureSettings(InstalledJames.captureRulesSettings(InstalledJames.zohoElement(ORG))).extension();

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
    void noDuplicate() {
        ORG.violations().assertNone();
    }

    @AfterAll
    static void stopOrganisation() {
        ORG.close();
    }

    private static JsonNode byKey(String module, String key) {
        return ORG.records(module).stream().filter(record -> key.equals(record.path("Capture_Key").asText())).findFirst().orElseThrow();
    }

    private static ObjectNode email(String key) {
        return ORG.email(key).orElseThrow(() -> new AssertionError("no e-mail " + key));
    }

    @Test
    void aKnownClientWhoseOnlyDealIsWonShouldGetARepeatLeadForItsResponsibleAlthoughLeadCreationIsOff() throws Exception {
        String contact = ORG.add("Contacts", Map.of("First_Name", "Rita", "Last_Name", "Returning", "Email", "rita@client.example",
            "Owner", bob));
        ORG.add("Deals", Map.of("Deal_Name", "First order", "Stage", "Closed Won", "Closing_Date", "2026-10-01", "Contact_Name", contact,
            "Owner", bob));

        mail.send("rita@client.example", List.of(ALICE), message("Rita Returning <rita@client.example>", ALICE,
            "<second-order@client.example>", "", "Second order", "We would like 20 more chairs."));

        assertThat(webAdmin.awaitDecision("<second-order@client.example>").path("reason").asText()).isEqualTo("REPEAT_LEAD");
        JsonNode lead = byKey("Leads", "<second-order@client.example>");
        assertThat(lead.path("Owner").path("id").asText()).as("the client's responsible").isEqualTo(bob);
        assertThat(lead.path("Description").asText()).contains("Second order").contains("Returning customer.");
        ObjectNode email = email("<second-order@client.example>");
        assertThat(email.path("record").path("id").asText()).isEqualTo(lead.path("id").asText());
        assertThat(email.path("linked_record").path("id").asText()).as("the client's contact").isEqualTo(contact);
        assertThat(ORG.records("Deals")).filteredOn(deal -> deal.path("Contact_Name").path("id").asText().equals(contact)).singleElement()
            .satisfies(deal -> assertThat(deal.path("Stage").asText()).isEqualTo("Closed Won"));
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
            JsonNode lead = byKey("Leads", "<rr-" + client + "@client.example>");
            assertThat(lead.path("Email").asText()).isEqualTo(client + "@client.example");
            assertThat(email("<rr-" + client + "@client.example>").path("record").path("id").asText()).isEqualTo(lead.path("id").asText());
            return lead.path("Owner").path("id").asText();
        }).toList();
        assertThat(responsibles.subList(0, 2)).containsExactlyInAnyOrder(alice, bob);
        assertThat(responsibles.get(2)).isEqualTo(responsibles.get(0));
    }

    @Test
    void aNewClientWritingToALeadlessMailboxShouldGetAContactAndADealButNoLead() throws Exception {
        mail.send("kim@client.example", List.of(DORA), message("Kim Newcomer <kim@client.example>", DORA, "<leadless@client.example>", "",
            "Office desks", "Do you deliver to Lyon?"));

        assertThat(webAdmin.awaitDecision("<leadless@client.example>").path("reason").asText()).isEqualTo("NEW_CONTACT_AND_DEAL");
        assertThat(ORG.records("Leads")).noneMatch(lead -> lead.path("Email").asText().equals("kim@client.example"));
        JsonNode contact = byKey("Contacts", "<leadless@client.example>");
        JsonNode deal = byKey("Deals", "<leadless@client.example>");
        assertThat(contact.path("Owner").path("id").asText()).isEqualTo(dora);
        assertThat(deal.path("Contact_Name").path("id").asText()).isEqualTo(contact.path("id").asText());
        assertThat(deal.path("Stage").asText()).as("the first open stage").isEqualTo("Qualification");
        ObjectNode email = email("<leadless@client.example>");
        assertThat(email.path("record").path("id").asText()).isEqualTo(contact.path("id").asText());
        assertThat(email.path("linked_record").path("id").asText()).isEqualTo(deal.path("id").asText());
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
        JsonNode lead = byKey("Leads", "<lena-order@client.example>");
        assertThat(lead.path("Owner").path("id").asText()).as("the forwarding employee").isEqualTo(bob);
        ObjectNode email = email("<lena-order@client.example>");
        assertThat(email.path("record").path("id").asText()).isEqualTo(lead.path("id").asText());
        assertThat(email.path("subject").asText()).isEqualTo("Order of lamps");
        assertThat(ORG.email("<fwd-lena@company.example>")).isEmpty();
    }

    @Test
    void anUnknownClientsMailShouldBeDeliveredButNotCapturedWhenLeadCreationIsOff() throws Exception {
        mail.send("max@client.example", List.of(ALICE), message("Max Stranger <max@client.example>", ALICE, "<max-hello@client.example>",
            "", "Hello", "Are you hiring?"));

        assertThat(webAdmin.awaitDecision("<max-hello@client.example>").path("reason").asText()).isEqualTo("UNKNOWN_CLIENT_NO_CREATE");
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(mail.inbox(ALICE)).contains("Are you hiring?"));
        assertThat(ORG.records("Leads")).noneMatch(lead -> lead.path("Email").asText().equals("max@client.example"));
        assertThat(ORG.email("<max-hello@client.example>")).isEmpty();
    }
}

package org.jamescrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jamescrm.it.CaptureRulesScenario.ALICE;
import static org.jamescrm.it.CaptureRulesScenario.BOB;
import static org.jamescrm.it.CaptureRulesScenario.DORA;
import static org.jamescrm.it.CaptureRulesScenario.roundRobinMessageId;

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
    static final ZohoEmulator ORG = ZohoEmulator.builder().dataCentre("IN").start();

    @RegisterExtension
    static GreenMailExtension clientMailServer = new GreenMailExtension(new ServerSetup(3034, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
        .withPerMethodLifecycle(false);

    @RegisterExtension
    static JamesServerExtension james = InstalledJames.withProductConfiguration().smarthost(3034)
        .captureSettings(InstalledJames.captureRulesSettings(InstalledJames.zohoElement(ORG))).extension();

    static CaptureRulesScenario scenario;
    static String alice;
    static String bob;
    static String dora;

    @BeforeAll
    static void createMailboxes(GuiceJamesServer server) throws Exception {
        alice = ORG.addUser(ALICE, "Alice Adams");
        bob = ORG.addUser(BOB, "Bob Brown");
        dora = ORG.addUser(DORA, "Dora Diaz");
        scenario = CaptureRulesScenario.connect(server);
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

        scenario.knownClientOrdersAgain();

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
        scenario.newClientsWriteToTheGroupMailbox(client -> {
            JsonNode lead = byKey("Leads", roundRobinMessageId(client));
            assertThat(lead.path("Email").asText()).isEqualTo(client + "@client.example");
            assertThat(email(roundRobinMessageId(client)).path("record").path("id").asText()).isEqualTo(lead.path("id").asText());
            return lead.path("Owner").path("id").asText();
        }, alice, bob);
    }

    @Test
    void aNewClientWritingToALeadlessMailboxShouldGetAContactAndADealButNoLead() throws Exception {
        scenario.newClientWritesToTheLeadlessMailbox();

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
        scenario.bobForwardsItToTheCaptureAddress(scenario.unknownClientWritesToBob());

        JsonNode lead = byKey("Leads", "<lena-order@client.example>");
        assertThat(lead.path("Owner").path("id").asText()).as("the forwarding employee").isEqualTo(bob);
        ObjectNode email = email("<lena-order@client.example>");
        assertThat(email.path("record").path("id").asText()).isEqualTo(lead.path("id").asText());
        assertThat(email.path("subject").asText()).isEqualTo("Order of lamps");
        assertThat(ORG.email("<fwd-lena@company.example>")).isEmpty();
    }

    @Test
    void anUnknownClientsMailShouldBeDeliveredButNotCapturedWhenLeadCreationIsOff() throws Exception {
        scenario.unknownClientWritesToAlice();

        assertThat(ORG.records("Leads")).noneMatch(lead -> lead.path("Email").asText().equals("max@client.example"));
        assertThat(ORG.email("<max-hello@client.example>")).isEmpty();
    }
}

package org.jamescrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jamescrm.it.CaptureRulesScenario.ALICE;
import static org.jamescrm.it.CaptureRulesScenario.BOB;
import static org.jamescrm.it.CaptureRulesScenario.DORA;
import static org.jamescrm.it.CaptureRulesScenario.roundRobinMessageId;

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

        scenario.knownClientOrdersAgain();

        JsonNode lead = byKey("Lead", "<second-order@client.example>");
        assertThat(lead.path("OwnerId").asText()).as("the client's owner").isEqualTo(bob);
        assertThat(lead.path("Description").asText()).contains("Second order").contains("Returning customer.");
        JsonNode email = byKey("EmailMessage", "<second-order@client.example>");
        assertThat(people(email)).contains(lead.path("Id").asText());
    }

    @Test
    void theGroupMailboxShouldHandNewClientsLeadsToAliceAndBobInTurn() throws Exception {
        scenario.newClientsWriteToTheGroupMailbox(client -> {
            JsonNode lead = byKey("Lead", roundRobinMessageId(client));
            assertThat(lead.path("Email").asText()).isEqualTo(client + "@client.example");
            assertThat(people(byKey("EmailMessage", roundRobinMessageId(client)))).containsExactly(lead.path("Id").asText());
            return lead.path("OwnerId").asText();
        }, alice, bob);
    }

    @Test
    void aNewClientWritingToALeadlessMailboxShouldGetAContactAndAnOpportunityButNoLead() throws Exception {
        scenario.newClientWritesToTheLeadlessMailbox();

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
        scenario.bobForwardsItToTheCaptureAddress(scenario.unknownClientWritesToBob());

        JsonNode lead = byKey("Lead", "<lena-order@client.example>");
        assertThat(lead.path("OwnerId").asText()).as("the forwarding employee").isEqualTo(bob);
        JsonNode email = byKey("EmailMessage", "<lena-order@client.example>");
        assertThat(email.path("MessageIdentifier").asText()).as("the client's mail, not the forward").isEqualTo("<lena-order@client.example>");
        assertThat(email.path("Subject").asText()).isEqualTo("Order of lamps");
        assertThat(ORG.records("EmailMessage")).noneMatch(record -> record.path("MessageIdentifier").asText().equals("<fwd-lena@company.example>"));
    }

    @Test
    void anUnknownClientsMailShouldBeDeliveredButNotCapturedWhenLeadCreationIsOff() throws Exception {
        scenario.unknownClientWritesToAlice();

        assertThat(ORG.records("Lead")).noneMatch(lead -> lead.path("Email").asText().equals("max@client.example"));
        assertThat(ORG.records("EmailMessage")).noneMatch(record -> record.path("MessageIdentifier").asText().equals("<max-hello@client.example>"));
    }
}

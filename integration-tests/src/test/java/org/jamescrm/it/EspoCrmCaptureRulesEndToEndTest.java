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

    static CaptureRulesScenario scenario;
    static String alice;
    static String bob;
    static String dora;

    @BeforeAll
    static void createMailboxes(GuiceJamesServer server) throws Exception {
        alice = SITE.addUser(ALICE, "Alice Adams");
        bob = SITE.addUser(BOB, "Bob Brown");
        dora = SITE.addUser(DORA, "Dora Diaz");
        scenario = CaptureRulesScenario.connect(server);
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

        scenario.knownClientOrdersAgain();

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
        scenario.newClientsWriteToTheGroupMailbox(client -> {
            JsonNode lead = byKey("Lead", roundRobinMessageId(client));
            assertThat(lead.path("emailAddress").asText()).isEqualTo(client + "@client.example");
            assertThat(email(roundRobinMessageId(client)).path("parentId").asText()).isEqualTo(lead.path("id").asText());
            return lead.path("assignedUserId").asText();
        }, alice, bob);
    }

    @Test
    void aNewClientWritingToALeadlessMailboxShouldGetAContactAndAnOpportunityButNoLead() throws Exception {
        scenario.newClientWritesToTheLeadlessMailbox();

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
        scenario.bobForwardsItToTheCaptureAddress(scenario.unknownClientWritesToBob());

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
        scenario.unknownClientWritesToAlice();

        assertThat(SITE.records("Lead")).noneMatch(lead -> lead.path("emailAddress").asText().equals("max@client.example"));
        assertThat(SITE.emailsWithMessageId("<max-hello@client.example>")).isEmpty();
    }
}

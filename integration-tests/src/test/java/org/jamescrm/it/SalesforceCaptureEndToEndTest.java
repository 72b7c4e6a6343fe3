package org.jamescrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.jamescrm.it.CaptureScenario.ALICE;
import static org.jamescrm.it.CaptureScenario.BOB;
import static org.jamescrm.it.CaptureScenario.CAPTURE;
import static org.jamescrm.it.ClientMailCaptureEndToEndTest.message;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.james.GuiceJamesServer;
import org.apache.james.JamesServerExtension;
import org.jamescrm.emulator.Fault;
import org.jamescrm.emulator.FaultPlan;
import org.jamescrm.emulator.salesforce.SalesforceEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * The capture end to end on Salesforce: a real James 3.8.1 server with the product installed and
 * {@code <connector>salesforce</connector>} (the JWT bearer flow, the key as PEM text), talking over HTTP to the strict
 * Salesforce emulator. Every message is delivered whatever the CRM does; no test leaves a duplicate or a value the
 * CRM refused for its length.
 */
class SalesforceCaptureEndToEndTest {
    static final String SALES = "sales@company.example";

    /** Started before James, whose settings name its URL. */
    static final SalesforceEmulator ORG = SalesforceEmulator.builder().start();

    static final String SETTINGS = """
        <crmcapture>
          <connector>salesforce</connector>
          <salesforce>
            <loginUrl>%s</loginUrl>
            <clientId>%s</clientId>
            <username>%s</username>
            <privateKey>%s</privateKey>
          </salesforce>
          <mailbox address="sales@company.example" group="true">
            <distribution>round-robin</distribution>
            <queue>alice@company.example</queue>
          </mailbox>
        </crmcapture>
        """.formatted(ORG.loginUrl(), ORG.clientId(), ORG.username(), ORG.privateKeyPem());

    @RegisterExtension
    static GreenMailExtension clientMailServer = new GreenMailExtension(new ServerSetup(3032, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
        .withPerMethodLifecycle(false);

    @RegisterExtension
    static JamesServerExtension james = InstalledJames.withProductConfiguration().smarthost(3032).captureSettings(SETTINGS).extension();

    static CaptureScenario scenario;
    static String alice;

    @BeforeAll
    static void createMailboxes(GuiceJamesServer server) throws Exception {
        alice = ORG.addUser(ALICE, "Alice Adams");
        ORG.addUser(BOB, "Bob Brown");
        scenario = CaptureScenario.connect(server, SALES);
    }

    @AfterEach
    void noDuplicateAndNoValueRefused() {
        ORG.violations().assertNone();
    }

    @AfterAll
    static void stopOrg() {
        ORG.close();
    }

    private static List<JsonNode> emails(String key) {
        String hash = SalesforceKeys.hash(key);
        return ORG.records("EmailMessage").stream().filter(email -> hash.equals(email.path("Capture_Key__c").asText())).map(JsonNode.class::cast)
            .toList();
    }

    @Test
    void aNewClientsMailShouldBecomeALeadWithItsEmailMessageWrittenOnceWhateverTheRetries() throws Exception {
        // the first attempt fails after the lead was written, on writing the e-mail: the retry finds the lead by its capture key
        ORG.faults().nextMatching(1, request -> request.operation().equals("collections create")
            && request.bodyText().contains("\"EmailMessage\""), Fault.status(503));
        String message = scenario.newClientAsksForAQuote();
        List<JsonNode> leads = ORG.records("Lead").stream().filter(lead -> lead.path("Email").asText().equals("carol@client.example"))
            .map(JsonNode.class::cast).toList();
        assertThat(leads).singleElement().satisfies(lead -> {
            assertThat(lead.path("OwnerId").asText()).isEqualTo(alice);
            assertThat(lead.path("LeadSource").asText()).isEqualTo("Email");
            assertThat(lead.path("Company").asText()).isEqualTo("client.example");
        });
        String leadId = leads.get(0).path("Id").asText();
        assertThat(emails("<quote@client.example>")).singleElement().satisfies(email -> {
            assertThat(email.path("Incoming").asBoolean()).isTrue();
            assertThat(email.path("Status").asText()).isEqualTo("0");
            assertThat(email.path("MessageIdentifier").asText()).isEqualTo("<quote@client.example>");
            assertThat(email.path("TextBody").asText()).contains("40 chairs?");
        });
        String emailId = emails("<quote@client.example>").get(0).path("Id").asText();
        assertThat(ORG.records("EmailMessageRelation")).filteredOn(relation -> relation.path("EmailMessageId").asText().equals(emailId))
            .singleElement().satisfies(relation -> {
                assertThat(relation.path("RelationId").asText()).as("the sender: the lead").isEqualTo(leadId);
                assertThat(relation.path("RelationType").asText()).isEqualTo("FromAddress");
            });
        scenario.theQuoteIsDeliveredAgain(message);
        assertThat(emails("<quote@client.example>")).as("delivered twice, written once").hasSize(1);
    }

    @Test
    void anEmployeesReplyShouldBeOnTheClientsOpportunityAsSentMail() throws Exception {
        String contact = ORG.add("Contact", Map.of("FirstName", "Dave", "LastName", "Client", "Email", "dave@client.example", "OwnerId", alice));
        String deal = ORG.add("Opportunity", Map.of("Name", "Tables", "StageName", "Proposal/Price Quote", "CloseDate", "2027-03-31",
            "ContactId", contact, "OwnerId", alice));

        scenario.clientAsksAndAliceAnswers();

        assertThat(emails("<answer@company.example>")).singleElement().satisfies(email -> {
            assertThat(email.path("RelatedToId").asText()).isEqualTo(deal);
            assertThat(email.path("Incoming").asBoolean()).isFalse();
            assertThat(email.path("Status").asText()).as("sent, and nothing sent by the CRM").isEqualTo("3");
            assertThat(email.path("ToIds").toString()).isEqualTo("[\"" + contact + "\"]");
        });
        assertThat(ORG.records("Lead")).noneMatch(lead -> lead.path("Email").asText().equals("dave@client.example"));
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(clientMailServer.getReceivedMessages()).isNotEmpty());
    }

    @Test
    void mailFromAClientWhoseLeadWasConvertedShouldGoToTheConvertedContactAndOpportunity() throws Exception {
        String lead = ORG.add("Lead", Map.of("LastName", "Prospect", "Company", "prospect.example", "Email", "erin@prospect.example",
            "OwnerId", alice));
        String contact = ORG.convertLead(lead, "Prospect Ltd");
        String opportunity = ORG.record(lead).path("ConvertedOpportunityId").asText();

        scenario.prospectAsksForTheCatalogue();

        assertThat(emails("<erin@prospect.example>")).singleElement()
            .satisfies(email -> assertThat(email.path("RelatedToId").asText()).isEqualTo(opportunity));
        String emailId = emails("<erin@prospect.example>").get(0).path("Id").asText();
        assertThat(ORG.records("EmailMessageRelation")).filteredOn(relation -> relation.path("EmailMessageId").asText().equals(emailId))
            .extracting(relation -> relation.path("RelationId").asText()).containsExactly(contact).doesNotContain(lead);
        assertThat(ORG.records("Lead")).filteredOn(record -> record.path("Email").asText().equals("erin@prospect.example")).hasSize(1);
    }

    @Test
    void mailAmongEmployeesAndAutoRepliesShouldNotReachTheCrm() throws Exception {
        scenario.colleagueAndAutoReplyWrite();

        assertThat(emails("<lunch@company.example>")).isEmpty();
        assertThat(emails("<ooo@client.example>")).isEmpty();
    }

    @Test
    void theCrmRefusingThenRecoveringShouldCaptureTheMailLaterAndDeliverItAtOnce() throws Exception {
        ORG.faults().nextMatching(2, FaultPlan.operation("composite"), Fault.status(503));

        scenario.mail().send("gina@client.example", List.of(SALES), message("Gina <gina@client.example>", SALES, "<later@client.example>", "",
            "Sofas", "Three sofas, please."));

        await().atMost(CAPTURE).untilAsserted(() -> assertThat(scenario.mail().inbox(SALES)).contains("Three sofas, please."));
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(emails("<later@client.example>")).hasSize(1));
    }

    @Test
    void theStatusRouteShouldShowTheCrmReachableAndTheDailyApiBudget() throws Exception {
        scenario.awaitConnectorReachable("salesforce");
        JsonNode budget = new ObjectMapper().readTree(scenario.webAdmin().raw("/crm/salesforce").body());
        assertThat(budget.path("apiAllowed").asLong()).isEqualTo(100_000);
        assertThat(budget.path("optionalWorkStopsAtPercent").asInt()).isEqualTo(90);
        assertThat(budget.path("activityObject").asText()).isEqualTo("EmailMessage");
        assertThat(scenario.webAdmin().raw("/crm/salesforce").body()).doesNotContain("PRIVATE KEY");
    }
}

package org.jamescrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.jamescrm.it.CaptureScenario.ALICE;
import static org.jamescrm.it.CaptureScenario.BOB;
import static org.jamescrm.it.CaptureScenario.CAPTURE;
import static org.jamescrm.it.ClientMailCaptureEndToEndTest.message;

import java.util.Map;

import org.apache.james.GuiceJamesServer;
import org.apache.james.JamesServerExtension;
import org.jamescrm.emulator.Fault;
import org.jamescrm.emulator.zoho.ZohoEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * The capture end to end on Zoho CRM: a real James 3.8.1 server with the product installed and
 * {@code <connector>zoho</connector>}, refreshing its token at the emulated data centre's accounts host
 * and talking over HTTP to the strict Zoho emulator. Every message is delivered whatever the CRM does;
 * no test leaves a duplicate record or an e-mail associated twice.
 */
class ZohoCaptureEndToEndTest {
    /** Started before James, whose settings name its accounts host. */
    static final ZohoEmulator ORG = ZohoEmulator.builder().dataCentre("EU").start();

    @RegisterExtension
    static GreenMailExtension clientMailServer = new GreenMailExtension(new ServerSetup(3034, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
        .withPerMethodLifecycle(false);

    @RegisterExtension
    static JamesServerExtension james = InstalledJames.withProductConfiguration().smarthost(3034).zoho(ORG).extension();

    static CaptureScenario scenario;
    static String alice;

    @BeforeAll
    static void createMailboxes(GuiceJamesServer server) throws Exception {
        alice = ORG.addUser(ALICE, "Alice Adams");
        ORG.addUser(BOB, "Bob Brown");
        scenario = CaptureScenario.connect(server);
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

    @Test
    void aNewClientsMailShouldBecomeALeadWithItsEmailAssociatedOnceWhateverTheRetries() throws Exception {
        // the first attempt fails after the lead was written, on associating the e-mail: the retry finds the lead by its capture key
        ORG.faults().nextMatching(1, request -> request.path().endsWith("/actions/associate_email"), Fault.status(503));
        String message = scenario.newClientAsksForAQuote();
        JsonNode lead = byKey("Leads", "<quote@client.example>");
        assertThat(lead.path("Owner").path("id").asText()).isEqualTo(alice);
        assertThat(lead.path("Email").asText()).isEqualTo("carol@client.example");
        assertThat(lead.path("Lead_Source").asText()).isEqualTo("Email");
        assertThat(ORG.records("Leads")).filteredOn(record -> record.path("Email").asText().equals("carol@client.example")).hasSize(1);
        ObjectNode email = ORG.email("<quote@client.example>").orElseThrow();
        assertThat(email.path("record").path("id").asText()).isEqualTo(lead.path("id").asText());
        assertThat(email.path("sent").asBoolean()).as("received").isFalse();
        assertThat(email.path("from").path("email").asText()).isEqualTo("carol@client.example");
        scenario.theQuoteIsDeliveredAgain(message);
        assertThat(ORG.emails()).filteredOn(found -> found.path("original_message_id").asText().equals("<quote@client.example>")).hasSize(1);
    }

    @Test
    void anEmployeesReplyShouldBeAssociatedWithTheClientsContactAndDealAsSent() throws Exception {
        String contact = ORG.add("Contacts", Map.of("First_Name", "Dave", "Last_Name", "Client", "Email", "dave@client.example",
            "Owner", alice));
        String deal = ORG.add("Deals", Map.of("Deal_Name", "Tables", "Stage", "Negotiation/Review", "Closing_Date", "2027-03-31",
            "Contact_Name", contact, "Owner", alice));

        scenario.clientAsksAndAliceAnswers();

        ObjectNode email = ORG.email("<answer@company.example>").orElseThrow();
        assertThat(email.path("record").path("module").path("api_name").asText()).isEqualTo("Contacts");
        assertThat(email.path("record").path("id").asText()).isEqualTo(contact);
        assertThat(email.path("linked_record").path("id").asText()).isEqualTo(deal);
        assertThat(email.path("sent").asBoolean()).as("sent by the company, associated only: Zoho sends nothing").isTrue();
        assertThat(ORG.records("Leads")).noneMatch(lead -> lead.path("Email").asText().equals("dave@client.example"));
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(clientMailServer.getReceivedMessages()).isNotEmpty());
    }

    @Test
    void aClientKnownOnlyAsALeadShouldHaveItsMailOnThatLead() throws Exception {
        String lead = ORG.add("Leads", Map.of("First_Name", "Erin", "Last_Name", "Prospect", "Email", "erin@prospect.example",
            "Company", "Prospect", "Lead_Status", "Contacted", "Owner", alice));

        scenario.prospectAsksForTheCatalogue();

        ObjectNode email = ORG.email("<erin@prospect.example>").orElseThrow();
        assertThat(email.path("record").path("module").path("api_name").asText()).isEqualTo("Leads");
        assertThat(email.path("record").path("id").asText()).isEqualTo(lead);
        assertThat(ORG.records("Leads")).filteredOn(record -> record.path("Email").asText().equals("erin@prospect.example")).hasSize(1);
        assertThat(ORG.records("Contacts")).noneMatch(contact -> contact.path("Email").asText().equals("erin@prospect.example"));
    }

    @Test
    void mailAmongEmployeesAndAutoRepliesShouldNotReachTheCrm() throws Exception {
        scenario.colleagueAndAutoReplyWrite();

        assertThat(ORG.email("<lunch@company.example>")).isEmpty();
        assertThat(ORG.email("<ooo@client.example>")).isEmpty();
    }

    @Test
    void theStatusRouteShouldShowTheCrmReachableAndTheZohoViewItsLimits() throws Exception {
        scenario.awaitConnectorReachable("zoho");

        JsonNode view = new ObjectMapper().readTree(scenario.webAdmin().raw("/crm/zoho").body());
        assertThat(view.path("dataCentre").asText()).isEqualTo("EU");
        assertThat(view.path("concurrency").asInt()).isEqualTo(10);
        assertThat(view.has("creditsRemaining")).isTrue();
        assertThat(view.path("tokenRefreshes").asLong()).isEqualTo(1);
        assertThat(view.toString()).doesNotContain(ORG.clientSecret(), ORG.refreshToken());
    }
}

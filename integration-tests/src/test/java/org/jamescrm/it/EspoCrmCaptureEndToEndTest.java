package org.jamescrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.jamescrm.it.CaptureScenario.ALICE;
import static org.jamescrm.it.CaptureScenario.BOB;
import static org.jamescrm.it.CaptureScenario.CAPTURE;
import static org.jamescrm.it.ClientMailCaptureEndToEndTest.message;

import java.util.List;
import java.util.Map;

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
 * The capture end to end on EspoCRM: a real James 3.8.1 server with the product installed and
 * {@code <connector>espocrm</connector>}, talking over HTTP to the strict EspoCRM emulator with an API
 * key. Mail is imported from the raw message ({@code importEml}) and bound to the items the rules chose.
 * Every message is delivered whatever the CRM does; no test leaves a duplicate or a sent e-mail.
 */
class EspoCrmCaptureEndToEndTest {
    /** Started before James, whose settings name its URL. */
    static final EspoCrmEmulator SITE = EspoCrmEmulator.builder().start();

    @RegisterExtension
    static GreenMailExtension clientMailServer = new GreenMailExtension(new ServerSetup(3029, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
        .withPerMethodLifecycle(false);

    @RegisterExtension
    static JamesServerExtension james = InstalledJames.withProductConfiguration().smarthost(3029)
        .espocrm(SITE.baseUrl(), SITE.apiKey()).extension();

    static CaptureScenario scenario;
    static String alice;

    @BeforeAll
    static void createMailboxes(GuiceJamesServer server) throws Exception {
        alice = SITE.addUser(ALICE, "Alice Adams");
        SITE.addUser(BOB, "Bob Brown");
        scenario = CaptureScenario.connect(server);
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
    void aNewClientsMailShouldBecomeALeadWithItsEmailArchivedOnceWhateverTheRetries() throws Exception {
        // the first attempt fails after the lead was written and the message imported, on binding the e-mail to the lead:
        // the retry finds the lead by its capture key and the e-mail by its Message-ID
        SITE.faults().nextMatching(1, FaultPlan.operation("PUT Email/{id}"), Fault.status(503));
        String message = scenario.newClientAsksForAQuote();

        // the retry finds the lead it wrote, by address and by capture key: bound to it, never a second one
        List<JsonNode> leads = SITE.records("Lead").stream().filter(lead -> "<quote@client.example>".equals(lead.path("cCaptureKey").asText()))
            .toList();
        assertThat(leads).singleElement().satisfies(lead -> {
            assertThat(lead.path("assignedUserId").asText()).isEqualTo(alice);
            assertThat(lead.path("emailAddress").asText()).isEqualTo("carol@client.example");
            assertThat(lead.path("source").asText()).isEqualTo("Email");
        });
        assertThat(SITE.emailsWithCaptureKey("<quote@client.example>")).singleElement().satisfies(email -> {
            assertThat(email.path("parentType").asText()).isEqualTo("Lead");
            assertThat(email.path("parentId").asText()).isEqualTo(leads.get(0).path("id").asText());
            assertThat(email.path("status").asText()).isEqualTo("Archived");
            assertThat(email.path("from").asText()).isEqualTo("carol@client.example");
            assertThat(email.path("messageId").asText()).as("imported: EspoCRM keeps the real Message-ID").isEqualTo("<quote@client.example>");
        });
        scenario.theQuoteIsDeliveredAgain(message);
        assertThat(SITE.emailsWithCaptureKey("<quote@client.example>")).as("delivered twice, archived once").hasSize(1);
        assertThat(SITE.emailsWithMessageId("<quote@client.example>")).hasSize(1);
    }

    @Test
    void anEmployeesReplyShouldBeArchivedOnTheClientsOpportunity() throws Exception {
        String contact = SITE.add("Contact", Map.of("firstName", "Dave", "lastName", "Client", "emailAddress", "dave@client.example",
            "assignedUserId", alice));
        String deal = SITE.add("Opportunity", Map.of("name", "Tables", "amount", 1200, "closeDate", "2027-03-31", "stage", "Proposal",
            "contactId", contact, "contactsIds", List.of(contact), "assignedUserId", alice));

        scenario.clientAsksAndAliceAnswers();

        assertThat(SITE.emailsWithCaptureKey("<answer@company.example>")).singleElement().satisfies(email -> {
            assertThat(email.path("parentType").asText()).isEqualTo("Opportunity");
            assertThat(email.path("parentId").asText()).isEqualTo(deal);
            assertThat(email.path("status").asText()).as("archived, never sent by the CRM").isEqualTo("Archived");
            assertThat(email.path("cCaptureItems").asText()).startsWith("outgoing");
        });
        assertThat(SITE.records("Lead")).noneMatch(lead -> lead.path("emailAddress").asText().equals("dave@client.example"));
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(clientMailServer.getReceivedMessages()).isNotEmpty());
    }

    @Test
    void aClientKnownOnlyAsALeadShouldHaveItsMailOnThatLead() throws Exception {
        String lead = SITE.add("Lead", Map.of("firstName", "Erin", "lastName", "Prospect", "emailAddress", "erin@prospect.example",
            "status", "In Process", "assignedUserId", alice));

        scenario.prospectAsksForTheCatalogue();

        assertThat(SITE.emailsWithCaptureKey("<erin@prospect.example>")).singleElement().satisfies(email -> {
            assertThat(email.path("parentType").asText()).isEqualTo("Lead");
            assertThat(email.path("parentId").asText()).isEqualTo(lead);
            assertThat(email.path("assignedUserId").asText()).isEqualTo(alice);
        });
        assertThat(SITE.records("Lead")).filteredOn(record -> record.path("emailAddress").asText().equals("erin@prospect.example")).hasSize(1);
        assertThat(SITE.records("Contact")).noneMatch(contact -> contact.path("emailAddress").asText().equals("erin@prospect.example"));
    }

    @Test
    void mailAmongEmployeesAndAutoRepliesShouldNotReachTheCrm() throws Exception {
        scenario.colleagueAndAutoReplyWrite();

        assertThat(SITE.emailsWithCaptureKey("<lunch@company.example>")).isEmpty();
        assertThat(SITE.emailsWithCaptureKey("<ooo@client.example>")).isEmpty();
    }

    @Test
    void theStatusRouteShouldShowTheCrmReachable() {
        scenario.awaitConnectorReachable("espocrm");
    }
}

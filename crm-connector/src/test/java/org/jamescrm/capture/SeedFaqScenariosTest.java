package org.jamescrm.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jamescrm.capture.CaptureHarness.message;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jamescrm.memory.MemoryRecords;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.rules.ReasonCode;
import org.jamescrm.spi.ActivityDirection;
import org.jamescrm.spi.DealStage;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.ItemType;
import org.jamescrm.spi.LeadStatus;
import org.junit.jupiter.api.Test;
import org.jamescrm.decisions.DecisionRecord;

/**
 * One test per question of the seeds' "mail in CRM" FAQ and troubleshooting article: the behaviour
 * users asked about, reproduced on the in-memory CRM through the whole core path.
 */
class SeedFaqScenariosTest {
    static final String CLIENT = "Carol Client <carol@client.example>";
    static final EmailAddress CAROL = EmailAddress.of("carol@client.example");

    @Test
    void spamRoutedToTheInboxShouldNotBeSaved() {
        CaptureHarness harness = new CaptureHarness("");

        DecisionRecord record = harness.deliver("carol@client.example", List.of("alice@company.example"),
            message(CLIENT, "alice@company.example", "<spam@client.example>", "Cheap pills", "X-Spam-Flag: YES\r\n"));

        assertThat(record.reason()).isEqualTo(ReasonCode.SPAM);
        assertThat(harness.crm.leads()).isEmpty();
        assertThat(harness.crm.activities()).isEmpty();
    }

    @Test
    void mailAmongEmployeesShouldNotBeSaved() {
        CaptureHarness harness = new CaptureHarness("");

        DecisionRecord record = harness.deliver("alice@company.example", List.of("bob@company.example"),
            message("alice@company.example", "bob@company.example", "<lunch@company.example>", "Lunch", ""));

        assertThat(record.reason()).isEqualTo(ReasonCode.INTERNAL);
        assertThat(record.captured()).isFalse();
        assertThat(harness.crm.activities()).isEmpty();
        assertThat(harness.decisions.latest("lunch@company.example")).contains(record);
    }

    @Test
    void manualSaveOfMailAmongEmployeesShouldBeRefused() {
        CaptureHarness harness = new CaptureHarness("<captureAddress>crm@company.example</captureAddress>");

        DecisionRecord copy = harness.deliver("alice@company.example", List.of("bob@company.example", "crm@company.example"),
            message("alice@company.example", "bob@company.example", "<memo@company.example>", "Memo", "Bcc: crm@company.example\r\n"));

        assertThat(copy.reason()).as("sent to a colleague and the capture address: resolved in the queue").isEqualTo(ReasonCode.INTERNAL);
        assertThat(copy.detail()).startsWith("manual save refused: only client e-mails can be saved");
        assertThat(harness.crm.activities()).isEmpty();
    }

    @Test
    void manualSaveByBccShouldCaptureWhatIntegrationOffAndCreationOffSkip() {
        CaptureHarness harness = new CaptureHarness("<captureAddress>crm@company.example</captureAddress>"
            + "<defaults><integration>off</integration><createContactForOutgoing>false</createContactForOutgoing></defaults>");

        DecisionRecord automatic = harness.deliver("alice@company.example", List.of("dave@client.example"),
            message("alice@company.example", "dave@client.example", "<auto@company.example>", "Offer", ""));
        DecisionRecord manual = harness.deliver("alice@company.example", List.of("dave@client.example", "crm@company.example"),
            message("alice@company.example", "dave@client.example", "<bcc@company.example>", "Offer", ""));

        assertThat(automatic.reason()).isEqualTo(ReasonCode.INTEGRATION_DISABLED);
        assertThat(manual.reason()).isEqualTo(ReasonCode.NEW_CONTACT);
        assertThat(manual.clients()).containsExactly(EmailAddress.of("dave@client.example"));
        assertThat(manual.settings()).containsEntry("manualSave", "true");
        assertThat(harness.crm.contacts()).extracting(contact -> contact.email().value()).containsExactly("dave@client.example");
    }

    @Test
    void leadShouldBeCreatedAlthoughLeadCreationIsOffWhenRepeatSaleModeIsOn() {
        CaptureHarness harness = new CaptureHarness(
            "<defaults><createLeadForIncoming>false</createLeadForIncoming><repeatSale>lead</repeatSale></defaults>");
        MemoryRecords.Contact contact = harness.crm.addContact("Carol Client", CAROL, Optional.empty(), Optional.of(harness.bob.id()));

        DecisionRecord record = harness.deliver("carol@client.example", List.of("alice@company.example"),
            message(CLIENT, "alice@company.example", "<again@client.example>", "New order", ""));

        assertThat(record.reason()).isEqualTo(ReasonCode.REPEAT_LEAD);
        assertThat(harness.crm.leads()).singleElement().satisfies(lead -> {
            assertThat(lead.returnCustomer()).isTrue();
            assertThat(lead.responsibleId()).contains(harness.bob.id());
            assertThat(lead.email()).isEqualTo(CAROL);
        });
        assertThat(harness.crm.activities().get(0).bindings()).contains(new ItemRef(ItemType.CONTACT, contact.id()));
    }

    @Test
    void unknownClientShouldGetNoLeadWhenLeadCreationIsOff() {
        CaptureHarness harness = new CaptureHarness("<defaults><createLeadForIncoming>false</createLeadForIncoming></defaults>");

        DecisionRecord record = harness.deliver("carol@client.example", List.of("alice@company.example"),
            message(CLIENT, "alice@company.example", "<hello@client.example>", "Hello", ""));

        assertThat(record.reason()).isEqualTo(ReasonCode.UNKNOWN_CLIENT_NO_CREATE);
        assertThat(harness.crm.leads()).isEmpty();
    }

    @Test
    void knownClientWithAnActiveDealShouldBeAttachedToTheDeal() {
        CaptureHarness harness = new CaptureHarness("");
        MemoryRecords.Contact contact = harness.crm.addContact("Carol Client", CAROL, Optional.empty(), Optional.of(harness.bob.id()));
        MemoryRecords.Deal older = harness.crm.addDeal("Chairs", Optional.of(contact.id()), Optional.empty(), Optional.of(harness.bob.id()));
        harness.clock.step(java.time.Duration.ofMinutes(5));
        MemoryRecords.Deal newer = harness.crm.addDeal("Tables", Optional.of(contact.id()), Optional.empty(), Optional.of(harness.carl.id()));
        MemoryRecords.Deal won = harness.crm.addDeal("Desks", Optional.of(contact.id()), Optional.empty(), Optional.of(harness.bob.id()));
        harness.crm.setDealStage(won.id(), DealStage.WON);

        DecisionRecord record = harness.deliver("carol@client.example", List.of("alice@company.example"),
            message(CLIENT, "alice@company.example", "<deal@client.example>", "About the order", ""));

        assertThat(record.reason()).isEqualTo(ReasonCode.ACTIVE_DEAL);
        assertThat(record.items()).containsExactly(new ItemRef(ItemType.DEAL, newer.id()), new ItemRef(ItemType.CONTACT, contact.id()));
        assertThat(record.responsibleId()).contains(harness.carl.id());
        assertThat(older.id()).isNotEqualTo(newer.id());
        assertThat(harness.crm.leads()).isEmpty();
    }

    @Test
    void knownClientWithoutActiveDealInClassicModeShouldBeAttachedToItsClosedLead() {
        CaptureHarness harness = new CaptureHarness("");
        harness.deliver("carol@client.example", List.of("alice@company.example"),
            message(CLIENT, "alice@company.example", "<first@client.example>", "First", ""));
        String leadId = harness.crm.leads().get(0).id();
        MemoryRecords.Deal deal = harness.crm.convertLead(leadId);
        harness.crm.setDealStage(deal.id(), DealStage.LOST);

        DecisionRecord record = harness.deliver("carol@client.example", List.of("alice@company.example"),
            message(CLIENT, "alice@company.example", "<later@client.example>", "Something else", ""));

        assertThat(record.reason()).isEqualTo(ReasonCode.KNOWN_CLIENT);
        assertThat(record.items()).contains(new ItemRef(ItemType.LEAD, leadId));
        assertThat(harness.crm.leads()).hasSize(1);
        assertThat(harness.crm.leads().get(0).status()).isEqualTo(LeadStatus.CONVERTED);
    }

    @Test
    void routeToAssignedManagerShouldKeepTheClientsResponsibleWhenInTheQueue() {
        CaptureHarness harness = new CaptureHarness("<mailbox address=\"sales@company.example\" group=\"true\">"
            + "<routeToAssignedManager>true</routeToAssignedManager><distribution>round-robin</distribution>"
            + "<queue>bob@company.example, carl@company.example</queue></mailbox>");
        MemoryRecords.Contact contact = harness.crm.addContact("Carol Client", CAROL, Optional.empty(), Optional.of(harness.carl.id()));
        harness.crm.addDeal("Chairs", Optional.of(contact.id()), Optional.empty(), Optional.of(harness.carl.id()));

        DecisionRecord record = harness.deliver("carol@client.example", List.of("sales@company.example"),
            message(CLIENT, "sales@company.example", "<q@client.example>", "Question", ""));

        assertThat(record.reason()).isEqualTo(ReasonCode.ACTIVE_DEAL);
        assertThat(record.responsibleId()).contains(harness.carl.id());
        assertThat(harness.crm.leads()).isEmpty();
    }

    @Test
    void routeToAssignedManagerShouldCreateALeadPerMessageForTheQueueWhenTheResponsibleIsNotInIt() {
        CaptureHarness harness = new CaptureHarness("<mailbox address=\"sales@company.example\" group=\"true\">"
            + "<routeToAssignedManager>true</routeToAssignedManager><distribution>round-robin</distribution>"
            + "<queue>bob@company.example, carl@company.example</queue></mailbox>");
        harness.crm.addContact("Carol Client", CAROL, Optional.empty(), Optional.of(harness.alice.id()));

        DecisionRecord first = harness.deliver("carol@client.example", List.of("sales@company.example"),
            message(CLIENT, "sales@company.example", "<q1@client.example>", "Question one", ""));
        DecisionRecord second = harness.deliver("carol@client.example", List.of("sales@company.example"),
            message(CLIENT, "sales@company.example", "<q2@client.example>", "Question two", ""));

        assertThat(first.reason()).isEqualTo(ReasonCode.QUEUE_LEAD);
        assertThat(second.reason()).isEqualTo(ReasonCode.QUEUE_LEAD);
        assertThat(harness.crm.leads()).extracting(MemoryRecords.Lead::responsibleId)
            .containsExactly(Optional.of(harness.bob.id()), Optional.of(harness.carl.id()));
    }

    @Test
    void outgoingMailToANewAddressShouldCreateOneContactAndNeverADuplicate() {
        CaptureHarness harness = new CaptureHarness("");

        DecisionRecord first = harness.deliver("alice@company.example", List.of("dave@client.example"),
            message("Alice Adams <alice@company.example>", "Dave Client <dave@client.example>", "<offer@company.example>", "Offer", ""));
        DecisionRecord second = harness.deliver("alice@company.example", List.of("dave@client.example"),
            message("Alice Adams <alice@company.example>", "Dave Client <dave@client.example>", "<follow-up@company.example>", "Follow-up", ""));

        assertThat(first.reason()).isEqualTo(ReasonCode.NEW_CONTACT);
        assertThat(second.reason()).isEqualTo(ReasonCode.KNOWN_CLIENT);
        assertThat(harness.crm.contacts()).singleElement().satisfies(contact -> {
            assertThat(contact.name()).isEqualTo("Dave Client");
            assertThat(contact.responsibleId()).contains(harness.alice.id());
        });
        assertThat(harness.crm.activities()).hasSize(2).allSatisfy(activity ->
            assertThat(activity.email().direction()).isEqualTo(ActivityDirection.OUTGOING));
    }

    @Test
    void mailShouldBeBoundToBothLeadAndDealAfterTheLeadWasConverted() {
        CaptureHarness harness = new CaptureHarness("");
        harness.deliver("carol@client.example", List.of("alice@company.example"),
            message(CLIENT, "alice@company.example", "<start@client.example>", "Chairs", ""));
        String leadId = harness.crm.leads().get(0).id();
        MemoryRecords.Deal deal = harness.crm.convertLead(leadId);

        DecisionRecord reply = harness.deliver("alice@company.example", List.of("carol@client.example"),
            message("alice@company.example", CLIENT, "<reply@company.example>", "Re: Chairs", "In-Reply-To: <start@client.example>\r\n"));

        assertThat(reply.reason()).isEqualTo(ReasonCode.THREAD);
        assertThat(reply.items()).containsExactly(new ItemRef(ItemType.LEAD, leadId), new ItemRef(ItemType.DEAL, deal.id()));
    }

    @Test
    void incomingActivityShouldStayOpenAfterAReplyAndTheReplyBeCompleted() {
        CaptureHarness harness = new CaptureHarness("");
        harness.deliver("carol@client.example", List.of("alice@company.example"),
            message(CLIENT, "alice@company.example", "<ask@client.example>", "Question", ""));

        harness.deliver("alice@company.example", List.of("carol@client.example"),
            message("alice@company.example", CLIENT, "<answer@company.example>", "Re: Question", "References: <ask@client.example>\r\n"));

        assertThat(harness.crm.activities()).extracting(activity -> activity.email().direction(), activity -> activity.email().completed())
            .containsExactly(org.assertj.core.groups.Tuple.tuple(ActivityDirection.INCOMING, false),
                org.assertj.core.groups.Tuple.tuple(ActivityDirection.OUTGOING, true));
    }

    @Test
    void sentReceivedAndCapturedTimesShouldBeKeptApartInUtc() {
        CaptureHarness harness = new CaptureHarness("");

        harness.deliver("carol@client.example", List.of("alice@company.example"),
            message(CLIENT, "alice@company.example", "<times@client.example>", "Times", ""));

        var email = harness.crm.activities().get(0).email();
        assertThat(email.sentAt()).contains(Instant.parse("2026-11-22T07:15:00Z"));
        assertThat(email.receivedAt()).isEqualTo(Instant.parse("2026-11-22T09:01:00Z"));
        assertThat(email.capturedAt()).isEqualTo(Instant.parse("2026-11-22T09:01:02Z"));
    }

    @Test
    void employeeWithoutCrmUserShouldBeReportedOnceAndItemsCreatedWithoutResponsible() {
        CaptureHarness harness = new CaptureHarness("");

        harness.deliver("carol@client.example", List.of("dana@company.example"),
            message(CLIENT, "dana@company.example", "<d1@client.example>", "One", ""));
        harness.deliver("erin@client.example", List.of("dana@company.example"),
            message("erin@client.example", "dana@company.example", "<d2@client.example>", "Two", ""));

        assertThat(harness.missingUsers.employees()).containsExactly(EmailAddress.of("dana@company.example"));
        assertThat(harness.crm.leads()).hasSize(2).allSatisfy(lead -> assertThat(lead.responsibleId()).isEmpty());
    }

    @Test
    void theSameMessageShouldBeCapturedOnceWhateverTheDeliveries() {
        CaptureHarness harness = new CaptureHarness("");
        String message = message(CLIENT, "alice@company.example, bob@company.example", "<once@client.example>", "Once", "");

        harness.deliver("carol@client.example", List.of("alice@company.example"), message);
        DecisionRecord again = harness.deliver("carol@client.example", List.of("bob@company.example"), message);

        assertThat(again.reason()).isEqualTo(ReasonCode.DUPLICATE);
        assertThat(harness.crm.leads()).hasSize(1);
        assertThat(harness.crm.activities()).hasSize(1);
    }
}

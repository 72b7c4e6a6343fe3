package org.jamescrm.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jamescrm.capture.CaptureHarness.message;

import java.util.List;
import java.util.Optional;

import org.jamescrm.memory.MemoryRecords;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.rules.ReasonCode;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.ItemType;
import org.jamescrm.spi.LeadStatus;
import org.junit.jupiter.api.Test;
import org.jamescrm.decisions.DecisionRecord;

/** Distribution rules, leadless and repeat-deal modes, exclusions that depend on settings. */
class DistributionAndModesTest {
    static final String SALES = "<mailbox address=\"sales@company.example\" group=\"true\">";

    private static DecisionRecord write(CaptureHarness harness, String from, String to, String id) {
        return harness.deliver(from, List.of(to), message(from, to, id, "Subject " + id, ""));
    }

    @Test
    void directDistributionShouldAssignTheConfiguredEmployee() {
        CaptureHarness harness = new CaptureHarness(SALES + "<distribution>direct</distribution>"
            + "<responsible>carl@company.example</responsible></mailbox>");

        write(harness, "x@client.example", "sales@company.example", "<1@x>");

        assertThat(harness.crm.leads()).singleElement().satisfies(lead -> assertThat(lead.responsibleId()).contains(harness.carl.id()));
    }

    @Test
    void roundRobinShouldTakeTheQueueInTurn() {
        CaptureHarness harness = new CaptureHarness(SALES + "<distribution>round-robin</distribution>"
            + "<queue>alice@company.example, bob@company.example, carl@company.example</queue></mailbox>");

        for (int i = 1; i <= 4; i++) {
            write(harness, "client" + i + "@client.example", "sales@company.example", "<" + i + "@x>");
        }

        assertThat(harness.crm.leads()).extracting(MemoryRecords.Lead::responsibleId).containsExactly(Optional.of(harness.alice.id()),
            Optional.of(harness.bob.id()), Optional.of(harness.carl.id()), Optional.of(harness.alice.id()));
    }

    @Test
    void roundRobinShouldNotTakeATurnWhenNothingIsCreated() {
        CaptureHarness harness = new CaptureHarness(SALES + "<distribution>round-robin</distribution>"
            + "<queue>alice@company.example, bob@company.example</queue></mailbox>");
        write(harness, "first@client.example", "sales@company.example", "<1@x>");
        write(harness, "first@client.example", "sales@company.example", "<2@x>"); // attached to the open lead

        write(harness, "second@client.example", "sales@company.example", "<3@x>");

        assertThat(harness.crm.leads()).extracting(MemoryRecords.Lead::responsibleId)
            .containsExactly(Optional.of(harness.alice.id()), Optional.of(harness.bob.id()));
    }

    @Test
    void leastBusyShouldCountOpenItemsOnly() throws Exception {
        CaptureHarness harness = new CaptureHarness(SALES + "<distribution>least-busy</distribution>"
            + "<queue>alice@company.example, bob@company.example</queue></mailbox>");
        // Alice: two closed leads; Bob: one open lead. Least busy by open items is Alice.
        for (String client : List.of("a1@client.example", "a2@client.example")) {
            harness.crm.setLeadStatus(harness.crm.connector().createLead(new org.jamescrm.spi.NewLead("t", "n", EmailAddress.of(client), "EMAIL",
                Optional.of(harness.alice.id()), false, client)).id(), LeadStatus.JUNK);
        }
        harness.crm.connector().createLead(new org.jamescrm.spi.NewLead("t", "n", EmailAddress.of("b1@client.example"), "EMAIL",
            Optional.of(harness.bob.id()), false, "b1"));

        write(harness, "new@client.example", "sales@company.example", "<1@x>");

        assertThat(harness.crm.leads()).filteredOn(lead -> lead.email().value().equals("new@client.example"))
            .singleElement().satisfies(lead -> assertThat(lead.responsibleId()).contains(harness.alice.id()));
    }

    @Test
    void leadlessModeShouldCreateContactAndDealForAnUnknownClient() {
        CaptureHarness harness = new CaptureHarness("<defaults><leadless>true</leadless></defaults>");

        DecisionRecord record = write(harness, "new@client.example", "alice@company.example", "<1@x>");

        assertThat(record.reason()).isEqualTo(ReasonCode.NEW_CONTACT_AND_DEAL);
        assertThat(harness.crm.leads()).isEmpty();
        MemoryRecords.Contact contact = harness.crm.contacts().get(0);
        assertThat(harness.crm.deals()).singleElement().satisfies(deal -> {
            assertThat(deal.contactId()).contains(contact.id());
            assertThat(deal.responsibleId()).contains(harness.alice.id());
        });
        assertThat(record.items()).containsExactly(new ItemRef(ItemType.CONTACT, contact.id()),
            new ItemRef(ItemType.DEAL, harness.crm.deals().get(0).id()));
    }

    @Test
    void repeatDealModeShouldCreateARepeatDealForAKnownClient() {
        CaptureHarness harness = new CaptureHarness("<defaults><repeatSale>deal</repeatSale></defaults>");
        MemoryRecords.Contact contact = harness.crm.addContact("Carol", EmailAddress.of("carol@client.example"), Optional.empty(),
            Optional.of(harness.bob.id()));

        DecisionRecord record = write(harness, "carol@client.example", "alice@company.example", "<1@x>");

        assertThat(record.reason()).isEqualTo(ReasonCode.REPEAT_DEAL);
        assertThat(harness.crm.deals()).singleElement().satisfies(deal -> {
            assertThat(deal.returnCustomer()).isTrue();
            assertThat(deal.contactId()).contains(contact.id());
            assertThat(deal.responsibleId()).contains(harness.bob.id());
        });
    }

    @Test
    void repeatSaleShouldNotComeFromOutgoingMail() {
        CaptureHarness harness = new CaptureHarness("<defaults><repeatSale>lead</repeatSale></defaults>");
        harness.crm.addContact("Carol", EmailAddress.of("carol@client.example"), Optional.empty(), Optional.of(harness.bob.id()));

        DecisionRecord record = write(harness, "alice@company.example", "carol@client.example", "<1@x>");

        assertThat(record.reason()).isEqualTo(ReasonCode.KNOWN_CLIENT);
        assertThat(harness.crm.leads()).isEmpty();
    }

    @Test
    void neverLogFilterAndExcludedMailboxShouldCaptureNothing() {
        CaptureHarness harness = new CaptureHarness("<neverLog><domain>bank.example</domain></neverLog>"
            + "<filter name=\"app-notifications\" field=\"sender\" pattern=\"^noreply@app\\.example$\"/>"
            + "<mailbox address=\"ceo@company.example\"><excluded>true</excluded></mailbox>");

        assertThat(write(harness, "advisor@bank.example", "alice@company.example", "<1@x>").label()).isEqualTo("NEVER_LOG");
        assertThat(write(harness, "noreply@app.example", "alice@company.example", "<2@x>").label()).isEqualTo("FILTERED:app-notifications");
        assertThat(write(harness, "carol@client.example", "ceo@company.example", "<3@x>").label()).isEqualTo("MAILBOX_EXCLUDED");
        assertThat(harness.crm.leads()).isEmpty();
    }

    @Test
    void outgoingMailToANeverLogAndAClientShouldBeCapturedForTheClientOnly() {
        CaptureHarness harness = new CaptureHarness("<neverLog><address>lawyer@law.example</address></neverLog>");

        DecisionRecord record = harness.deliver("alice@company.example", List.of("lawyer@law.example", "dave@client.example"),
            message("alice@company.example", "lawyer@law.example, dave@client.example", "<1@x>", "Contract", ""));

        assertThat(record.clients()).containsExactly(EmailAddress.of("dave@client.example"));
        assertThat(harness.crm.contacts()).extracting(contact -> contact.email().value()).containsExactly("dave@client.example");
    }

    @Test
    void aClientOverTheFloodLimitShouldBeParkedForReview() {
        CaptureHarness harness = new CaptureHarness("<flood><captures>2</captures><window>1 hour</window></flood>");

        write(harness, "loop@client.example", "alice@company.example", "<1@x>");
        write(harness, "loop@client.example", "alice@company.example", "<2@x>");
        DecisionRecord third = write(harness, "loop@client.example", "alice@company.example", "<3@x>");

        assertThat(third.reason()).isEqualTo(ReasonCode.FLOOD);
        assertThat(harness.crm.activities()).hasSize(2);
    }

    @Test
    void concurrentCapturesShouldNotSlipPastTheFloodLimit() throws Exception {
        CaptureHarness harness = new CaptureHarness("<flood><captures>3</captures><window>1 hour</window></flood>");
        List<CaptureRequest> requests = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            requests.add(harness.request("loop@client.example", List.of("alice@company.example"),
                message("loop@client.example", "alice@company.example", "<c" + i + "@x>", "Loop " + i, "")));
        }
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<DecisionRecord>> outcomes = new java.util.ArrayList<>();
            for (CaptureRequest request : requests) {
                outcomes.add(threads.submit(() -> harness.service.capture(request)));
            }
            int captured = 0;
            for (java.util.concurrent.Future<DecisionRecord> outcome : outcomes) {
                captured += outcome.get().captured() ? 1 : 0;
            }
            assertThat(captured).isEqualTo(3);
            assertThat(harness.crm.activities()).hasSize(3);
        } finally {
            threads.shutdown();
        }
    }

    @Test
    void autoRepliesShouldNotCreateLeads() {
        CaptureHarness harness = new CaptureHarness("");

        DecisionRecord record = harness.deliver("carol@client.example", List.of("alice@company.example"),
            message("carol@client.example", "alice@company.example", "<ooo@x>", "Out of Office: back Monday", "Auto-Submitted: auto-replied\r\n"));

        assertThat(record.reason()).isEqualTo(ReasonCode.AUTOMATED);
        assertThat(harness.crm.leads()).isEmpty();
    }

    @Test
    void integrationOffShouldCaptureNothingForThatMailboxOnly() {
        CaptureHarness harness = new CaptureHarness("<mailbox address=\"bob@company.example\"><integration>off</integration></mailbox>");

        assertThat(write(harness, "carol@client.example", "bob@company.example", "<1@x>").reason()).isEqualTo(ReasonCode.INTEGRATION_DISABLED);
        assertThat(write(harness, "carol@client.example", "alice@company.example", "<2@x>").reason()).isEqualTo(ReasonCode.NEW_LEAD);
    }
}

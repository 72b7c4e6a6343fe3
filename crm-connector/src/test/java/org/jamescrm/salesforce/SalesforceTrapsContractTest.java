package org.jamescrm.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.jamescrm.emulator.Fault;
import org.jamescrm.emulator.MutableClock;
import org.jamescrm.emulator.salesforce.SalesforceEmulator;
import org.jamescrm.emulator.salesforce.SalesforceEmulatorExtension;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.spi.ActivityDirection;
import org.jamescrm.spi.ClientRecord;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmLookup;
import org.jamescrm.spi.CrmLookupResult;
import org.jamescrm.spi.CrmRejectedException;
import org.jamescrm.spi.CrmUnavailableException;
import org.jamescrm.spi.DealStage;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.ItemType;
import org.jamescrm.spi.NewContact;
import org.jamescrm.spi.NewLead;
import org.jamescrm.spi.WritePlan;
import org.jamescrm.spi.WriteResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One test per trap of salesforce-zoho-hubspot-api.md §1, each against the strict emulator over HTTP. */
class SalesforceTrapsContractTest {
    static final EmailAddress CAROL = SalesforceMail.CAROL;
    static final EmailAddress ALICE = SalesforceMail.ALICE;

    @RegisterExtension
    static SalesforceEmulatorExtension salesforce = new SalesforceEmulatorExtension();

    private static SalesforceConfiguration jwt(SalesforceEmulator org) {
        return SalesforceConfiguration.jwt(org.loginUrl(), org.clientId(), org.username(), org.privateKeyPem());
    }

    private static SalesforceConnector connector(SalesforceEmulator org, SalesforceConfiguration configuration, Clock clock) {
        return new SalesforceConnector(new SalesforceClient(configuration, clock), configuration, clock);
    }

    private static SalesforceConnector connector() {
        return connector(salesforce.emulator(), jwt(salesforce.emulator()), Clock.systemUTC());
    }

    private static CrmLookupResult clients(SalesforceConnector connector, EmailAddress... clients) throws CrmException {
        return connector.lookUp(new CrmLookup(Set.of(), Set.of(), Set.of(clients), Set.of(), Set.of()));
    }

    private static WritePlan plan(String key, ItemRef... bindings) {
        return new WritePlan(key, List.of(), SalesforceMail.incoming(key, bindings));
    }

    private static String contact(SalesforceEmulator org, String email, Optional<String> account) {
        Map<String, Object> fields = new java.util.LinkedHashMap<>(Map.of("LastName", "Client", "Email", email));
        account.ifPresent(id -> fields.put("AccountId", id));
        return org.add("Contact", fields);
    }

    @AfterEach
    void noViolation() {
        salesforce.emulator().violations().assertNone();
    }

    @Test
    void aQuoteInAnAddressShouldBeEscapedNotEndTheLiteral() throws CrmException {
        SalesforceEmulator org = salesforce.emulator();
        String ohara = contact(org, "ann.o'hara@client.example", Optional.empty());
        contact(org, "someone@client.example", Optional.empty());
        EmailAddress quoted = EmailAddress.of("ann.o'hara@client.example");
        EmailAddress injection = EmailAddress.of("x'OR'someone@client.example");

        CrmLookupResult found = clients(connector(), quoted, injection);

        assertThat(found.clients().get(quoted).contacts()).extracting(ClientRecord.Contact::id).containsExactly(ohara);
        assertThat(found.clients().get(injection).isUnknown()).as("a quote in the address stays in the literal").isTrue();
    }

    @Test
    void mailFromAConvertedLeadShouldGoToItsContactAccountAndOpportunityNeverToTheDeadLead() throws CrmException {
        SalesforceEmulator org = salesforce.emulator();
        String lead = org.add("Lead", Map.of("LastName", "Client", "Company", "client.example", "Email", CAROL.value()));
        String contact = org.convertLead(lead, "Client Ltd");
        JsonFields converted = new JsonFields(org.record(lead));

        ClientRecord carol = clients(connector(), CAROL).clients().get(CAROL);

        assertThat(carol.leads()).as("the converted lead is not answered").isEmpty();
        assertThat(carol.contacts()).extracting(ClientRecord.Contact::id).containsExactly(contact);
        assertThat(carol.companies()).extracting(ClientRecord.Company::id).containsExactly(converted.text("ConvertedAccountId"));
        assertThat(carol.deals()).singleElement().satisfies(deal -> {
            assertThat(deal.id()).isEqualTo(converted.text("ConvertedOpportunityId"));
            assertThat(deal.leadId()).contains(lead);
            assertThat(deal.stage()).isEqualTo(DealStage.IN_PROGRESS);
        });
    }

    @Test
    void aClientWithTwoContactsOnOneAccountShouldHaveBothAndTheAccountOnce() throws CrmException {
        SalesforceEmulator org = salesforce.emulator();
        String account = org.add("Account", Map.of("Name", "Client Ltd"));
        String first = contact(org, CAROL.value(), Optional.of(account));
        String second = contact(org, CAROL.value(), Optional.of(account));

        ClientRecord carol = clients(connector(), CAROL).clients().get(CAROL);

        assertThat(carol.contacts()).extracting(ClientRecord.Contact::id).containsExactly(first, second);
        assertThat(carol.companies()).extracting(ClientRecord.Company::id).containsExactly(account);
    }

    @Test
    void aContactInTwoOpenOpportunitiesShouldHaveBothFoundForTheRulesToPickOne() throws CrmException {
        SalesforceEmulator org = salesforce.emulator();
        String contact = contact(org, CAROL.value(), Optional.empty());
        String chairs = org.add("Opportunity", Map.of("Name", "Chairs", "StageName", "Qualification", "CloseDate", "2027-01-31",
            "ContactId", contact));
        String tables = org.add("Opportunity", Map.of("Name", "Tables", "StageName", "Negotiation", "CloseDate", "2027-02-28",
            "ContactId", contact));

        ClientRecord carol = clients(connector(), CAROL).clients().get(CAROL);

        assertThat(carol.deals()).extracting(ClientRecord.Deal::id).containsExactlyInAnyOrder(chairs, tables);
        assertThat(carol.deals()).allMatch(deal -> deal.stage().active());
    }

    @Test
    void anExpiredSessionShouldBeRenewedOnceForEveryThreadAndTheCallsReplayed() throws Exception {
        SalesforceEmulator org = salesforce.emulator();
        SalesforceConnector connector = connector();
        clients(connector, CAROL);
        org.expireSessions();
        long tokensBefore = org.calls().of("token").size();

        List<CompletableFuture<CrmLookupResult>> threads = IntStream.range(0, 8)
            .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                try {
                    return clients(connector, EmailAddress.of("c" + i + "@client.example"));
                } catch (CrmException e) {
                    throw new IllegalStateException(e);
                }
            })).toList();

        threads.forEach(CompletableFuture::join);
        assertThat(org.calls().of("token").size() - tokensBefore).as("one re-authentication for all threads").isEqualTo(1);
    }

    @Test
    void aSessionRefusedAgainAfterRenewalShouldBeParkedWithTheReason() {
        SalesforceEmulator org = salesforce.emulator();
        org.faults().everyMatching(request -> !request.operation().equals("token"), Fault.expiredToken());

        assertThatThrownBy(() -> clients(connector(), CAROL)).isInstanceOf(CrmRejectedException.class)
            .hasMessageContaining("INVALID_SESSION_ID").hasMessageContaining("after a new session");
        assertThat(org.calls().of("token")).hasSize(2);
    }

    @Test
    void theDailyLimitIsA403ThatShouldHoldCapturesUntilTheBudgetReturnsThenResume() throws CrmException {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T09:00:00Z"), ZoneOffset.UTC);
        try (SalesforceEmulator org = SalesforceEmulator.builder().dailyApiRequests(10).clock(clock).start()) {
            String contact = contact(org, CAROL.value(), Optional.empty());
            SalesforceConnector connector = connector(org, jwt(org), clock);
            org.spendBudget(7);
            // a describe, the e-mail, the sender's link: the tenth request of the day
            connector.write(List.of(plan("<b1@x>", new ItemRef(ItemType.CONTACT, contact))));
            long callsAtTheLimit = org.apiCalls();

            List<WriteResult> held = connector.write(List.of(plan("<b2@x>", new ItemRef(ItemType.CONTACT, contact))));

            assertThat(held.get(0)).isInstanceOfSatisfying(WriteResult.Failed.class, failed -> {
                assertThat(failed.cause()).isInstanceOf(CrmUnavailableException.class).hasMessageContaining("daily API budget");
                assertThat(((CrmUnavailableException) failed.cause()).retryAfter()).isPresent();
            });
            assertThat(org.apiCalls()).as("held without spending a refused call").isEqualTo(callsAtTheLimit);
            assertThat(connector.view()).containsEntry("apiUsedPercent", 100).containsEntry("optionalWorkStopped", true);

            clock.step(Duration.ofHours(24));
            List<WriteResult> resumed = connector.write(List.of(plan("<b2@x>", new ItemRef(ItemType.CONTACT, contact))));

            assertThat(resumed.get(0)).isInstanceOf(WriteResult.Written.class);
            assertThat(org.records("EmailMessage")).hasSize(2);
        }
    }

    @Test
    void aboveTheBudgetShareOptionalWorkShouldStopAndRoundsWaitToFill() throws CrmException {
        try (SalesforceEmulator org = SalesforceEmulator.builder().dailyApiRequests(100).start()) {
            String alice = org.addUser(ALICE.value(), "Alice Adams");
            SalesforceConnector connector = connector(org, jwt(org), Clock.systemUTC());
            org.spendBudget(95);
            CrmLookup lookup = new CrmLookup(Set.of(), Set.of(), Set.of(CAROL), Set.of(ALICE), Set.of(ALICE));
            connector.lookUp(lookup);
            long before = org.calls().of("composite").size();

            CrmLookupResult found = connector.lookUp(lookup);

            assertThat(found.users().get(ALICE).id()).isEqualTo(alice);
            assertThat(found.openItems()).containsEntry(alice, 0);
            assertThat(org.calls().of("composite").size() - before).as("the open items no longer counted: one step less").isEqualTo(1);
            assertThat(connector.budgetWait(3, 0, Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
            assertThat(connector.budgetWait(200, 0, Duration.ofSeconds(3))).isZero();
        }
    }

    @Test
    void aCompositeAnswers200EvenWhenARecordFailsAndEachShouldBeJudgedOnItsOwn() throws CrmException {
        SalesforceEmulator org = salesforce.emulator();
        String contact = contact(org, CAROL.value(), Optional.empty());
        ItemRef carol = new ItemRef(ItemType.CONTACT, contact);
        org.lockRows(1);

        List<WriteResult> results = connector().write(List.of(plan("<l1@x>", carol), plan("<l2@x>", carol)));

        assertThat(results.get(0)).isInstanceOfSatisfying(WriteResult.Failed.class,
            failed -> assertThat(failed.cause()).isInstanceOf(CrmUnavailableException.class).hasMessageContaining("UNABLE_TO_LOCK_ROW"));
        assertThat(results.get(1)).isInstanceOf(WriteResult.Written.class);
    }

    @Test
    void aDuplicateRulesAnswerShouldGiveTheContactToUseInsteadOfASecond() throws CrmException {
        try (SalesforceEmulator org = SalesforceEmulator.builder().contactDuplicateRule(true).start()) {
            String existing = contact(org, CAROL.value(), Optional.empty());

            ItemRef created = connector(org, jwt(org), Clock.systemUTC()).createContact(new NewContact("Carol", CAROL, Optional.empty(), "<d@x>"));

            assertThat(created).isEqualTo(new ItemRef(ItemType.CONTACT, existing));
            assertThat(org.records("Contact")).hasSize(1);
        }
    }

    @Test
    void longBodiesShouldBeCutWithAMarkerNeverRefusedForLength() throws CrmException {
        SalesforceEmulator org = salesforce.emulator();
        String contact = contact(org, CAROL.value(), Optional.empty());
        WritePlan plan = new WritePlan("<long@x>", List.of(), SalesforceMail.activity(ActivityDirection.INCOMING, "<long@x>",
            "x".repeat(40_000), List.of(), new ItemRef(ItemType.CONTACT, contact)));

        assertThat(connector().write(List.of(plan)).get(0)).isInstanceOf(WriteResult.Written.class);

        String body = org.records("EmailMessage").get(0).path("TextBody").asText();
        assertThat(body).hasSize(32_000).endsWith(SalesforceFields.CUT);
    }

    @Test
    void attachmentsShouldBeFilesPublishedOnTheEmailAndTheTooLargeOnesListed() throws CrmException {
        SalesforceEmulator org = salesforce.emulator();
        String contact = contact(org, CAROL.value(), Optional.empty());
        List<org.jamescrm.model.AttachmentInfo> attachments = List.of(
            new org.jamescrm.model.AttachmentInfo("offer.pdf", "application/pdf", 4, new byte[] {1, 2, 3, 4}),
            new org.jamescrm.model.AttachmentInfo("video.mp4", "video/mp4", 90_000_000, new byte[0]).withoutContent());
        WritePlan plan = new WritePlan("<att@x>", List.of(), SalesforceMail.activity(ActivityDirection.INCOMING, "<att@x>", "See attached.",
            attachments, new ItemRef(ItemType.CONTACT, contact)));

        String email = ((WriteResult.Written) connector().write(List.of(plan)).get(0)).activityId();

        assertThat(org.records("ContentVersion")).singleElement().satisfies(file -> {
            assertThat(file.path("PathOnClient").asText()).isEqualTo("offer.pdf");
            assertThat(file.path("VersionData").asText()).isEqualTo("AQIDBA==");
        });
        assertThat(org.records("ContentDocumentLink")).singleElement()
            .satisfies(link -> assertThat(link.path("LinkedEntityId").asText()).isEqualTo(email));
        assertThat(org.record(email).path("TextBody").asText()).contains("video.mp4 (90000000 bytes)").doesNotContain("offer.pdf");
    }

    @Test
    void activeAssignmentRulesShouldNotOverwriteTheOwnerTheRulesChose() throws CrmException {
        SalesforceEmulator org = salesforce.emulator();
        String alice = org.addUser(ALICE.value(), "Alice Adams");
        org.assignLeadsTo(org.addUser("queue@company.example", "Lead Queue"));

        ItemRef lead = connector().createLead(new NewLead("Quote", "Carol", CAROL, "EMAIL", Optional.of(alice), false, "<o@x>"));

        assertThat(org.record(lead.id()).path("OwnerId").asText()).isEqualTo(alice);
    }

    @Test
    void withTheExternalIdAnActivityWrittenTwiceShouldBeUpsertedOnce() throws CrmException {
        try (SalesforceEmulator org = SalesforceEmulator.builder().externalId(true).start()) {
            String contact = contact(org, CAROL.value(), Optional.empty());
            SalesforceConnector connector = connector(org, jwt(org).withExternalId(true), Clock.systemUTC());
            WritePlan plan = plan("<twice@x>", new ItemRef(ItemType.CONTACT, contact));

            String first = ((WriteResult.Written) connector.write(List.of(plan)).get(0)).activityId();
            String second = ((WriteResult.Written) connector.write(List.of(plan)).get(0)).activityId();

            assertThat(second).isEqualTo(first);
            assertThat(org.records("EmailMessage")).hasSize(1);
            assertThat(org.records("EmailMessageRelation")).as("the sender linked once").hasSize(1);
            org.violations().assertNone();
        }
    }

    @Test
    void withoutTheExternalIdARetryShouldFindTheActivityByItsCaptureKey() throws CrmException {
        SalesforceEmulator org = salesforce.emulator();
        String contact = contact(org, CAROL.value(), Optional.empty());
        SalesforceConnector connector = connector();
        String written = ((WriteResult.Written) connector.write(List.of(plan("<r@x>", new ItemRef(ItemType.CONTACT, contact)))).get(0))
            .activityId();

        assertThat(connector.findActivityByOriginKey("<r@x>")).contains(written);
        assertThat(org.record(written).path("Capture_Key__c").asText()).isEqualTo(SalesforceFields.keyHash("<r@x>")).hasSize(64);
    }

    @Test
    void noMessageIdShouldEverBeInAUrlPath() throws CrmException {
        SalesforceEmulator org = salesforce.emulator();
        String contact = contact(org, CAROL.value(), Optional.empty());
        SalesforceConnector connector = connector();
        connector.write(List.of(plan("<CAF=abc+1/x@mail.client.example>", new ItemRef(ItemType.CONTACT, contact))));
        connector.lookUp(new CrmLookup(Set.of("<CAF=abc+1/x@mail.client.example>"), Set.of("<CAF=abc+1/x@mail.client.example>"), Set.of(CAROL),
            Set.of(), Set.of()));

        assertThat(org.calls().all()).allSatisfy(call -> assertThat(call.path()).doesNotContain("@", "<", "mail.client.example"));
    }

    @Test
    void aLargeRoundShouldKeepTheInListsAndCompositeLimitsInAFewCalls() throws CrmException {
        SalesforceEmulator org = salesforce.emulator();
        Set<EmailAddress> clients = new LinkedHashSet<>();
        Set<String> keys = new LinkedHashSet<>();
        for (int i = 0; i < 450; i++) {
            clients.add(EmailAddress.of("client" + i + "@client.example"));
            keys.add("<m" + i + "@client.example>");
        }
        String known = contact(org, "client449@client.example", Optional.empty());

        CrmLookupResult found = connector().lookUp(new CrmLookup(keys, keys, clients, Set.of(), Set.of()));

        assertThat(found.clients().get(EmailAddress.of("client449@client.example")).contacts()).extracting(ClientRecord.Contact::id)
            .containsExactly(known);
        assertThat(org.apiCalls()).as("a describe, then 3 x 3 queries in 2 composites, then a second step").isLessThanOrEqualTo(5);
    }

    @Test
    void moreRowsThanABatchShouldBeFollowedThroughNextRecordsUrl() throws CrmException {
        SalesforceEmulator org = salesforce.emulator();
        String alice = org.addUser(ALICE.value(), "Alice Adams");
        for (int i = 0; i < 2_100; i++) {
            org.add("Lead", Map.of("LastName", "L" + i, "Company", "c", "Email", "l" + i + "@client.example", "OwnerId", alice));
        }

        assertThat(connector().countOpenItems(Set.of(alice))).containsEntry(alice, 2_100);
        assertThat(org.calls().of("query more")).hasSize(1);
    }

    @Test
    void anOrgWithoutTheCaptureKeyFieldShouldBeRefusedAtTheHealthCheckWithWhatToAdd() {
        try (SalesforceEmulator org = SalesforceEmulator.builder().captureKeyField(Optional.empty()).start()) {
            assertThatThrownBy(() -> connector(org, jwt(org), Clock.systemUTC()).checkConnection()).isInstanceOf(CrmRejectedException.class)
                .hasMessageContaining("Capture_Key__c").hasMessageContaining("Object Manager");
        }
    }

    @Test
    void anOrgWithoutEnhancedEmailShouldBeFoundAtTheHealthCheckAndGetTasks() throws CrmException {
        try (SalesforceEmulator org = SalesforceEmulator.builder().enhancedEmail(false).start()) {
            SalesforceConnector connector = connector(org, jwt(org), Clock.systemUTC());
            connector.checkConnection();
            String contact = contact(org, CAROL.value(), Optional.empty());

            connector.write(List.of(plan("<t@x>", new ItemRef(ItemType.CONTACT, contact))));

            assertThat(connector.view()).containsEntry("activityObject", "Task");
            assertThat(org.records("Task")).singleElement().satisfies(task -> {
                assertThat(task.path("TaskSubtype").asText()).isEqualTo("Email");
                assertThat(task.path("WhoId").asText()).isEqualTo(contact);
            });
        }
    }

    @Test
    void aPersonWithSeveralActiveUsersShouldGetTheConfiguredOneElseTheStandardOne() throws CrmException {
        SalesforceEmulator org = salesforce.emulator();
        org.add("User", Map.of("Email", ALICE.value(), "Name", "Alice (integration)", "UserType", "PowerPartner"));
        String standard = org.addUser(ALICE.value(), "Alice Adams");
        EmailAddress bob = EmailAddress.of("bob@company.example");
        org.addUser(bob.value(), "Bob one");
        String configured = org.addUser(bob.value(), "Bob two");
        SalesforceConfiguration configuration = jwt(org).withUsers(Map.of(bob, configured));

        Map<EmailAddress, org.jamescrm.spi.CrmUser> users = connector(org, configuration, Clock.systemUTC()).findUsers(Set.of(ALICE, bob));

        assertThat(users.get(ALICE).id()).isEqualTo(standard);
        assertThat(users.get(bob).id()).isEqualTo(configured);
    }

    @Test
    void datesShouldBeReadWithTheOffsetWithoutAColonAndWithZ() {
        assertThat(SalesforceFields.instant("2025-03-01T09:15:00.000+0000")).isEqualTo(Instant.parse("2025-03-01T09:15:00Z"));
        assertThat(SalesforceFields.instant("2025-03-01T09:15:00Z")).isEqualTo(Instant.parse("2025-03-01T09:15:00Z"));
    }

    /** A record's text fields. */
    private record JsonFields(com.fasterxml.jackson.databind.JsonNode record) {
        String text(String field) {
            return record.path(field).asText();
        }
    }

}

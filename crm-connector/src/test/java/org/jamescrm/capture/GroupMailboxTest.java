package org.jamescrm.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jamescrm.capture.CaptureHarness.message;

import java.util.List;
import java.util.Optional;

import org.jamescrm.decisions.DecisionRecord;
import org.jamescrm.memory.MemoryRecords;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.rules.AcknowledgementMail;
import org.jamescrm.rules.ReasonCode;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.ItemType;
import org.junit.jupiter.api.Test;

/**
 * Group mailboxes as the seed products run them (capture-rules §8): e-mail-to-case, one
 * acknowledgement per new thread, distribution over the group's queue, teams, case tokens.
 */
class GroupMailboxTest {
    static final String SUPPORT = "support@company.example";
    static final String CLIENT = "dora@client.example";
    static final String GROUP = "<group address=\"" + SUPPORT + "\">"
        + "<distribution>round-robin</distribution>"
        + "<queue>alice@company.example, bob@company.example</queue>"
        + "<newThread>case</newThread>"
        + "<teams>Support</teams>"
        + "<acknowledgement><subject>We got it: {subject}</subject><body>Case {caseNumber} is open.</body></acknowledgement>"
        + "</group>";

    private static DecisionRecord fromClient(CaptureHarness harness, String client, String id, String subject, String extra) {
        return harness.deliver(client, List.of(SUPPORT), message(client, SUPPORT, id, subject, extra));
    }

    @Test
    void aThreadOfFourMessagesShouldMakeOneCaseOneAcknowledgementAndFourActivitiesInBothDirections() {
        CaptureHarness harness = new CaptureHarness(GROUP);

        DecisionRecord first = fromClient(harness, CLIENT, "<1@client>", "Printer broken", "");
        DecisionRecord answer = harness.deliver("alice@company.example", List.of(CLIENT), message("alice@company.example", CLIENT,
            "<2@company>", "Re: Printer broken", "In-Reply-To: <1@client>\r\nReferences: <1@client>\r\n"));
        DecisionRecord clientAgain = fromClient(harness, CLIENT, "<3@client>", "Re: Printer broken",
            "In-Reply-To: <2@company>\r\nReferences: <1@client> <2@company>\r\n");
        DecisionRecord closing = harness.deliver("alice@company.example", List.of(CLIENT), message("alice@company.example", CLIENT,
            "<4@company>", "Re: Printer broken", "In-Reply-To: <3@client>\r\nReferences: <1@client> <2@company> <3@client>\r\n"));

        assertThat(first.reason()).isEqualTo(ReasonCode.NEW_CASE);
        assertThat(List.of(answer.reason(), clientAgain.reason(), closing.reason())).containsOnly(ReasonCode.THREAD);
        MemoryRecords.Case opened = harness.crm.cases().get(0);
        assertThat(harness.crm.cases()).hasSize(1);
        assertThat(harness.crm.activities()).hasSize(4).allSatisfy(activity ->
            assertThat(activity.bindings()).contains(new ItemRef(ItemType.CASE, opened.id())));
        assertThat(harness.crm.activities()).extracting(activity -> activity.email().direction().name())
            .containsExactly("INCOMING", "OUTGOING", "INCOMING", "OUTGOING");
        assertThat(harness.acknowledgements).singleElement().satisfies(ack -> {
            assertThat(ack.to()).isEqualTo(EmailAddress.of(CLIENT));
            assertThat(ack.from()).isEqualTo(EmailAddress.of(SUPPORT));
            assertThat(ack.subject()).isEqualTo("[#" + opened.number() + "] We got it: Printer broken");
            assertThat(ack.body()).isEqualTo("Case " + opened.number() + " is open.");
            assertThat(ack.inReplyTo()).contains("<1@client>");
        });
        assertThat(List.of(first, answer, clientAgain, closing)).allSatisfy(decision ->
            assertThat(decision.caseNumber()).contains(opened.number()));
    }

    @Test
    void theCaseShouldBeBoundToTheNewLeadOfAnUnknownClientAndAssignedToTheGroupsTeams() {
        CaptureHarness harness = new CaptureHarness(GROUP);

        fromClient(harness, CLIENT, "<1@client>", "Printer broken", "");

        MemoryRecords.Lead lead = harness.crm.leads().get(0);
        MemoryRecords.Case opened = harness.crm.cases().get(0);
        assertThat(opened.clientItems()).containsExactly(new ItemRef(ItemType.LEAD, lead.id()));
        assertThat(opened.responsibleId()).contains(harness.alice.id());
        assertThat(lead.responsibleId()).contains(harness.alice.id());
        assertThat(harness.crm.teams()).containsEntry("CASE:" + opened.id(), List.of("Support"))
            .containsEntry("LEAD:" + lead.id(), List.of("Support"));
    }

    @Test
    void theCaseOfAKnownClientShouldBeBoundToItsContactAndCreateNoLead() {
        CaptureHarness harness = new CaptureHarness(GROUP);
        MemoryRecords.Contact contact = harness.crm.addContact("Dora", EmailAddress.of(CLIENT), Optional.empty(), Optional.empty());

        DecisionRecord decision = fromClient(harness, CLIENT, "<1@client>", "Printer broken", "");

        assertThat(harness.crm.leads()).isEmpty();
        assertThat(harness.crm.cases()).singleElement().satisfies(opened ->
            assertThat(opened.clientItems()).containsExactly(new ItemRef(ItemType.CONTACT, contact.id())));
        assertThat(decision.items()).contains(new ItemRef(ItemType.CONTACT, contact.id()));
    }

    @Test
    void theCasesResponsibleShouldBeTheResponsibleOfItsThreadsActivities() {
        CaptureHarness harness = new CaptureHarness(GROUP);
        fromClient(harness, CLIENT, "<1@client>", "Printer broken", "");

        DecisionRecord reply = harness.deliver("bob@company.example", List.of(CLIENT), message("bob@company.example", CLIENT,
            "<2@company>", "Re: Printer broken", "In-Reply-To: <1@client>\r\n"));

        assertThat(reply.responsibleId()).contains(harness.alice.id()); // Alice has the case, whoever answers
    }

    @Test
    void newThreadsShouldBeSpreadRoundRobinOverTheQueue() {
        CaptureHarness harness = new CaptureHarness(GROUP);

        for (int i = 1; i <= 10; i++) {
            fromClient(harness, "client" + i + "@client.example", "<" + i + "@client>", "Question " + i, "");
        }

        assertThat(harness.crm.cases()).extracting(MemoryRecords.Case::responsibleId).containsExactly(
            Optional.of(harness.alice.id()), Optional.of(harness.bob.id()), Optional.of(harness.alice.id()), Optional.of(harness.bob.id()),
            Optional.of(harness.alice.id()), Optional.of(harness.bob.id()), Optional.of(harness.alice.id()), Optional.of(harness.bob.id()),
            Optional.of(harness.alice.id()), Optional.of(harness.bob.id()));
    }

    @Test
    void leastBusyShouldGiveNewCasesToTheMemberWithFewestOpenItems() {
        CaptureHarness harness = new CaptureHarness(GROUP.replace("round-robin", "least-busy"));
        fromClient(harness, "a@client.example", "<a@client>", "First", "");   // Alice (tie, first in the queue)
        fromClient(harness, "b@client.example", "<b@client>", "Second", "");  // Bob: Alice has a lead and a case open
        harness.crm.closeCase(harness.crm.cases().get(1).id());
        harness.crm.setLeadStatus(harness.crm.leads().get(1).id(), org.jamescrm.spi.LeadStatus.JUNK);

        fromClient(harness, "c@client.example", "<c@client>", "Third", "");   // Bob: his case and lead are closed

        assertThat(harness.crm.cases()).extracting(MemoryRecords.Case::responsibleId)
            .containsExactly(Optional.of(harness.alice.id()), Optional.of(harness.bob.id()), Optional.of(harness.bob.id()));
    }

    @Test
    void aCaseTokenInTheSubjectShouldJoinTheCaseWhenTheClientsMailProgramDroppedTheReferences() {
        CaptureHarness harness = new CaptureHarness(GROUP);
        fromClient(harness, CLIENT, "<1@client>", "Printer broken", "");
        String number = harness.crm.cases().get(0).number();

        DecisionRecord answer = fromClient(harness, CLIENT, "<2@client>", "Re: [#" + number + "] We got it: Printer broken", "");

        assertThat(answer.reason()).isEqualTo(ReasonCode.CASE_TOKEN);
        assertThat(answer.caseNumber()).contains(number);
        assertThat(harness.crm.cases()).hasSize(1);
        assertThat(harness.acknowledgements).hasSize(1);
    }

    @Test
    void aTokenOfAnUnknownCaseShouldOpenANewCase() {
        CaptureHarness harness = new CaptureHarness(GROUP);

        DecisionRecord decision = fromClient(harness, CLIENT, "<1@client>", "About [#999] in your invoice", "");

        assertThat(decision.reason()).isEqualTo(ReasonCode.NEW_CASE);
    }

    @Test
    void anAutoResponderAnsweringTheAcknowledgementShouldCreateNothingAndGetNothing() {
        CaptureHarness harness = new CaptureHarness(GROUP);
        fromClient(harness, CLIENT, "<1@client>", "Printer broken", "");
        AcknowledgementMail ack = harness.acknowledgements.get(0);

        DecisionRecord autoReply = fromClient(harness, CLIENT, "<2@client>", "Automatic reply: " + ack.subject(),
            "Auto-Submitted: auto-replied\r\nIn-Reply-To: <ack@company>\r\n");

        assertThat(autoReply.reason()).isEqualTo(ReasonCode.AUTOMATED);
        assertThat(harness.crm.cases()).hasSize(1);
        assertThat(harness.crm.activities()).hasSize(1);
        assertThat(harness.acknowledgements).hasSize(1);
    }

    @Test
    void automatedMailCapturedByAGroupThatKeepsItShouldGetNoAcknowledgement() {
        CaptureHarness harness = new CaptureHarness(GROUP.replace("<newThread>", "<skipAutomated>false</skipAutomated><newThread>"));

        DecisionRecord decision = fromClient(harness, "noreply@client.example", "<1@client>", "Your order", "Auto-Submitted: auto-generated\r\n");

        assertThat(decision.reason()).isEqualTo(ReasonCode.NEW_CASE);
        assertThat(harness.acknowledgements).isEmpty();
    }

    @Test
    void aClientShouldGetAtMostFiveAcknowledgementsInTwoHours() {
        CaptureHarness harness = new CaptureHarness(GROUP);

        for (int i = 1; i <= 7; i++) {
            fromClient(harness, CLIENT, "<" + i + "@client>", "Question " + i, ""); // the harness steps a minute a mail
        }
        assertThat(harness.crm.cases()).hasSize(7);
        assertThat(harness.acknowledgements).hasSize(5);

        harness.clock.step(java.time.Duration.ofHours(2));
        fromClient(harness, CLIENT, "<8@client>", "Question 8", "");

        assertThat(harness.acknowledgements).hasSize(6);
    }

    @Test
    void theThrottleShouldFollowTheGroupsSettings() {
        CaptureHarness harness = new CaptureHarness(GROUP.replace("</acknowledgement>",
            "<perSender>1</perSender><window>1 day</window></acknowledgement>"));

        fromClient(harness, CLIENT, "<1@client>", "Question 1", "");
        fromClient(harness, CLIENT, "<2@client>", "Question 2", "");

        assertThat(harness.acknowledgements).hasSize(1);
    }

    @Test
    void anEmployeeWritingFirstFromTheGroupShouldFollowTheMailboxRulesAndOpenNoCase() {
        CaptureHarness harness = new CaptureHarness(GROUP);

        DecisionRecord decision = harness.deliver(SUPPORT, List.of(CLIENT), message(SUPPORT, CLIENT, "<1@company>", "Offer", ""));

        assertThat(decision.reason()).isEqualTo(ReasonCode.NEW_CONTACT);
        assertThat(harness.crm.cases()).isEmpty();
        assertThat(harness.acknowledgements).isEmpty();
    }

    @Test
    void internalMailToTheGroupShouldOpenNoCase() {
        CaptureHarness harness = new CaptureHarness(GROUP);

        DecisionRecord decision = harness.deliver("bob@company.example", List.of(SUPPORT),
            message("bob@company.example", SUPPORT, "<1@company>", "Lunch?", ""));

        assertThat(decision.reason()).isEqualTo(ReasonCode.INTERNAL);
        assertThat(harness.crm.cases()).isEmpty();
        assertThat(harness.acknowledgements).isEmpty();
    }

    @Test
    void aGroupWhoseNewThreadsCreateLeadsShouldCreateALeadForAKnownClientToo() {
        CaptureHarness harness = new CaptureHarness("<group address=\"sales@company.example\"><distribution>round-robin</distribution>"
            + "<queue>alice@company.example, bob@company.example</queue><newThread>lead</newThread></group>");
        MemoryRecords.Contact contact = harness.crm.addContact("Dora", EmailAddress.of(CLIENT), Optional.empty(), Optional.empty());

        DecisionRecord decision = harness.deliver(CLIENT, List.of("sales@company.example"),
            message(CLIENT, "sales@company.example", "<1@client>", "New order", ""));

        assertThat(decision.reason()).isEqualTo(ReasonCode.GROUP_LEAD);
        assertThat(harness.crm.leads()).singleElement().satisfies(lead -> {
            assertThat(lead.returnCustomer()).isTrue();
            assertThat(lead.responsibleId()).contains(harness.alice.id());
        });
        assertThat(decision.items()).contains(new ItemRef(ItemType.CONTACT, contact.id()));
    }

    @Test
    void theDryRunShouldShowTheNewCaseAndSendNothing() throws Exception {
        CaptureHarness harness = new CaptureHarness(GROUP);

        DryRun dryRun = harness.service.dryRun(harness.request(CLIENT, List.of(SUPPORT),
            message(CLIENT, SUPPORT, "<1@client>", "Printer broken", "")), true);

        assertThat(dryRun.decision().reason()).isEqualTo(ReasonCode.NEW_CASE);
        assertThat(dryRun.decision().creations()).extracting(item -> item.type()).containsExactly(ItemType.LEAD, ItemType.CASE);
        assertThat(harness.crm.cases()).isEmpty();
        assertThat(harness.acknowledgements).isEmpty();
    }
}

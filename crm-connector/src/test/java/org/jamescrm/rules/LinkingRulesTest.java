package org.jamescrm.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.model.MessageFacts;
import org.jamescrm.settings.MailboxSettings;
import org.jamescrm.spi.ClientRecord;
import org.jamescrm.spi.CrmUser;
import org.jamescrm.spi.DealStage;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.ItemType;
import org.jamescrm.spi.LeadStatus;
import org.jamescrm.spi.NewContact;
import org.jamescrm.spi.NewDeal;
import org.jamescrm.spi.NewLead;
import org.jamescrm.testing.Messages;
import org.jamescrm.testing.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Where a captured message goes (capture-rules §4, §5 responsible): pure decisions on a CRM snapshot. */
class LinkingRulesTest {
    static final Instant DAY_1 = Instant.parse("2026-11-01T09:00:00Z");
    static final EmailAddress ALICE = EmailAddress.of("alice@company.example");
    static final EmailAddress BOB = EmailAddress.of("bob@company.example");
    static final EmailAddress CAROL = EmailAddress.of("carol@client.example");
    static final EmailAddress DAVE = EmailAddress.of("dave@client.example");
    static final EmailAddress ERIN = EmailAddress.of("erin@other.example");
    static final Map<EmailAddress, CrmUser> USERS = Map.of(
        ALICE, new CrmUser("u-alice", ALICE, "Alice Adams"),
        BOB, new CrmUser("u-bob", BOB, "Bob Brown"));
    static final MailboxSettings DEFAULTS = MailboxSettings.defaults();

    /** What the CRM knows about one client address, written as a table row. */
    static final class Client {
        private final EmailAddress email;
        private final List<ClientRecord.Contact> contacts = new ArrayList<>();
        private final List<ClientRecord.Company> companies = new ArrayList<>();
        private final List<ClientRecord.Lead> leads = new ArrayList<>();
        private final List<ClientRecord.Deal> deals = new ArrayList<>();

        private Client(EmailAddress email) {
            this.email = email;
        }

        static Client carol() {
            return new Client(CAROL);
        }

        static Client of(EmailAddress email) {
            return new Client(email);
        }

        Client contact(String id, String responsibleId) {
            contacts.add(new ClientRecord.Contact(id, Optional.ofNullable(responsibleId), Optional.empty()));
            return this;
        }

        Client contactOf(String id, String companyId, String responsibleId) {
            contacts.add(new ClientRecord.Contact(id, Optional.ofNullable(responsibleId), Optional.of(companyId)));
            return this;
        }

        Client company(String id, String responsibleId) {
            companies.add(new ClientRecord.Company(id, Optional.ofNullable(responsibleId)));
            return this;
        }

        /** A lead last modified {@code day} days after day 1. */
        Client lead(String id, LeadStatus status, String responsibleId, int day) {
            leads.add(new ClientRecord.Lead(id, status, Optional.ofNullable(responsibleId), DAY_1.plus(Duration.ofDays(day))));
            return this;
        }

        /** A deal last modified {@code day} days after day 1. */
        Client deal(String id, DealStage stage, String responsibleId, int day) {
            deals.add(new ClientRecord.Deal(id, stage, Optional.ofNullable(responsibleId), DAY_1.plus(Duration.ofDays(day)), Optional.empty()));
            return this;
        }

        /** A deal in progress made from the lead {@code leadId}. */
        Client dealFromLead(String id, String leadId, String responsibleId) {
            deals.add(new ClientRecord.Deal(id, DealStage.IN_PROGRESS, Optional.ofNullable(responsibleId), DAY_1, Optional.of(leadId)));
            return this;
        }

        ClientRecord record() {
            return new ClientRecord(email, contacts, companies, leads, deals);
        }

        @Override
        public String toString() {
            return record().toString();
        }
    }

    private static CrmSnapshot snapshot(List<ItemRef> thread, Client... clients) {
        Map<EmailAddress, ClientRecord> records = new LinkedHashMap<>();
        for (Client client : clients) {
            records.put(client.email, client.record());
        }
        return new CrmSnapshot(records, thread, USERS);
    }

    private static CrmSnapshot snapshot(Client... clients) {
        return snapshot(List.of(), clients);
    }

    private static Classification inbound() {
        return new Classification(Direction.INBOUND, List.of(CAROL), List.of(ALICE), Optional.of(ALICE), Optional.empty());
    }

    private static Classification outbound(EmailAddress... clients) {
        return new Classification(Direction.OUTBOUND, List.of(clients), List.of(ALICE), Optional.of(ALICE), Optional.empty());
    }

    private static MessageFacts fromCarol() {
        return Messages.message().parse();
    }

    private static MessageFacts fromAliceTo(String to) {
        return Messages.message().from("Alice Adams <alice@company.example>").to(to).messageId("<1@company.example>").parse();
    }

    private static CaptureDecision decide(MessageFacts facts, Classification classification, CrmSnapshot snapshot,
                                          MailboxSettings settings) {
        return new LinkingRules().decide(facts, classification, snapshot, settings);
    }

    private static CaptureDecision inboundFromCarol(CrmSnapshot snapshot) {
        return decide(fromCarol(), inbound(), snapshot, DEFAULTS);
    }

    private static CaptureDecision inboundFromCarol(CrmSnapshot snapshot, MailboxSettings settings) {
        return decide(fromCarol(), inbound(), snapshot, settings);
    }

    private static MailboxSettings defaults(String body) {
        return Settings.of("<defaults>" + body + "</defaults>").defaults();
    }

    private static List<ItemRef> refs(String spaceSeparated) {
        return Arrays.stream(spaceSeparated.split(" ")).filter(ref -> !ref.isBlank()).map(ref -> {
            String[] parts = ref.split(":");
            return new ItemRef(ItemType.valueOf(parts[0]), parts[1]);
        }).toList();
    }

    // ---- the decision table of inbound mail (§4.1–4.5) ----

    static Stream<Arguments> whatTheCrmKnows() {
        return Stream.of(
            arguments(named("thread items win over an active deal",
                    Client.carol().contact("c1", "u-bob").deal("d1", DealStage.IN_PROGRESS, "u-bob", 1)),
                refs("LEAD:l9"), ReasonCode.THREAD, "LEAD:l9", 0),
            arguments(named("a thread lead converted since binds its deal too",
                    Client.carol().contact("c1", "u-bob").dealFromLead("d2", "l9", "u-bob")),
                refs("LEAD:l9"), ReasonCode.THREAD, "LEAD:l9 DEAL:d2", 0),
            arguments(named("an active deal binds with the contact and the company",
                    Client.carol().contactOf("c1", "co1", "u-bob").company("co1", "u-bob").deal("d1", DealStage.IN_PROGRESS, "u-bob", 1)),
                List.of(), ReasonCode.ACTIVE_DEAL, "DEAL:d1 CONTACT:c1 COMPANY:co1", 0),
            arguments(named("the most recently modified deal in progress wins, won and lost ones do not count",
                    Client.carol().contact("c1", "u-bob").deal("d1", DealStage.IN_PROGRESS, "u-bob", 1)
                        .deal("d2", DealStage.IN_PROGRESS, "u-bob", 3).deal("d3", DealStage.WON, "u-bob", 5)
                        .deal("d4", DealStage.LOST, "u-bob", 6)),
                List.of(), ReasonCode.ACTIVE_DEAL, "DEAL:d2 CONTACT:c1", 0),
            arguments(named("a deal in progress without contact or company",
                    Client.carol().lead("l1", LeadStatus.CONVERTED, "u-bob", 1).deal("d1", DealStage.IN_PROGRESS, "u-bob", 2)),
                List.of(), ReasonCode.ACTIVE_DEAL, "DEAL:d1", 0),
            arguments(named("won and lost deals only: a known client without an active deal",
                    Client.carol().contact("c1", "u-bob").deal("d3", DealStage.WON, "u-bob", 5).deal("d4", DealStage.LOST, "u-bob", 6)),
                List.of(), ReasonCode.KNOWN_CLIENT, "CONTACT:c1", 0),
            arguments(named("a known client without an active deal binds its most recent lead, even a closed one",
                    Client.carol().contactOf("c1", "co1", "u-bob").company("co1", "u-bob")
                        .lead("l1", LeadStatus.OPEN, "u-bob", 1).lead("l2", LeadStatus.JUNK, "u-bob", 4)),
                List.of(), ReasonCode.KNOWN_CLIENT, "CONTACT:c1 COMPANY:co1 LEAD:l2", 0),
            arguments(named("a company alone is a known client",
                    Client.carol().company("co1", "u-bob")),
                List.of(), ReasonCode.KNOWN_CLIENT, "COMPANY:co1", 0),
            arguments(named("an open lead only",
                    Client.carol().lead("l1", LeadStatus.OPEN, "u-bob", 1)),
                List.of(), ReasonCode.OPEN_LEAD, "LEAD:l1", 0),
            arguments(named("closed leads only: the most recent one",
                    Client.carol().lead("l1", LeadStatus.JUNK, "u-bob", 1).lead("l2", LeadStatus.CONVERTED, "u-bob", 2)),
                List.of(), ReasonCode.OPEN_LEAD, "LEAD:l2", 0),
            arguments(named("an unknown client gets a new lead",
                    Client.carol()),
                List.of(), ReasonCode.NEW_LEAD, "", 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("whatTheCrmKnows")
    void inboundMailShouldGoWhereTheCrmKnowsTheClient(Client carol, List<ItemRef> thread, ReasonCode reason, String bindings,
                                                       int creations) {
        CaptureDecision decision = inboundFromCarol(snapshot(thread, carol));

        assertThat(decision.reason()).isEqualTo(reason);
        assertThat(decision.bindings()).containsExactlyElementsOf(refs(bindings));
        assertThat(decision.creations()).hasSize(creations);
        assertThat(decision.captured()).isTrue();
    }

    // ---- details and responsibles of the existing-item decisions (§5) ----

    @Test
    void threadDecisionShouldExplainItself() {
        CaptureDecision decision = inboundFromCarol(snapshot(refs("LEAD:l9"), Client.carol()));

        assertThat(decision.detail()).isEqualTo("answers a captured message of the same thread");
        assertThat(decision.label()).isEqualTo("THREAD");
    }

    @Test
    void threadResponsibleShouldBeTheResponsibleOfTheThreadItem() {
        CaptureDecision decision = inboundFromCarol(snapshot(refs("LEAD:l9"), Client.carol().lead("l9", LeadStatus.OPEN, "u-bob", 1)));

        assertThat(decision.responsibleId()).contains("u-bob");
    }

    @Test
    void threadResponsibleShouldBeTheMailboxOwnerWhenTheSnapshotDoesNotKnowTheItem() {
        CaptureDecision decision = inboundFromCarol(snapshot(refs("LEAD:l9"), Client.carol()));

        assertThat(decision.responsibleId()).contains("u-alice");
    }

    @Test
    void activeDealResponsibleShouldBeTheDealsNotTheContacts() {
        CaptureDecision decision = inboundFromCarol(snapshot(
            Client.carol().contact("c1", "u-bob").deal("d1", DealStage.IN_PROGRESS, "u-carl", 1)));

        assertThat(decision.responsibleId()).contains("u-carl");
        assertThat(decision.detail()).isEqualTo("attached to the active deal d1 of carol@client.example");
    }

    @Test
    void knownClientResponsibleShouldBeTheContactsNotTheLeads() {
        CaptureDecision decision = inboundFromCarol(snapshot(
            Client.carol().contact("c1", "u-bob").lead("l1", LeadStatus.JUNK, "u-carl", 1)));

        assertThat(decision.responsibleId()).contains("u-bob");
        assertThat(decision.detail())
            .isEqualTo("known client carol@client.example without an active deal: attached to its contact/company and most recent lead l1 (JUNK)");
    }

    @Test
    void knownClientResponsibleShouldBeTheCompanysWhenTheContactHasNone() {
        CaptureDecision decision = inboundFromCarol(snapshot(Client.carol().contactOf("c1", "co1", null).company("co1", "u-carl")));

        assertThat(decision.responsibleId()).contains("u-carl");
    }

    @Test
    void openLeadResponsibleShouldBeTheLeadsResponsible() {
        CaptureDecision decision = inboundFromCarol(snapshot(Client.carol().lead("l1", LeadStatus.OPEN, "u-carl", 1)));

        assertThat(decision.responsibleId()).contains("u-carl");
        assertThat(decision.detail()).isEqualTo("attached to the open lead l1 of carol@client.example");
    }

    @Test
    void aClosedLeadOnlyShouldBeNamedAsTheMostRecentClosedLead() {
        CaptureDecision decision = inboundFromCarol(snapshot(Client.carol().lead("l1", LeadStatus.JUNK, "u-carl", 1)));

        assertThat(decision.detail()).isEqualTo("attached to the most recent (JUNK) lead l1 of carol@client.example");
    }

    @Test
    void anOpenLeadShouldWinOverAMoreRecentlyModifiedClosedLead() {
        CaptureDecision decision = inboundFromCarol(snapshot(
            Client.carol().lead("l1", LeadStatus.OPEN, "u-bob", 1).lead("l2", LeadStatus.JUNK, "u-carl", 3)));

        assertThat(decision.reason()).isEqualTo(ReasonCode.OPEN_LEAD);
        assertThat(decision.bindings()).containsExactly(new ItemRef(ItemType.LEAD, "l1"));
        assertThat(decision.responsibleId()).contains("u-bob");
        assertThat(decision.detail()).isEqualTo("attached to the open lead l1 of carol@client.example");
    }

    @Test
    void theMostRecentlyModifiedOpenLeadShouldWinAmongSeveralOpenLeads() {
        CaptureDecision decision = inboundFromCarol(snapshot(
            Client.carol().lead("l1", LeadStatus.OPEN, "u-bob", 1).lead("l2", LeadStatus.OPEN, "u-carl", 2)
                .lead("l3", LeadStatus.CONVERTED, "u-bob", 3)));

        assertThat(decision.bindings()).containsExactly(new ItemRef(ItemType.LEAD, "l2"));
        assertThat(decision.responsibleId()).contains("u-carl");
    }

    @Test
    void aKnownClientShouldBeBoundEvenWhenLeadCreationIsOff() {
        CaptureDecision decision = inboundFromCarol(snapshot(Client.carol().contact("c1", "u-bob")),
            defaults("<createLeadForIncoming>false</createLeadForIncoming>"));

        assertThat(decision.reason()).isEqualTo(ReasonCode.KNOWN_CLIENT);
    }

    // ---- unknown clients writing in (§4.5) ----

    @Test
    void inboundMailFromUnknownClientShouldCreateLeadAssignedToMailboxOwner() {
        MessageFacts facts = fromCarol();

        CaptureDecision decision = decide(facts, inbound(), snapshot(Client.carol()), DEFAULTS);

        assertThat(decision.reason()).isEqualTo(ReasonCode.NEW_LEAD);
        assertThat(decision.detail()).isEqualTo("unknown client carol@client.example: new lead");
        assertThat(decision.bindings()).isEmpty();
        assertThat(decision.creations()).containsExactly(new NewLead("Quote for 40 chairs", "Carol Client", CAROL, "EMAIL",
            Optional.of("u-alice"), false, "<1@client.example>"));
        assertThat(decision.responsibleId()).contains("u-alice");
    }

    @Test
    void aClientMissingFromTheSnapshotShouldCountAsUnknown() {
        CaptureDecision decision = inboundFromCarol(snapshot());

        assertThat(decision.reason()).isEqualTo(ReasonCode.NEW_LEAD);
    }

    @Test
    void newLeadTitleShouldBeTheSubject() {
        CaptureDecision decision = decide(Messages.message().subject("=?UTF-8?Q?Angebot_f=C3=BCr_St=C3=BChle?=").parse(), inbound(),
            snapshot(Client.carol()), DEFAULTS);

        assertThat(((NewLead) decision.creations().get(0)).title()).isEqualTo("Angebot für Stühle");
    }

    @Test
    void newLeadTitleShouldNameTheSenderWhenTheSubjectIsBlank() {
        CaptureDecision decision = decide(Messages.message().subject("   ").parse(), inbound(), snapshot(Client.carol()), DEFAULTS);

        assertThat(((NewLead) decision.creations().get(0)).title()).isEqualTo("E-mail from carol@client.example");
    }

    @Test
    void newLeadTitleShouldNameTheSenderWhenThereIsNoSubject() {
        CaptureDecision decision = decide(Messages.message().subject(null).parse(), inbound(), snapshot(Client.carol()), DEFAULTS);

        assertThat(((NewLead) decision.creations().get(0)).title()).isEqualTo("E-mail from carol@client.example");
    }

    @Test
    void newLeadNameShouldBeTheLocalPartWithoutDisplayName() {
        CaptureDecision decision = decide(Messages.message().from("carol@client.example").parse(), inbound(), snapshot(Client.carol()),
            DEFAULTS);

        assertThat(((NewLead) decision.creations().get(0)).name()).isEqualTo("carol");
    }

    @Test
    void newLeadShouldCarryTheLeadSourceOfTheSettings() {
        CaptureDecision decision = inboundFromCarol(snapshot(Client.carol()), defaults("<leadSource>WEB</leadSource>"));

        assertThat(((NewLead) decision.creations().get(0)).source()).isEqualTo("WEB");
    }

    @Test
    void newLeadShouldHaveNoResponsibleWhenTheMailboxOwnerHasNoCrmUser() {
        Classification toDave = new Classification(Direction.INBOUND, List.of(CAROL), List.of(EmailAddress.of("dave@company.example")),
            Optional.of(EmailAddress.of("dave@company.example")), Optional.empty());

        CaptureDecision decision = decide(fromCarol(), toDave, snapshot(Client.carol()), DEFAULTS);

        assertThat(((NewLead) decision.creations().get(0)).responsibleId()).isEmpty();
        assertThat(decision.responsibleId()).isEmpty();
    }

    @Test
    void unknownInboundWithLeadCreationOffShouldCreateNothing() {
        CaptureDecision decision = inboundFromCarol(snapshot(Client.carol()), defaults("<createLeadForIncoming>false</createLeadForIncoming>"));

        assertThat(decision.reason()).isEqualTo(ReasonCode.UNKNOWN_CLIENT_NO_CREATE);
        assertThat(decision.detail()).isEqualTo("nothing in the CRM matches carol@client.example and createLeadForIncoming is false");
        assertThat(decision.creations()).isEmpty();
        assertThat(decision.bindings()).isEmpty();
        assertThat(decision.captured()).isFalse();
    }

    @Test
    void unknownInboundInLeadlessModeShouldCreateContactAndDeal() {
        CaptureDecision decision = inboundFromCarol(snapshot(Client.carol()), defaults("<leadless>true</leadless>"));

        assertThat(decision.reason()).isEqualTo(ReasonCode.NEW_CONTACT_AND_DEAL);
        assertThat(decision.creations()).containsExactly(
            new NewContact("Carol Client", CAROL, Optional.of("u-alice"), "<1@client.example>"),
            new NewDeal("Quote for 40 chairs", Optional.empty(), Optional.empty(), Optional.of("u-alice"), false, "<1@client.example>"));
    }

    // ---- unknown clients written to (§4.5) ----

    @Test
    void outboundMailToUnknownClientShouldCreateContactAssignedToTheSender() {
        CaptureDecision decision = decide(fromAliceTo("Carol Client <carol@client.example>"), outbound(CAROL), snapshot(Client.carol()),
            DEFAULTS);

        assertThat(decision.reason()).isEqualTo(ReasonCode.NEW_CONTACT);
        assertThat(decision.detail()).isEqualTo("new address carol@client.example: new contact");
        assertThat(decision.creations()).containsExactly(new NewContact("Carol Client", CAROL, Optional.of("u-alice"), "<1@company.example>"));
        assertThat(decision.responsibleId()).contains("u-alice");
    }

    @Test
    void outboundMailToUnknownClientShouldNotCreateALead() {
        CaptureDecision decision = decide(fromAliceTo("carol@client.example"), outbound(CAROL), snapshot(Client.carol()),
            defaults("<createLeadForIncoming>true</createLeadForIncoming>"));

        assertThat(decision.creations()).noneMatch(NewLead.class::isInstance);
    }

    @Test
    void unknownOutboundWithContactCreationOffShouldCreateNothing() {
        CaptureDecision decision = decide(fromAliceTo("carol@client.example"), outbound(CAROL), snapshot(Client.carol()),
            defaults("<createContactForOutgoing>false</createContactForOutgoing>"));

        assertThat(decision.reason()).isEqualTo(ReasonCode.UNKNOWN_CLIENT_NO_CREATE);
        assertThat(decision.detail()).isEqualTo("nothing in the CRM matches carol@client.example and createContactForOutgoing is false");
        assertThat(decision.creations()).isEmpty();
    }

    @Test
    void outboundMailToSeveralClientsShouldBindEveryKnownClientAndCreateTheUnknownOnes() {
        MessageFacts facts = fromAliceTo("carol@client.example, Dave <dave@client.example>, Erin Example <erin@other.example>");

        CaptureDecision decision = decide(facts, outbound(CAROL, DAVE, ERIN), snapshot(
            Client.carol().contact("c1", "u-bob").deal("d1", DealStage.IN_PROGRESS, "u-bob", 1),
            Client.of(DAVE).contact("c2", "u-carl"),
            Client.of(ERIN)), DEFAULTS);

        assertThat(decision.bindings()).containsExactlyElementsOf(refs("DEAL:d1 CONTACT:c1 CONTACT:c2"));
        assertThat(decision.creations()).containsExactly(new NewContact("Erin Example", ERIN, Optional.of("u-alice"), "<1@company.example>"));
    }

    @Test
    void outboundMailToSeveralClientsShouldTakeReasonAndResponsibleOfTheFirstClient() {
        MessageFacts facts = fromAliceTo("carol@client.example, dave@client.example");

        CaptureDecision decision = decide(facts, outbound(CAROL, DAVE), snapshot(
            Client.carol().contact("c1", "u-bob").deal("d1", DealStage.IN_PROGRESS, "u-carl", 1),
            Client.of(DAVE).contact("c2", "u-dora")), DEFAULTS);

        assertThat(decision.reason()).isEqualTo(ReasonCode.ACTIVE_DEAL);
        assertThat(decision.responsibleId()).contains("u-carl");
    }

    @Test
    void outboundMailToAKnownAndAnUnknownClientWithContactCreationOffShouldBindTheKnownOnly() {
        MessageFacts facts = fromAliceTo("erin@other.example, carol@client.example");

        CaptureDecision decision = decide(facts, outbound(ERIN, CAROL), snapshot(Client.of(ERIN), Client.carol().contact("c1", "u-bob")),
            defaults("<createContactForOutgoing>false</createContactForOutgoing>"));

        assertThat(decision.reason()).as("the first client that is captured").isEqualTo(ReasonCode.KNOWN_CLIENT);
        assertThat(decision.bindings()).containsExactlyElementsOf(refs("CONTACT:c1"));
        assertThat(decision.creations()).isEmpty();
    }

    @Test
    void aClientWithTheSameItemsAsAnotherShouldBeBoundOnce() {
        MessageFacts facts = fromAliceTo("carol@client.example, dave@client.example");

        CaptureDecision decision = decide(facts, outbound(CAROL, DAVE), snapshot(
            Client.carol().contactOf("c1", "co1", "u-bob").company("co1", "u-bob"),
            Client.of(DAVE).contactOf("c2", "co1", "u-bob").company("co1", "u-bob")), DEFAULTS);

        assertThat(decision.bindings()).containsExactlyElementsOf(refs("CONTACT:c1 COMPANY:co1 CONTACT:c2"));
    }

    // ---- repeat sale (§4.3) ----

    @Test
    void repeatSaleLeadShouldCreateARepeatLeadForTheClientsResponsible() {
        CaptureDecision decision = inboundFromCarol(snapshot(Client.carol().contact("c1", "u-bob")), defaults("<repeatSale>lead</repeatSale>"));

        assertThat(decision.reason()).isEqualTo(ReasonCode.REPEAT_LEAD);
        assertThat(decision.bindings()).containsExactlyElementsOf(refs("CONTACT:c1"));
        assertThat(decision.creations()).containsExactly(new NewLead("Quote for 40 chairs", "Carol Client", CAROL, "EMAIL",
            Optional.of("u-bob"), true, "<1@client.example>", refs("CONTACT:c1")));
        assertThat(decision.responsibleId()).contains("u-bob");
    }

    @Test
    void repeatSaleLeadShouldCreateTheRepeatLeadEvenWithLeadCreationOff() {
        CaptureDecision decision = inboundFromCarol(snapshot(Client.carol().contact("c1", "u-bob")),
            defaults("<repeatSale>lead</repeatSale><createLeadForIncoming>false</createLeadForIncoming>"));

        assertThat(decision.reason()).isEqualTo(ReasonCode.REPEAT_LEAD);
    }

    @Test
    void repeatSaleShouldNotApplyWhenTheClientHasAnActiveDeal() {
        CaptureDecision decision = inboundFromCarol(snapshot(Client.carol().contact("c1", "u-bob").deal("d1", DealStage.IN_PROGRESS, "u-bob", 1)),
            defaults("<repeatSale>lead</repeatSale>"));

        assertThat(decision.reason()).isEqualTo(ReasonCode.ACTIVE_DEAL);
    }

    @Test
    void repeatSaleShouldNotApplyToOutboundMail() {
        CaptureDecision decision = decide(fromAliceTo("carol@client.example"), outbound(CAROL), snapshot(Client.carol().contact("c1", "u-bob")),
            defaults("<repeatSale>lead</repeatSale>"));

        assertThat(decision.reason()).isEqualTo(ReasonCode.KNOWN_CLIENT);
        assertThat(decision.creations()).isEmpty();
    }

    @Test
    void repeatSaleDealShouldCreateARepeatDealForTheContactAndCompany() {
        CaptureDecision decision = inboundFromCarol(snapshot(Client.carol().contactOf("c1", "co1", "u-bob").company("co1", "u-bob")),
            defaults("<repeatSale>deal</repeatSale>"));

        assertThat(decision.reason()).isEqualTo(ReasonCode.REPEAT_DEAL);
        assertThat(decision.creations()).containsExactly(new NewDeal("Quote for 40 chairs", Optional.of(new ItemRef(ItemType.CONTACT, "c1")),
            Optional.of(new ItemRef(ItemType.COMPANY, "co1")), Optional.of("u-bob"), true, "<1@client.example>"));
    }

    // ---- route to the assigned manager (§4.6) ----

    @Test
    void aClientWhoseResponsibleIsInTheQueueShouldKeepItsItems() {
        CaptureDecision decision = inboundFromCarol(snapshot(Client.carol().contact("c1", "u-bob")),
            defaults("<routeToAssignedManager>true</routeToAssignedManager><queue>bob@company.example</queue>"));

        assertThat(decision.reason()).isEqualTo(ReasonCode.KNOWN_CLIENT);
        assertThat(decision.responsibleId()).contains("u-bob");
    }

    @Test
    void aClientWhoseResponsibleIsNotInTheQueueShouldGetANewLeadForTheQueue() {
        CaptureDecision decision = inboundFromCarol(snapshot(Client.carol().contact("c1", "u-carl")),
            defaults("<routeToAssignedManager>true</routeToAssignedManager><queue>bob@company.example</queue>"));

        assertThat(decision.reason()).isEqualTo(ReasonCode.QUEUE_LEAD);
        assertThat(decision.detail())
            .isEqualTo("carol@client.example's responsible (user u-carl) is not in the queue: new lead for the queue");
        assertThat(decision.creations()).singleElement().isInstanceOfSatisfying(NewLead.class,
            lead -> assertThat(lead.responsibleId()).contains("u-bob"));
    }

    // ---- excluded messages ----

    @Test
    void anExcludedClassificationShouldBeSkippedWithItsReason() {
        Classification spam = inbound().excluded(ReasonCode.SPAM, "X-Spam-Flag: YES");

        CaptureDecision decision = decide(fromCarol(), spam, snapshot(Client.carol().contact("c1", "u-bob")), DEFAULTS);

        assertThat(decision).isEqualTo(new CaptureDecision(ReasonCode.SPAM, "X-Spam-Flag: YES", List.of(), List.of(), Optional.empty()));
        assertThat(decision.captured()).isFalse();
    }

    @Test
    void aFilteredClassificationShouldBeSkippedWithTheFilterInItsLabel() {
        Classification filtered = inbound().filtered("app-notifications", "sender 'carol@client.example' matches /carol/");

        CaptureDecision decision = decide(fromCarol(), filtered, snapshot(Client.carol()), DEFAULTS);

        assertThat(decision.reason()).isEqualTo(ReasonCode.FILTERED);
        assertThat(decision.label()).isEqualTo("FILTERED:app-notifications");
        assertThat(decision.detail()).isEqualTo("sender 'carol@client.example' matches /carol/");
        assertThat(decision.creations()).isEmpty();
    }

    @Test
    void anExcludedClassificationShouldBeSkippedEvenInsideAThread() {
        Classification automated = inbound().excluded(ReasonCode.AUTOMATED, "Auto-Submitted: auto-replied");

        CaptureDecision decision = decide(fromCarol(), automated, snapshot(refs("LEAD:l9"), Client.carol()), DEFAULTS);

        assertThat(decision.reason()).isEqualTo(ReasonCode.AUTOMATED);
        assertThat(decision.bindings()).isEmpty();
    }
}

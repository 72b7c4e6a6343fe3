package org.jamescrm.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.model.MailParty;
import org.jamescrm.model.MessageFacts;
import org.jamescrm.settings.MailboxSettings;
import org.jamescrm.settings.RepeatSaleMode;
import org.jamescrm.spi.CaseRecord;
import org.jamescrm.spi.ClientRecord;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.ItemType;
import org.jamescrm.spi.NewContact;
import org.jamescrm.spi.NewDeal;
import org.jamescrm.spi.NewItem;
import org.jamescrm.spi.NewLead;

/**
 * Where a captured message goes (capture-rules §4): same thread first; then, per client, the route to
 * the assigned manager, the active deal, repeat sale or the contact/company and most recent lead, the
 * lead, and for an unknown client a new lead, contact and deal (leadless) or contact. Pure: facts,
 * snapshot and settings in, a decision out.
 */
public final class LinkingRules {

    /**
     * @param facts          the parsed message
     * @param classification the classification made in the pipeline
     * @param snapshot       what the CRM knows about the parties
     * @param settings       the settings of the classification's mailbox
     */
    public CaptureDecision decide(MessageFacts facts, Classification classification, CrmSnapshot snapshot, MailboxSettings settings) {
        if (!classification.capturable()) {
            return CaptureDecision.skip(classification.exclusion().orElseThrow());
        }
        if (!snapshot.threadItems().isEmpty()) {
            List<ItemRef> items = withDealsOfConvertedLeads(snapshot.threadItems(), classification, snapshot);
            return new CaptureDecision(ReasonCode.THREAD, "answers a captured message of the same thread",
                items, List.of(), responsibleOf(items, snapshot, classification));
        }
        Optional<CaseRecord> tokenCase = CaseTokens.find(facts.subject()).flatMap(snapshot::caseNumbered);
        if (tokenCase.isPresent()) {
            List<ItemRef> items = new ArrayList<>(List.of(tokenCase.get().ref()));
            classification.clients().forEach(client -> contactsAndCompanies(snapshot.client(client)).stream()
                .filter(item -> !items.contains(item)).forEach(items::add));
            return new CaptureDecision(ReasonCode.CASE_TOKEN, "the subject names case " + tokenCase.get().number()
                + " by its token " + CaseTokens.token(tokenCase.get().number()) + " and no captured message of its thread",
                items, List.of(), tokenCase.get().responsibleId().or(() -> classification.mailbox().flatMap(snapshot::userId)));
        }
        Optional<CaptureDecision> groupThread = GroupThreads.newThread(facts, classification, snapshot, settings);
        if (groupThread.isPresent()) {
            return groupThread.get();
        }
        Distribution.Pick pick = Distribution.pick(settings, classification, snapshot);
        List<Placement> placements = new ArrayList<>();
        for (EmailAddress client : classification.clients()) {
            placements.add(place(client, facts, classification, snapshot, settings, pick));
        }
        Placement first = placements.stream().filter(placement -> placement.reason.captured()).findFirst()
            .orElse(placements.get(0));
        if (!first.reason.captured()) {
            return CaptureDecision.skip(first.reason, first.detail);
        }
        Set<ItemRef> bindings = new LinkedHashSet<>();
        List<NewItem> creations = new ArrayList<>();
        boolean tookTurn = false;
        for (Placement placement : placements) {
            bindings.addAll(placement.bindings);
            creations.addAll(placement.creations);
            tookTurn |= placement.tookTurn;
        }
        return new CaptureDecision(first.reason, first.detail, List.copyOf(bindings), creations, first.responsibleId,
            first.reason.name(), tookTurn);
    }

    private static Placement place(EmailAddress client, MessageFacts facts, Classification classification, CrmSnapshot snapshot,
                                   MailboxSettings settings, Distribution.Pick pick) {
        ClientRecord record = snapshot.client(client);
        boolean inbound = classification.direction() == Direction.INBOUND;
        if (inbound && settings.routeToAssignedManager() && !record.isUnknown()) {
            Optional<String> manager = clientResponsible(record);
            if (manager.filter(id -> Distribution.inQueue(settings, snapshot, id)).isEmpty()) {
                Distribution.Pick queuePick = Distribution.pickFromQueue(settings, classification, snapshot);
                NewLead lead = newLead(client, facts, settings, queuePick.responsibleId(), false, List.of());
                return new Placement(ReasonCode.QUEUE_LEAD, client + "'s responsible "
                    + manager.map(id -> "(user " + id + ")").orElse("(none)") + " is not in the queue: new lead for the queue",
                    List.of(), List.of(lead), queuePick.responsibleId(), queuePick.tookTurn());
            }
        }
        Optional<ClientRecord.Deal> activeDeal = record.deals().stream()
            .filter(deal -> deal.stage().active())
            .max(Comparator.comparing(ClientRecord.Deal::modifiedAt));
        if (activeDeal.isPresent()) {
            List<ItemRef> bindings = new ArrayList<>();
            bindings.add(new ItemRef(ItemType.DEAL, activeDeal.get().id()));
            bindings.addAll(contactsAndCompanies(record));
            return Placement.existing(ReasonCode.ACTIVE_DEAL, "attached to the active deal " + activeDeal.get().id()
                + " of " + client, bindings, activeDeal.get().responsibleId());
        }
        Optional<ClientRecord.Lead> recentLead = record.leads().stream().max(Comparator.comparing(ClientRecord.Lead::modifiedAt));
        if (!record.contacts().isEmpty() || !record.companies().isEmpty()) {
            Optional<String> responsible = contactOrCompanyResponsible(record);
            if (inbound && settings.repeatSale() == RepeatSaleMode.LEAD) {
                NewLead lead = newLead(client, facts, settings, responsible, true, contactsAndCompanies(record));
                return new Placement(ReasonCode.REPEAT_LEAD, "known client " + client
                    + " without an active deal, repeat-sale mode lead: repeat lead for its responsible (created even when "
                    + "lead creation from mail is off)", contactsAndCompanies(record), List.of(lead), responsible, false);
            }
            if (inbound && settings.repeatSale() == RepeatSaleMode.DEAL) {
                NewDeal deal = new NewDeal(title(client, facts),
                    record.contacts().stream().findFirst().map(contact -> new ItemRef(ItemType.CONTACT, contact.id())),
                    record.companies().stream().findFirst().map(company -> new ItemRef(ItemType.COMPANY, company.id())),
                    responsible, true, facts.captureKey());
                return new Placement(ReasonCode.REPEAT_DEAL, "known client " + client
                    + " without an active deal, repeat-sale mode deal: repeat deal for its responsible",
                    contactsAndCompanies(record), List.of(deal), responsible, false);
            }
            List<ItemRef> bindings = new ArrayList<>(contactsAndCompanies(record));
            recentLead.ifPresent(lead -> bindings.add(new ItemRef(ItemType.LEAD, lead.id())));
            return Placement.existing(ReasonCode.KNOWN_CLIENT, "known client " + client
                + " without an active deal: attached to its contact/company"
                + recentLead.map(lead -> " and most recent lead " + lead.id() + " (" + lead.status() + ")").orElse(""),
                bindings, responsible);
        }
        Optional<ClientRecord.Lead> leadOnly = openOrMostRecentLead(record);
        if (leadOnly.isPresent()) {
            ClientRecord.Lead lead = leadOnly.get();
            return Placement.existing(ReasonCode.OPEN_LEAD, "attached to the " + (lead.status().closed() ? "most recent (" + lead.status() + ") " : "open ")
                + "lead " + lead.id() + " of " + client, List.of(new ItemRef(ItemType.LEAD, lead.id())), lead.responsibleId());
        }
        return newClient(client, facts, classification, settings, pick);
    }

    /**
     * The lead of a client known by leads only (§4.4): its open lead, the most recently modified one when
     * there are several; else its most recent closed lead. An open lead is being worked on, so a later
     * change to a closed one (junked, converted) must not pull the mail away from it.
     */
    static Optional<ClientRecord.Lead> openOrMostRecentLead(ClientRecord record) {
        Comparator<ClientRecord.Lead> mostRecent = Comparator.comparing(ClientRecord.Lead::modifiedAt);
        return record.leads().stream().filter(lead -> !lead.status().closed()).max(mostRecent)
            .or(() -> record.leads().stream().max(mostRecent));
    }

    private static Placement newClient(EmailAddress client, MessageFacts facts, Classification classification,
                                       MailboxSettings settings, Distribution.Pick pick) {
        boolean inbound = classification.direction() == Direction.INBOUND;
        if (inbound && settings.createLeadForIncoming() && settings.leadless()) {
            NewContact contact = new NewContact(name(client, facts), client, pick.responsibleId(), facts.captureKey());
            NewDeal deal = new NewDeal(title(client, facts), Optional.empty(), Optional.empty(), pick.responsibleId(), false,
                facts.captureKey());
            return new Placement(ReasonCode.NEW_CONTACT_AND_DEAL, "unknown client " + client + ", leadless mode: new contact and deal",
                List.of(), List.of(contact, deal), pick.responsibleId(), pick.tookTurn());
        }
        if (inbound && settings.createLeadForIncoming()) {
            NewLead lead = newLead(client, facts, settings, pick.responsibleId(), false, List.of());
            return new Placement(ReasonCode.NEW_LEAD, "unknown client " + client + ": new lead", List.of(), List.of(lead),
                pick.responsibleId(), pick.tookTurn());
        }
        if (!inbound && settings.createContactForOutgoing()) {
            NewContact contact = new NewContact(name(client, facts), client, pick.responsibleId(), facts.captureKey());
            return new Placement(ReasonCode.NEW_CONTACT, "new address " + client + ": new contact", List.of(), List.of(contact),
                pick.responsibleId(), pick.tookTurn());
        }
        String setting = inbound ? "createLeadForIncoming" : "createContactForOutgoing";
        return new Placement(ReasonCode.UNKNOWN_CLIENT_NO_CREATE, "nothing in the CRM matches " + client + " and "
            + setting + " is false", List.of(), List.of(), Optional.empty(), false);
    }

    static NewLead newLead(EmailAddress client, MessageFacts facts, MailboxSettings settings, Optional<String> responsible,
                                   boolean returnCustomer, List<ItemRef> clientItems) {
        return new NewLead(title(client, facts), name(client, facts), client, settings.leadSource(), responsible, returnCustomer,
            facts.captureKey(), clientItems);
    }

    static String title(EmailAddress client, MessageFacts facts) {
        return facts.subject().isBlank() ? "E-mail from " + client : facts.subject();
    }

    static String name(EmailAddress client, MessageFacts facts) {
        List<MailParty> parties = new ArrayList<>();
        facts.from().ifPresent(parties::add);
        parties.addAll(facts.to());
        parties.addAll(facts.cc());
        return parties.stream().filter(party -> party.address().equals(client)).findFirst()
            .map(MailParty::nameOrLocalPart).orElse(client.localPart());
    }

    static List<ItemRef> contactsAndCompanies(ClientRecord record) {
        List<ItemRef> refs = new ArrayList<>();
        record.contacts().forEach(contact -> refs.add(new ItemRef(ItemType.CONTACT, contact.id())));
        record.companies().forEach(company -> refs.add(new ItemRef(ItemType.COMPANY, company.id())));
        return refs;
    }

    private static Optional<String> contactOrCompanyResponsible(ClientRecord record) {
        return record.contacts().stream().map(ClientRecord.Contact::responsibleId).flatMap(Optional::stream).findFirst()
            .or(() -> record.companies().stream().map(ClientRecord.Company::responsibleId).flatMap(Optional::stream).findFirst());
    }

    /** The client's responsible: of its active deal, else of its contact/company, else of its most recent lead. */
    private static Optional<String> clientResponsible(ClientRecord record) {
        return record.deals().stream().filter(deal -> deal.stage().active()).max(Comparator.comparing(ClientRecord.Deal::modifiedAt))
            .flatMap(ClientRecord.Deal::responsibleId)
            .or(() -> contactOrCompanyResponsible(record))
            .or(() -> record.leads().stream().max(Comparator.comparing(ClientRecord.Lead::modifiedAt)).flatMap(ClientRecord.Lead::responsibleId));
    }

    /** The thread's items plus the deals made from its leads: after a conversion, mail binds to the lead and the deal. */
    private static List<ItemRef> withDealsOfConvertedLeads(List<ItemRef> items, Classification classification, CrmSnapshot snapshot) {
        Set<ItemRef> all = new LinkedHashSet<>(items);
        for (ItemRef item : items) {
            if (item.type() == ItemType.LEAD) {
                for (EmailAddress client : classification.clients()) {
                    snapshot.client(client).deals().stream()
                        .filter(deal -> deal.leadId().filter(item.id()::equals).isPresent())
                        .forEach(deal -> all.add(new ItemRef(ItemType.DEAL, deal.id())));
                }
            }
        }
        return List.copyOf(all);
    }

    /**
     * The responsible of the thread: its case's when it has one (the case's responsible answers its mail),
     * else of the first thread item the snapshot knows, else the mailbox owner.
     */
    private static Optional<String> responsibleOf(List<ItemRef> items, CrmSnapshot snapshot, Classification classification) {
        Optional<String> caseResponsible = items.stream().filter(item -> item.type() == ItemType.CASE)
            .map(item -> snapshot.caseWithId(item.id())).flatMap(Optional::stream)
            .map(CaseRecord::responsibleId).flatMap(Optional::stream).findFirst();
        if (caseResponsible.isPresent()) {
            return caseResponsible;
        }
        for (ItemRef item : items) {
            for (EmailAddress client : classification.clients()) {
                Optional<String> responsible = responsibleIn(snapshot.client(client), item);
                if (responsible.isPresent()) {
                    return responsible;
                }
            }
        }
        return classification.mailbox().flatMap(snapshot::userId);
    }

    private static Optional<String> responsibleIn(ClientRecord record, ItemRef item) {
        return switch (item.type()) {
            case LEAD -> record.leads().stream().filter(lead -> lead.id().equals(item.id())).findFirst().flatMap(ClientRecord.Lead::responsibleId);
            case DEAL -> record.deals().stream().filter(deal -> deal.id().equals(item.id())).findFirst().flatMap(ClientRecord.Deal::responsibleId);
            case CONTACT -> record.contacts().stream().filter(contact -> contact.id().equals(item.id())).findFirst().flatMap(ClientRecord.Contact::responsibleId);
            case COMPANY -> record.companies().stream().filter(company -> company.id().equals(item.id())).findFirst().flatMap(ClientRecord.Company::responsibleId);
            case CASE -> Optional.empty(); // cases are not part of a client's record: the snapshot's cases answer
        };
    }

    /** Where the mail goes for one client. */
    private record Placement(ReasonCode reason, String detail, List<ItemRef> bindings, List<NewItem> creations,
                             Optional<String> responsibleId, boolean tookTurn) {

        static Placement existing(ReasonCode reason, String detail, List<ItemRef> bindings, Optional<String> responsibleId) {
            return new Placement(reason, detail, bindings, List.of(), responsibleId, false);
        }
    }
}

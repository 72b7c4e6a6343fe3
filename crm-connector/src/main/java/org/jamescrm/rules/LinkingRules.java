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
import org.jamescrm.spi.ClientRecord;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.ItemType;
import org.jamescrm.spi.NewContact;
import org.jamescrm.spi.NewItem;
import org.jamescrm.spi.NewLead;

/**
 * Where a captured message goes (capture-rules §4): same thread first, then the client's active deal,
 * its contact/company and most recent lead, its open lead, and for an unknown client a new lead
 * (incoming) or contact (outgoing). Pure: facts, snapshot and settings in, a decision out.
 */
public final class LinkingRules {

    /**
     * @param facts          the parsed message
     * @param classification the classification made in the pipeline; must be capturable
     * @param snapshot       what the CRM knows about the parties
     * @param settings       the settings of the classification's mailbox
     */
    public CaptureDecision decide(MessageFacts facts, Classification classification, CrmSnapshot snapshot, MailboxSettings settings) {
        if (!classification.capturable()) {
            Classification.Exclusion exclusion = classification.exclusion().orElseThrow();
            return CaptureDecision.skip(exclusion.reason(), exclusion.detail());
        }
        Optional<String> mailboxOwner = classification.mailbox().flatMap(snapshot::userId);
        if (!snapshot.threadItems().isEmpty()) {
            return new CaptureDecision(ReasonCode.THREAD, "answers a captured message of the same thread",
                snapshot.threadItems(), List.of(), responsibleOf(snapshot.threadItems(), snapshot, classification));
        }
        List<Placement> placements = new ArrayList<>();
        for (EmailAddress client : classification.clients()) {
            placements.add(place(client, facts, classification, snapshot.client(client), settings, mailboxOwner));
        }
        Placement first = placements.stream().filter(placement -> placement.reason.captured()).findFirst()
            .orElse(placements.get(0));
        if (!first.reason.captured()) {
            return CaptureDecision.skip(first.reason, first.detail);
        }
        Set<ItemRef> bindings = new LinkedHashSet<>();
        List<NewItem> creations = new ArrayList<>();
        for (Placement placement : placements) {
            bindings.addAll(placement.bindings);
            creations.addAll(placement.creations);
        }
        return new CaptureDecision(first.reason, first.detail, List.copyOf(bindings), creations, first.responsibleId);
    }

    private static Placement place(EmailAddress client, MessageFacts facts, Classification classification,
                                   ClientRecord record, MailboxSettings settings, Optional<String> mailboxOwner) {
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
            List<ItemRef> bindings = new ArrayList<>(contactsAndCompanies(record));
            recentLead.ifPresent(lead -> bindings.add(new ItemRef(ItemType.LEAD, lead.id())));
            Optional<String> responsible = record.contacts().stream().findFirst().flatMap(ClientRecord.Contact::responsibleId)
                .or(() -> record.companies().stream().findFirst().flatMap(ClientRecord.Company::responsibleId));
            return Placement.existing(ReasonCode.KNOWN_CLIENT, "known client " + client
                + " without an active deal: attached to its contact/company" + recentLead.map(lead -> " and most recent lead " + lead.id()).orElse(""),
                bindings, responsible);
        }
        if (recentLead.isPresent()) {
            ClientRecord.Lead lead = recentLead.get();
            return Placement.existing(ReasonCode.OPEN_LEAD, "attached to the " + (lead.status().closed() ? "most recent (closed) " : "open ")
                + "lead " + lead.id() + " of " + client, List.of(new ItemRef(ItemType.LEAD, lead.id())), lead.responsibleId());
        }
        return newClient(client, facts, classification, settings, mailboxOwner);
    }

    private static Placement newClient(EmailAddress client, MessageFacts facts, Classification classification,
                                       MailboxSettings settings, Optional<String> mailboxOwner) {
        String name = partyNamed(client, facts).map(MailParty::nameOrLocalPart).orElse(client.localPart());
        if (classification.direction() == Direction.INBOUND && settings.createLeadForIncoming()) {
            String title = facts.subject().isBlank() ? "E-mail from " + client : facts.subject();
            NewLead lead = new NewLead(title, name, client, settings.leadSource(), mailboxOwner, false, facts.captureKey());
            return new Placement(ReasonCode.NEW_LEAD, "unknown client " + client + ": new lead", List.of(), List.of(lead), mailboxOwner);
        }
        if (classification.direction() == Direction.OUTBOUND && settings.createContactForOutgoing()) {
            NewContact contact = new NewContact(name, client, mailboxOwner, facts.captureKey());
            return new Placement(ReasonCode.NEW_CONTACT, "new address " + client + ": new contact", List.of(), List.of(contact), mailboxOwner);
        }
        String setting = classification.direction() == Direction.INBOUND ? "createLeadForIncoming" : "createContactForOutgoing";
        return new Placement(ReasonCode.UNKNOWN_CLIENT_NO_CREATE, "nothing in the CRM matches " + client + " and "
            + setting + " is false", List.of(), List.of(), Optional.empty());
    }

    private static Optional<MailParty> partyNamed(EmailAddress address, MessageFacts facts) {
        List<MailParty> parties = new ArrayList<>();
        facts.from().ifPresent(parties::add);
        parties.addAll(facts.to());
        parties.addAll(facts.cc());
        return parties.stream().filter(party -> party.address().equals(address)).findFirst();
    }

    private static List<ItemRef> contactsAndCompanies(ClientRecord record) {
        List<ItemRef> refs = new ArrayList<>();
        record.contacts().forEach(contact -> refs.add(new ItemRef(ItemType.CONTACT, contact.id())));
        record.companies().forEach(company -> refs.add(new ItemRef(ItemType.COMPANY, company.id())));
        return refs;
    }

    /** The responsible of the first thread item the snapshot knows the client record of. */
    private static Optional<String> responsibleOf(List<ItemRef> items, CrmSnapshot snapshot, Classification classification) {
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
        };
    }

    /** Where the mail goes for one client. */
    private record Placement(ReasonCode reason, String detail, List<ItemRef> bindings, List<NewItem> creations,
                             Optional<String> responsibleId) {

        static Placement existing(ReasonCode reason, String detail, List<ItemRef> bindings, Optional<String> responsibleId) {
            return new Placement(reason, detail, bindings, List.of(), responsibleId);
        }
    }
}

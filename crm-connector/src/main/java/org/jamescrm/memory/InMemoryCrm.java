package org.jamescrm.memory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jamescrm.memory.MemoryRecords.Activity;
import org.jamescrm.memory.MemoryRecords.Company;
import org.jamescrm.memory.MemoryRecords.Contact;
import org.jamescrm.memory.MemoryRecords.Deal;
import org.jamescrm.memory.MemoryRecords.Lead;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.spi.CaseRecord;
import org.jamescrm.spi.ClientRecord;
import org.jamescrm.spi.ConnectorView;
import org.jamescrm.spi.CrmCapabilities;
import org.jamescrm.spi.CrmConnector;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmLookup;
import org.jamescrm.spi.CrmLookupResult;
import org.jamescrm.spi.CrmRejectedException;
import org.jamescrm.spi.CrmUser;
import org.jamescrm.spi.DealStage;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.ItemType;
import org.jamescrm.spi.LeadStatus;
import org.jamescrm.spi.NewCase;
import org.jamescrm.spi.NewContact;
import org.jamescrm.spi.NewDeal;
import org.jamescrm.spi.NewEmailActivity;
import org.jamescrm.spi.NewLead;
import org.jamescrm.spi.OneByOneCrm;
import org.jamescrm.spi.OneCallAtATime;
import org.jamescrm.spi.WritePlan;
import org.jamescrm.spi.WriteResult;

/**
 * The embedded CRM, in memory like James's own memory backends: the product's default connector, so
 * it runs with no external CRM, and the reference the capture rules are tested on. It has the
 * semantics the rules rely on: leads with statuses (open, converted, junk), contacts, companies,
 * deals with stages (in progress, won, lost), e-mail activities bound to items, users with e-mail
 * addresses, responsible users. Thread-safe; contents are lost when James stops.
 */
public final class InMemoryCrm implements CrmConnector, OneByOneCrm, ConnectorView {
    private final MemoryStore store;
    private final OneCallAtATime rounds = new OneCallAtATime(this);

    /**
     * @param clock        the clock of the records' times
     * @param users        the CRM users ({@code <memory><user .../></memory>})
     * @param contentLimit the most bytes of bodies and attachments kept ({@code <memory><contentLimit>}):
     *                     past it the oldest contents are dropped and marked, the records kept, so the
     *                     CRM's memory stays bounded however much mail it takes
     */
    public InMemoryCrm(Clock clock, List<MemoryUser> users, long contentLimit) {
        this.store = new MemoryStore(clock, contentLimit);
        users.forEach(user -> store.addUser(user.email(), user.name()));
    }

    /** The records, for this package's view and for the tests' administration of the CRM. */
    MemoryStore store() {
        return store;
    }

    @Override
    public String name() {
        return "memory";
    }

    /** Always reachable: it lives in James. */
    @Override
    public void checkConnection() {
        // nothing to reach
    }

    /** Leads, cases and teams, no batch API (nothing to batch in memory). */
    @Override
    public CrmCapabilities capabilities() {
        return InMemoryCrmProvider.CAPABILITIES;
    }

    @Override
    public CrmLookupResult lookUp(CrmLookup lookup) throws CrmException {
        return rounds.lookUp(lookup);
    }

    @Override
    public List<WriteResult> write(List<WritePlan> plans) {
        return rounds.write(plans);
    }

    /** {@code GET /crm/memory}. */
    @Override
    public String viewName() {
        return "memory";
    }

    @Override
    public Map<String, Object> view() {
        return MemoryJson.view(store);
    }

    // ---- one call at a time ----

    @Override
    public Map<EmailAddress, CrmUser> findUsers(Set<EmailAddress> emails) {
        synchronized (store.lock) {
            Map<EmailAddress, CrmUser> found = new LinkedHashMap<>();
            store.users.values().stream().filter(user -> emails.contains(user.email())).forEach(user -> found.put(user.email(), user));
            return found;
        }
    }

    @Override
    public Map<EmailAddress, ClientRecord> findClients(Set<EmailAddress> emails) {
        synchronized (store.lock) {
            Map<EmailAddress, ClientRecord> records = new LinkedHashMap<>();
            for (EmailAddress email : emails) {
                records.put(email, clientRecord(email));
            }
            return records;
        }
    }

    private ClientRecord clientRecord(EmailAddress email) {
        List<Contact> clientContacts = store.contacts.where(MemoryStore.EMAIL, email);
        Set<String> companyIds = new LinkedHashSet<>();
        store.companies.where(MemoryStore.EMAIL, email).forEach(company -> companyIds.add(company.id()));
        clientContacts.forEach(contact -> contact.companyId().ifPresent(companyIds::add));
        List<Lead> clientLeads = store.leads.where(MemoryStore.EMAIL, email);
        // the deals of the client's contacts, companies and leads, each once, in the order they were created
        Map<String, Deal> clientDeals = new java.util.TreeMap<>(InMemoryCrm::creationOrder);
        clientContacts.forEach(contact -> store.deals.where(MemoryStore.CONTACT_ID, contact.id()).forEach(deal -> clientDeals.put(deal.id(), deal)));
        companyIds.forEach(id -> store.deals.where(MemoryStore.COMPANY_ID, id).forEach(deal -> clientDeals.put(deal.id(), deal)));
        clientLeads.forEach(lead -> store.deals.where(MemoryStore.LEAD_ID, lead.id()).forEach(deal -> clientDeals.put(deal.id(), deal)));
        return new ClientRecord(email,
            clientContacts.stream().map(contact -> new ClientRecord.Contact(contact.id(), contact.responsibleId(), contact.companyId())).toList(),
            companyIds.stream().map(store.companies::get).map(company -> new ClientRecord.Company(company.id(), company.responsibleId())).toList(),
            clientLeads.stream().map(lead -> new ClientRecord.Lead(lead.id(), lead.status(), lead.responsibleId(), lead.modifiedAt())).toList(),
            clientDeals.values().stream().map(deal -> new ClientRecord.Deal(deal.id(), deal.stage(), deal.responsibleId(), deal.modifiedAt(),
                deal.leadId())).toList());
    }

    /** Ids are numbers counted up: a shorter one, or a smaller one of the same length, came first. */
    private static int creationOrder(String one, String other) {
        return one.length() != other.length() ? Integer.compare(one.length(), other.length()) : one.compareTo(other);
    }

    @Override
    public List<ItemRef> findThreadItems(List<String> messageIds) {
        synchronized (store.lock) {
            for (String messageId : messageIds) {
                List<ItemRef> bindings = store.activitiesByMessageId.getOrDefault(messageId, List.of()).stream()
                    .map(store.activities::get)
                    .flatMap(activity -> activity.bindings().stream())
                    .distinct()
                    .toList();
                if (!bindings.isEmpty()) {
                    return bindings;
                }
            }
            return List.of();
        }
    }

    @Override
    public Optional<String> findActivityByOriginKey(String originKey) {
        synchronized (store.lock) {
            return Optional.ofNullable(store.activityByOriginKey.get(originKey));
        }
    }

    @Override
    public Optional<ItemRef> findLeadByOriginKey(String originKey) {
        synchronized (store.lock) {
            return store.leads.first(MemoryStore.ORIGIN_KEY, originKey).map(lead -> new ItemRef(ItemType.LEAD, lead.id()));
        }
    }

    @Override
    public Optional<ItemRef> findContactByOriginKey(String originKey) {
        synchronized (store.lock) {
            return store.contacts.first(MemoryStore.ORIGIN_KEY, originKey).map(contact -> new ItemRef(ItemType.CONTACT, contact.id()));
        }
    }

    @Override
    public Optional<ItemRef> findDealByOriginKey(String originKey) {
        synchronized (store.lock) {
            return store.deals.first(MemoryStore.ORIGIN_KEY, originKey).map(deal -> new ItemRef(ItemType.DEAL, deal.id()));
        }
    }

    @Override
    public Map<String, Integer> countOpenItems(Set<String> userIds) {
        synchronized (store.lock) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            userIds.forEach(id -> counts.put(id, 0));
            store.leads.values().stream().filter(lead -> lead.status() == LeadStatus.OPEN)
                .forEach(lead -> lead.responsibleId().filter(counts::containsKey).ifPresent(id -> counts.merge(id, 1, Integer::sum)));
            store.deals.values().stream().filter(deal -> deal.stage().active())
                .forEach(deal -> deal.responsibleId().filter(counts::containsKey).ifPresent(id -> counts.merge(id, 1, Integer::sum)));
            store.cases.values().stream().filter(MemoryRecords.Case::open)
                .forEach(open -> open.responsibleId().filter(counts::containsKey).ifPresent(id -> counts.merge(id, 1, Integer::sum)));
            return counts;
        }
    }

    @Override
    public Map<String, CaseRecord> findCases(Set<String> numbers, Set<String> ids) {
        synchronized (store.lock) {
            Map<String, CaseRecord> found = new LinkedHashMap<>();
            Map<String, MemoryRecords.Case> cases = new java.util.TreeMap<>(InMemoryCrm::creationOrder);
            numbers.forEach(number -> store.cases.where(MemoryStore.NUMBER, number).forEach(open -> cases.put(open.id(), open)));
            ids.stream().map(store.cases::get).filter(java.util.Objects::nonNull).forEach(open -> cases.put(open.id(), open));
            cases.values().forEach(open -> found.put(open.number(), new CaseRecord(open.id(), open.number(), open.responsibleId(), open.open())));
            return found;
        }
    }

    @Override
    public Optional<ItemRef> findCaseByOriginKey(String originKey) {
        synchronized (store.lock) {
            return store.cases.first(MemoryStore.ORIGIN_KEY, originKey).map(open -> new ItemRef(ItemType.CASE, open.id()));
        }
    }

    @Override
    public CaseRecord createCase(NewCase newCase, List<ItemRef> createdClientItems) throws CrmRejectedException {
        try {
            synchronized (store.lock) {
                newCase.responsibleId().ifPresent(id -> MemoryStore.existing(store.users, id, "user"));
                List<ItemRef> clientItems = new ArrayList<>(newCase.clientItems());
                createdClientItems.stream().filter(item -> item.type() != ItemType.DEAL).forEach(clientItems::add);
                MemoryRecords.Case created = new MemoryRecords.Case(store.newId(), store.newCaseNumber(), newCase.subject(),
                    newCase.description(), newCase.email(), clientItems, newCase.responsibleId(), true, Optional.of(newCase.originKey()),
                    store.clock.instant());
                store.cases.put(created.id(), created);
                return new CaseRecord(created.id(), created.number(), created.responsibleId(), true);
            }
        } catch (IllegalArgumentException e) {
            throw new CrmRejectedException(e.getMessage(), e); // as a CRM answers invalid data
        }
    }

    @Override
    public void assignTeams(ItemRef item, List<String> teams) {
        synchronized (store.lock) {
            store.teams.put(item.toString(), List.copyOf(teams));
        }
    }

    @Override
    public ItemRef createDeal(NewDeal deal) throws CrmRejectedException {
        try {
            synchronized (store.lock) {
                deal.responsibleId().ifPresent(id -> MemoryStore.existing(store.users, id, "user"));
                deal.contact().ifPresent(ref -> MemoryStore.existing(store.contacts, ref.id(), "contact"));
                deal.company().ifPresent(ref -> MemoryStore.existing(store.companies, ref.id(), "company"));
                Instant now = store.clock.instant();
                Deal created = new Deal(store.newId(), deal.title(), DealStage.IN_PROGRESS, deal.contact().map(ItemRef::id),
                    deal.company().map(ItemRef::id), Optional.empty(), deal.responsibleId(), deal.returnCustomer(),
                    Optional.of(deal.originKey()), now, now);
                store.deals.put(created.id(), created);
                return new ItemRef(ItemType.DEAL, created.id());
            }
        } catch (IllegalArgumentException e) {
            throw new CrmRejectedException(e.getMessage(), e); // as a CRM answers invalid data
        }
    }

    @Override
    public ItemRef createLead(NewLead lead) throws CrmRejectedException {
        try {
            synchronized (store.lock) {
                lead.responsibleId().ifPresent(id -> MemoryStore.existing(store.users, id, "user"));
                Instant now = store.clock.instant();
                Lead created = new Lead(store.newId(), lead.title(), lead.name(), lead.email(), LeadStatus.OPEN, lead.responsibleId(),
                    lead.source(), lead.returnCustomer(), Optional.of(lead.originKey()), now, now);
                store.leads.put(created.id(), created);
                return new ItemRef(ItemType.LEAD, created.id());
            }
        } catch (IllegalArgumentException e) {
            throw new CrmRejectedException(e.getMessage(), e); // as a CRM answers invalid data
        }
    }

    @Override
    public ItemRef createContact(NewContact contact) throws CrmRejectedException {
        try {
            synchronized (store.lock) {
                contact.responsibleId().ifPresent(id -> MemoryStore.existing(store.users, id, "user"));
                Contact created = new Contact(store.newId(), contact.name(), contact.email(), Optional.empty(), Optional.empty(),
                    contact.responsibleId(), Optional.of(contact.originKey()), store.clock.instant());
                store.contacts.put(created.id(), created);
                return new ItemRef(ItemType.CONTACT, created.id());
            }
        } catch (IllegalArgumentException e) {
            throw new CrmRejectedException(e.getMessage(), e); // as a CRM answers invalid data
        }
    }

    @Override
    public String createEmailActivity(NewEmailActivity email) throws CrmRejectedException {
        try {
            synchronized (store.lock) {
                if (email.bindings().isEmpty()) {
                    throw new IllegalArgumentException("an e-mail activity must be bound to at least one item");
                }
                email.responsibleId().ifPresent(id -> MemoryStore.existing(store.users, id, "user"));
                Instant now = store.clock.instant();
                for (ItemRef binding : email.bindings()) {
                    switch (binding.type()) {
                        case LEAD -> store.leads.put(binding.id(), MemoryStore.existing(store.leads, binding.id(), "lead").touched(now));
                        case DEAL -> store.deals.put(binding.id(), MemoryStore.existing(store.deals, binding.id(), "deal").touched(now));
                        case CONTACT -> MemoryStore.existing(store.contacts, binding.id(), "contact");
                        case COMPANY -> MemoryStore.existing(store.companies, binding.id(), "company");
                        case CASE -> MemoryStore.existing(store.cases, binding.id(), "case");
                    }
                }
                Activity activity = new Activity(store.newId(), email, false);
                store.addActivity(activity);
                return activity.id();
            }
        } catch (IllegalArgumentException e) {
            throw new CrmRejectedException(e.getMessage(), e); // as a CRM answers invalid data
        }
    }
}

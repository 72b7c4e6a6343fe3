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
import java.util.function.Function;

import org.jamescrm.memory.MemoryRecords.Activity;
import org.jamescrm.memory.MemoryRecords.Company;
import org.jamescrm.memory.MemoryRecords.Contact;
import org.jamescrm.memory.MemoryRecords.Deal;
import org.jamescrm.memory.MemoryRecords.Lead;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.spi.ClientRecord;
import org.jamescrm.spi.CrmConnector;
import org.jamescrm.spi.CrmRejectedException;
import org.jamescrm.spi.CrmUser;
import org.jamescrm.spi.DealStage;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.ItemType;
import org.jamescrm.spi.LeadStatus;
import org.jamescrm.spi.NewContact;
import org.jamescrm.spi.NewDeal;
import org.jamescrm.spi.NewEmailActivity;
import org.jamescrm.spi.NewLead;

/**
 * The embedded CRM, in memory like James's own memory backends: the product's default connector, so
 * it runs with no external CRM, and the reference the capture rules are tested on. It has the
 * semantics the rules rely on: leads with statuses (open, converted, junk), contacts, companies,
 * deals with stages (in progress, won, lost), e-mail activities bound to items, users with e-mail
 * addresses, responsible users. Thread-safe; contents are lost when James stops.
 */
public final class InMemoryCrm implements CrmConnector {
    private final Clock clock;
    private final MemoryJson json = new MemoryJson();
    private final Object lock = new Object();
    private final Map<String, CrmUser> users = new LinkedHashMap<>();
    private final Map<String, Lead> leads = new LinkedHashMap<>();
    private final Map<String, Contact> contacts = new LinkedHashMap<>();
    private final Map<String, Company> companies = new LinkedHashMap<>();
    private final Map<String, Deal> deals = new LinkedHashMap<>();
    private final Map<String, Activity> activities = new LinkedHashMap<>();
    private long nextId = 1;

    public InMemoryCrm(Clock clock) {
        this.clock = clock;
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

    // ---- administration: what a CRM user does in the CRM's own interface ----

    /** Adds a CRM user; an existing user with the same address is returned unchanged. */
    public CrmUser addUser(EmailAddress email, String name) {
        synchronized (lock) {
            return users.values().stream().filter(user -> user.email().equals(email)).findFirst()
                .orElseGet(() -> {
                    CrmUser user = new CrmUser(newId(), email, name);
                    users.put(user.id(), user);
                    return user;
                });
        }
    }

    /** Adds a company. */
    public Company addCompany(String title, Optional<EmailAddress> email, Optional<String> responsibleId) {
        synchronized (lock) {
            Company company = new Company(newId(), title, email, responsibleId, clock.instant());
            companies.put(company.id(), company);
            return company;
        }
    }

    /** Adds a contact entered by hand (not from a mail). */
    public Contact addContact(String name, EmailAddress email, Optional<String> companyId, Optional<String> responsibleId) {
        synchronized (lock) {
            companyId.ifPresent(id -> existing(companies, id, "company"));
            Contact contact = new Contact(newId(), name, email, companyId, Optional.empty(), responsibleId, Optional.empty(), clock.instant());
            contacts.put(contact.id(), contact);
            return contact;
        }
    }

    /** Adds a deal in progress for a contact and/or company. */
    public Deal addDeal(String title, Optional<String> contactId, Optional<String> companyId, Optional<String> responsibleId) {
        synchronized (lock) {
            contactId.ifPresent(id -> existing(contacts, id, "contact"));
            companyId.ifPresent(id -> existing(companies, id, "company"));
            Instant now = clock.instant();
            Deal deal = new Deal(newId(), title, DealStage.IN_PROGRESS, contactId, companyId, Optional.empty(), responsibleId, false,
                Optional.empty(), now, now);
            deals.put(deal.id(), deal);
            return deal;
        }
    }

    /** Moves a deal to another stage (won, lost, back in progress). */
    public Deal setDealStage(String dealId, DealStage stage) {
        synchronized (lock) {
            Deal deal = existing(deals, dealId, "deal").withStage(stage, clock.instant());
            deals.put(deal.id(), deal);
            return deal;
        }
    }

    /** Closes or reopens a lead. Conversion goes through {@link #convertLead}. */
    public Lead setLeadStatus(String leadId, LeadStatus status) {
        if (status == LeadStatus.CONVERTED) {
            throw new IllegalArgumentException("a lead is converted with convertLead, which creates its contact and deal");
        }
        synchronized (lock) {
            Lead lead = existing(leads, leadId, "lead").withStatus(status, clock.instant());
            leads.put(lead.id(), lead);
            return lead;
        }
    }

    /**
     * Converts an open lead the way CRMs do: a contact with the lead's name and address, a deal in
     * progress for it, both made from the lead and with its responsible; the lead becomes CONVERTED.
     *
     * @return the deal made from the lead
     */
    public Deal convertLead(String leadId) {
        synchronized (lock) {
            Lead lead = existing(leads, leadId, "lead");
            if (lead.status() != LeadStatus.OPEN) {
                throw new IllegalStateException("lead " + leadId + " is " + lead.status() + "; only an OPEN lead can be converted");
            }
            Instant now = clock.instant();
            Contact contact = new Contact(newId(), lead.name(), lead.email(), Optional.empty(), Optional.of(lead.id()),
                lead.responsibleId(), Optional.empty(), now);
            contacts.put(contact.id(), contact);
            Deal deal = new Deal(newId(), lead.title(), DealStage.IN_PROGRESS, Optional.of(contact.id()), Optional.empty(),
                Optional.of(lead.id()), lead.responsibleId(), false, Optional.empty(), now, now);
            deals.put(deal.id(), deal);
            leads.put(lead.id(), lead.withStatus(LeadStatus.CONVERTED, now));
            return deal;
        }
    }

    // ---- what it holds ----

    public List<CrmUser> users() {
        synchronized (lock) {
            return List.copyOf(users.values());
        }
    }

    public List<Lead> leads() {
        synchronized (lock) {
            return List.copyOf(leads.values());
        }
    }

    public List<Contact> contacts() {
        synchronized (lock) {
            return List.copyOf(contacts.values());
        }
    }

    public List<Company> companies() {
        synchronized (lock) {
            return List.copyOf(companies.values());
        }
    }

    public List<Deal> deals() {
        synchronized (lock) {
            return List.copyOf(deals.values());
        }
    }

    public List<Activity> activities() {
        synchronized (lock) {
            return List.copyOf(activities.values());
        }
    }

    /** Everything it holds as JSON: the WebAdmin view {@code GET /crm/memory}. */
    public String toJson() {
        synchronized (lock) {
            return json.write(users(), leads(), contacts(), companies(), deals(), activities());
        }
    }

    // ---- CrmConnector ----

    @Override
    public Map<EmailAddress, CrmUser> findUsers(Set<EmailAddress> emails) {
        synchronized (lock) {
            Map<EmailAddress, CrmUser> found = new LinkedHashMap<>();
            users.values().stream().filter(user -> emails.contains(user.email())).forEach(user -> found.put(user.email(), user));
            return found;
        }
    }

    @Override
    public Map<EmailAddress, ClientRecord> findClients(Set<EmailAddress> emails) {
        synchronized (lock) {
            Map<EmailAddress, ClientRecord> records = new LinkedHashMap<>();
            for (EmailAddress email : emails) {
                records.put(email, clientRecord(email));
            }
            return records;
        }
    }

    private ClientRecord clientRecord(EmailAddress email) {
        List<Contact> clientContacts = contacts.values().stream().filter(contact -> contact.email().equals(email)).toList();
        Set<String> companyIds = new LinkedHashSet<>();
        companies.values().stream().filter(company -> company.email().filter(email::equals).isPresent())
            .forEach(company -> companyIds.add(company.id()));
        clientContacts.forEach(contact -> contact.companyId().ifPresent(companyIds::add));
        List<Lead> clientLeads = leads.values().stream().filter(lead -> lead.email().equals(email)).toList();
        Set<String> contactIds = ids(clientContacts, Contact::id);
        Set<String> leadIds = ids(clientLeads, Lead::id);
        List<Deal> clientDeals = deals.values().stream()
            .filter(deal -> deal.contactId().filter(contactIds::contains).isPresent()
                || deal.companyId().filter(companyIds::contains).isPresent()
                || deal.leadId().filter(leadIds::contains).isPresent())
            .toList();
        return new ClientRecord(email,
            clientContacts.stream().map(contact -> new ClientRecord.Contact(contact.id(), contact.responsibleId(), contact.companyId())).toList(),
            companyIds.stream().map(companies::get).map(company -> new ClientRecord.Company(company.id(), company.responsibleId())).toList(),
            clientLeads.stream().map(lead -> new ClientRecord.Lead(lead.id(), lead.status(), lead.responsibleId(), lead.modifiedAt())).toList(),
            clientDeals.stream().map(deal -> new ClientRecord.Deal(deal.id(), deal.stage(), deal.responsibleId(), deal.modifiedAt(),
                deal.leadId())).toList());
    }

    private static <T> Set<String> ids(List<T> items, Function<T, String> id) {
        Set<String> ids = new LinkedHashSet<>();
        items.forEach(item -> ids.add(id.apply(item)));
        return ids;
    }

    @Override
    public List<ItemRef> findThreadItems(List<String> messageIds) {
        synchronized (lock) {
            for (String messageId : messageIds) {
                List<ItemRef> bindings = activities.values().stream()
                    .filter(activity -> activity.email().messageId().filter(messageId::equals).isPresent())
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
        synchronized (lock) {
            return activities.values().stream().filter(activity -> activity.email().originKey().equals(originKey))
                .map(Activity::id).findFirst();
        }
    }

    @Override
    public Optional<ItemRef> findLeadByOriginKey(String originKey) {
        synchronized (lock) {
            return leads.values().stream().filter(lead -> lead.originKey().filter(originKey::equals).isPresent())
                .map(lead -> new ItemRef(ItemType.LEAD, lead.id())).findFirst();
        }
    }

    @Override
    public Optional<ItemRef> findContactByOriginKey(String originKey) {
        synchronized (lock) {
            return contacts.values().stream().filter(contact -> contact.originKey().filter(originKey::equals).isPresent())
                .map(contact -> new ItemRef(ItemType.CONTACT, contact.id())).findFirst();
        }
    }

    @Override
    public Optional<ItemRef> findDealByOriginKey(String originKey) {
        synchronized (lock) {
            return deals.values().stream().filter(deal -> deal.originKey().filter(originKey::equals).isPresent())
                .map(deal -> new ItemRef(ItemType.DEAL, deal.id())).findFirst();
        }
    }

    @Override
    public Map<String, Integer> countOpenItems(Set<String> userIds) {
        synchronized (lock) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            userIds.forEach(id -> counts.put(id, 0));
            leads.values().stream().filter(lead -> lead.status() == LeadStatus.OPEN)
                .forEach(lead -> lead.responsibleId().filter(counts::containsKey).ifPresent(id -> counts.merge(id, 1, Integer::sum)));
            deals.values().stream().filter(deal -> deal.stage().active())
                .forEach(deal -> deal.responsibleId().filter(counts::containsKey).ifPresent(id -> counts.merge(id, 1, Integer::sum)));
            return counts;
        }
    }

    @Override
    public ItemRef createDeal(NewDeal deal) throws CrmRejectedException {
        try {
            synchronized (lock) {
                deal.responsibleId().ifPresent(id -> existing(users, id, "user"));
                deal.contact().ifPresent(ref -> existing(contacts, ref.id(), "contact"));
                deal.company().ifPresent(ref -> existing(companies, ref.id(), "company"));
                Instant now = clock.instant();
                Deal created = new Deal(newId(), deal.title(), DealStage.IN_PROGRESS, deal.contact().map(ItemRef::id),
                    deal.company().map(ItemRef::id), Optional.empty(), deal.responsibleId(), deal.returnCustomer(),
                    Optional.of(deal.originKey()), now, now);
                deals.put(created.id(), created);
                return new ItemRef(ItemType.DEAL, created.id());
            }
        } catch (IllegalArgumentException e) {
            throw new CrmRejectedException(e.getMessage(), e); // as a CRM answers invalid data
        }
    }

    @Override
    public ItemRef createLead(NewLead lead) throws CrmRejectedException {
        try {
            synchronized (lock) {
                lead.responsibleId().ifPresent(id -> existing(users, id, "user"));
                Instant now = clock.instant();
                Lead created = new Lead(newId(), lead.title(), lead.name(), lead.email(), LeadStatus.OPEN, lead.responsibleId(),
                    lead.source(), lead.returnCustomer(), Optional.of(lead.originKey()), now, now);
                leads.put(created.id(), created);
                return new ItemRef(ItemType.LEAD, created.id());
            }
        } catch (IllegalArgumentException e) {
            throw new CrmRejectedException(e.getMessage(), e); // as a CRM answers invalid data
        }
    }

    @Override
    public ItemRef createContact(NewContact contact) throws CrmRejectedException {
        try {
            synchronized (lock) {
                contact.responsibleId().ifPresent(id -> existing(users, id, "user"));
                Contact created = new Contact(newId(), contact.name(), contact.email(), Optional.empty(), Optional.empty(),
                    contact.responsibleId(), Optional.of(contact.originKey()), clock.instant());
                contacts.put(created.id(), created);
                return new ItemRef(ItemType.CONTACT, created.id());
            }
        } catch (IllegalArgumentException e) {
            throw new CrmRejectedException(e.getMessage(), e); // as a CRM answers invalid data
        }
    }

    @Override
    public String createEmailActivity(NewEmailActivity email) throws CrmRejectedException {
        try {
            synchronized (lock) {
                if (email.bindings().isEmpty()) {
                    throw new IllegalArgumentException("an e-mail activity must be bound to at least one item");
                }
                email.responsibleId().ifPresent(id -> existing(users, id, "user"));
                Instant now = clock.instant();
                for (ItemRef binding : email.bindings()) {
                    switch (binding.type()) {
                        case LEAD -> leads.put(binding.id(), existing(leads, binding.id(), "lead").touched(now));
                        case DEAL -> deals.put(binding.id(), existing(deals, binding.id(), "deal").touched(now));
                        case CONTACT -> existing(contacts, binding.id(), "contact");
                        case COMPANY -> existing(companies, binding.id(), "company");
                    }
                }
                Activity activity = new Activity(newId(), email);
                activities.put(activity.id(), activity);
                return activity.id();
            }
        } catch (IllegalArgumentException e) {
            throw new CrmRejectedException(e.getMessage(), e); // as a CRM answers invalid data
        }
    }

    private String newId() {
        return String.valueOf(nextId++);
    }

    private static <T> T existing(Map<String, T> items, String id, String kind) {
        T item = items.get(id);
        if (item == null) {
            throw new IllegalArgumentException("no " + kind + " with id " + id);
        }
        return item;
    }
}

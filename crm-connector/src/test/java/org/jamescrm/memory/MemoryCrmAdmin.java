package org.jamescrm.memory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jamescrm.memory.MemoryRecords.Activity;
import org.jamescrm.memory.MemoryRecords.Company;
import org.jamescrm.memory.MemoryRecords.Contact;
import org.jamescrm.memory.MemoryRecords.Deal;
import org.jamescrm.memory.MemoryRecords.Lead;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.spi.CrmUser;
import org.jamescrm.spi.DealStage;
import org.jamescrm.spi.LeadStatus;

/**
 * What CRM users do in the in-memory CRM's own interface, for the tests: enter users, contacts,
 * companies and deals by hand, close deals and leads, convert leads; and read what the CRM holds.
 * Test code only: the product's in-memory CRM is written by captures alone.
 */
public final class MemoryCrmAdmin {
    private final InMemoryCrm crm;
    private final MemoryStore store;

    /** The administration of {@code crm}. */
    public MemoryCrmAdmin(InMemoryCrm crm) {
        this.crm = crm;
        this.store = crm.store();
    }

    /** A new, empty in-memory CRM on {@code clock} and its administration. */
    public static MemoryCrmAdmin create(Clock clock) {
        return new MemoryCrmAdmin(new InMemoryCrm(clock, List.of(), MemorySettings.DEFAULT_CONTENT_LIMIT));
    }

    /** The CRM administered, as the capture sees it. */
    public InMemoryCrm connector() {
        return crm;
    }


    /** Adds a CRM user; an existing user with the same address is returned unchanged. */
    public CrmUser addUser(EmailAddress email, String name) {
        return store.addUser(email, name);
    }

    /** Adds a company. */
    public Company addCompany(String title, Optional<EmailAddress> email, Optional<String> responsibleId) {
        synchronized (store.lock) {
            Company company = new Company(store.newId(), title, email, responsibleId, store.clock.instant());
            store.companies.put(company.id(), company);
            return company;
        }
    }

    /** Adds a contact entered by hand (not from a mail). */
    public Contact addContact(String name, EmailAddress email, Optional<String> companyId, Optional<String> responsibleId) {
        synchronized (store.lock) {
            companyId.ifPresent(id -> MemoryStore.existing(store.companies, id, "company"));
            Contact contact = new Contact(store.newId(), name, email, companyId, Optional.empty(), responsibleId, Optional.empty(), store.clock.instant());
            store.contacts.put(contact.id(), contact);
            return contact;
        }
    }

    /** Adds a deal in progress for a contact and/or company. */
    public Deal addDeal(String title, Optional<String> contactId, Optional<String> companyId, Optional<String> responsibleId) {
        synchronized (store.lock) {
            contactId.ifPresent(id -> MemoryStore.existing(store.contacts, id, "contact"));
            companyId.ifPresent(id -> MemoryStore.existing(store.companies, id, "company"));
            Instant now = store.clock.instant();
            Deal deal = new Deal(store.newId(), title, DealStage.IN_PROGRESS, contactId, companyId, Optional.empty(), responsibleId, false,
                Optional.empty(), now, now);
            store.deals.put(deal.id(), deal);
            return deal;
        }
    }

    /** Moves a deal to another stage (won, lost, back in progress). */
    public Deal setDealStage(String dealId, DealStage stage) {
        synchronized (store.lock) {
            Deal deal = MemoryStore.existing(store.deals, dealId, "deal").withStage(stage, store.clock.instant());
            store.deals.put(deal.id(), deal);
            return deal;
        }
    }

    /** Closes or reopens a lead. Conversion goes through {@link #convertLead}. */
    public Lead setLeadStatus(String leadId, LeadStatus status) {
        if (status == LeadStatus.CONVERTED) {
            throw new IllegalArgumentException("a lead is converted with convertLead, which creates its contact and deal");
        }
        synchronized (store.lock) {
            Lead lead = MemoryStore.existing(store.leads, leadId, "lead").withStatus(status, store.clock.instant());
            store.leads.put(lead.id(), lead);
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
        synchronized (store.lock) {
            Lead lead = MemoryStore.existing(store.leads, leadId, "lead");
            if (lead.status() != LeadStatus.OPEN) {
                throw new IllegalStateException("lead " + leadId + " is " + lead.status() + "; only an OPEN lead can be converted");
            }
            Instant now = store.clock.instant();
            Contact contact = new Contact(store.newId(), lead.name(), lead.email(), Optional.empty(), Optional.of(lead.id()),
                lead.responsibleId(), Optional.empty(), now);
            store.contacts.put(contact.id(), contact);
            Deal deal = new Deal(store.newId(), lead.title(), DealStage.IN_PROGRESS, Optional.of(contact.id()), Optional.empty(),
                Optional.of(lead.id()), lead.responsibleId(), false, Optional.empty(), now, now);
            store.deals.put(deal.id(), deal);
            store.leads.put(lead.id(), lead.withStatus(LeadStatus.CONVERTED, now));
            return deal;
        }
    }

    /** The CRM users. */
    public List<CrmUser> users() {
        return store.snapshot(store.users);
    }

    /** The leads, in creation order. */
    public List<Lead> leads() {
        return store.snapshot(store.leads);
    }

    /** The contacts, in creation order. */
    public List<Contact> contacts() {
        return store.snapshot(store.contacts);
    }

    /** The companies, in creation order. */
    public List<Company> companies() {
        return store.snapshot(store.companies);
    }

    /** The deals, in creation order. */
    public List<Deal> deals() {
        return store.snapshot(store.deals);
    }

    /** The e-mail activities, in creation order. */
    public List<Activity> activities() {
        return store.snapshot(store.activities);
    }

    /** The cases, in creation order. */
    public List<MemoryRecords.Case> cases() {
        return store.snapshot(store.cases);
    }

    /** The teams of each item a group mailbox's capture created, by {@code TYPE:id}. */
    public java.util.Map<String, List<String>> teams() {
        synchronized (store.lock) {
            return java.util.Map.copyOf(store.teams);
        }
    }

    /** Closes a case, as a support agent does when it is solved. */
    public MemoryRecords.Case closeCase(String caseId) {
        synchronized (store.lock) {
            MemoryRecords.Case closed = MemoryStore.existing(store.cases, caseId, "case").closed();
            store.cases.put(caseId, closed);
            return closed;
        }
    }
}

package org.jamescrm.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jamescrm.model.EmailAddress;

/**
 * What the CRM knows about one client address: the contacts, companies, leads and deals it matches,
 * with their responsible users. Empty lists mean an unknown client.
 */
public record ClientRecord(
        EmailAddress email,
        List<Contact> contacts,
        List<Company> companies,
        List<Lead> leads,
        List<Deal> deals) {

    public ClientRecord {
        Objects.requireNonNull(email, "email");
        contacts = List.copyOf(contacts);
        companies = List.copyOf(companies);
        leads = List.copyOf(leads);
        deals = List.copyOf(deals);
    }

    /** A client the CRM does not know. */
    public static ClientRecord unknown(EmailAddress email) {
        return new ClientRecord(email, List.of(), List.of(), List.of(), List.of());
    }

    /** Whether nothing in the CRM matches the address. */
    public boolean isUnknown() {
        return contacts.isEmpty() && companies.isEmpty() && leads.isEmpty() && deals.isEmpty();
    }

    /** A contact as the rules see it. */
    public record Contact(String id, Optional<String> responsibleId, Optional<String> companyId) {
    }

    /** A company as the rules see it. */
    public record Company(String id, Optional<String> responsibleId) {
    }

    /** A lead as the rules see it. */
    public record Lead(String id, LeadStatus status, Optional<String> responsibleId, Instant modifiedAt) {
    }

    /** A deal as the rules see it; {@code leadId} is the lead it was converted from, if any. */
    public record Deal(String id, DealStage stage, Optional<String> responsibleId, Instant modifiedAt, Optional<String> leadId) {
    }
}

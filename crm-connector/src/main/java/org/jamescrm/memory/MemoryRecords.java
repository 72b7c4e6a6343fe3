package org.jamescrm.memory;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.spi.DealStage;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.LeadStatus;
import org.jamescrm.spi.NewEmailActivity;

/** The records the in-memory CRM stores. Immutable: a change replaces the record. */
public final class MemoryRecords {

    private MemoryRecords() {
    }

    /** A lead. {@code originKey} is the capture key of the mail that created it, if a mail did. */
    public record Lead(String id, String title, String name, EmailAddress email, LeadStatus status,
                       Optional<String> responsibleId, String source, boolean returnCustomer, Optional<String> originKey,
                       Instant createdAt, Instant modifiedAt) {

        Lead withStatus(LeadStatus newStatus, Instant now) {
            return new Lead(id, title, name, email, newStatus, responsibleId, source, returnCustomer, originKey, createdAt, now);
        }

        Lead touched(Instant now) {
            return new Lead(id, title, name, email, status, responsibleId, source, returnCustomer, originKey, createdAt, now);
        }
    }

    /** A contact, optionally working for a company, optionally made from a lead. */
    public record Contact(String id, String name, EmailAddress email, Optional<String> companyId, Optional<String> leadId,
                          Optional<String> responsibleId, Optional<String> originKey, Instant createdAt) {
    }

    /** A company with its e-mail address. */
    public record Company(String id, String title, Optional<EmailAddress> email, Optional<String> responsibleId,
                          Instant createdAt) {
    }

    /** A deal of a contact and/or company, optionally made from a lead; a repeat deal is a returning customer's. */
    public record Deal(String id, String title, DealStage stage, Optional<String> contactId, Optional<String> companyId,
                       Optional<String> leadId, Optional<String> responsibleId, boolean returnCustomer, Optional<String> originKey,
                       Instant createdAt, Instant modifiedAt) {

        Deal withStage(DealStage newStage, Instant now) {
            return new Deal(id, title, newStage, contactId, companyId, leadId, responsibleId, returnCustomer, originKey, createdAt, now);
        }

        Deal touched(Instant now) {
            return new Deal(id, title, stage, contactId, companyId, leadId, responsibleId, returnCustomer, originKey, createdAt, now);
        }
    }

    /** An e-mail activity: the captured mail and the items it is bound to. */
    public record Activity(String id, NewEmailActivity email) {

        public List<ItemRef> bindings() {
            return email.bindings();
        }
    }
}

package org.jamescrm.memory;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jamescrm.model.AttachmentInfo;
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

    /**
     * A case (support ticket) opened by the first mail of a thread to a group mailbox.
     *
     * @param number      the number people see and the case token carries ({@code [#number]})
     * @param clientItems the client's contact, company or lead it is bound to
     */
    public record Case(String id, String number, String subject, String description, EmailAddress email, List<ItemRef> clientItems,
                       Optional<String> responsibleId, boolean open, Optional<String> originKey, Instant createdAt) {

        Case closed() {
            return new Case(id, number, subject, description, email, clientItems, responsibleId, false, originKey, createdAt);
        }
    }

    /**
     * An e-mail activity: the captured mail and the items it is bound to.
     *
     * @param contentDropped whether its attachments' contents (and, past them, its bodies) were dropped
     *                       to keep the CRM within its content limit; the record itself is kept
     */
    public record Activity(String id, NewEmailActivity email, boolean contentDropped) {

        public List<ItemRef> bindings() {
            return email.bindings();
        }

        /** The bytes of content it holds: bodies and attachments. */
        long contentBytes() {
            return 2L * email.textBody().length() + 2L * email.htmlBody().map(html -> html.html().length()).orElse(0)
                + email.attachments().stream().mapToLong(attachment -> attachment.content().length).sum();
        }

        /** Whether it still holds attachment contents. */
        boolean holdsAttachments() {
            return email.attachments().stream().anyMatch(attachment -> attachment.content().length > 0);
        }

        /** Whether its body is still held, not yet dropped for the content limit. */
        boolean holdsBody() {
            return !email.textBody().equals(DROPPED_BODY);
        }

        /** The same activity, its attachments listed by name and size only. */
        Activity withoutAttachments() {
            NewEmailActivity e = email;
            return new Activity(id, new NewEmailActivity(e.direction(), e.subject(), e.from(), e.to(), e.cc(), e.textBody(), e.htmlBody(),
                e.attachments().stream().map(AttachmentInfo::withoutContent).toList(), e.bindings(), e.responsibleId(), e.completed(),
                e.sentAt(), e.receivedAt(), e.capturedAt(), e.messageId(), e.originKey(), e.clients()), true);
        }

        /** The same activity without attachment contents nor bodies, a marker in place of the text. */
        Activity withoutContent() {
            NewEmailActivity e = withoutAttachments().email();
            return new Activity(id, new NewEmailActivity(e.direction(), e.subject(), e.from(), e.to(), e.cc(), DROPPED_BODY,
                java.util.Optional.empty(), e.attachments(), e.bindings(), e.responsibleId(), e.completed(), e.sentAt(), e.receivedAt(),
                e.capturedAt(), e.messageId(), e.originKey(), e.clients()), true);
        }
    }

    /** What stands for a body dropped to keep the in-memory CRM within its content limit. */
    static final String DROPPED_BODY = "[body dropped: the in-memory CRM keeps its newest contents only, within <memory><contentLimit>]";
}

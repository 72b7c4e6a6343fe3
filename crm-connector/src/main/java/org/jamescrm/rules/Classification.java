package org.jamescrm.rules;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jamescrm.model.ParseScope;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.settings.BodyMode;
import org.jamescrm.settings.CaptureSettings;
import org.jamescrm.settings.MailboxSettings;

/**
 * Who is who in a message and whether it may be captured at all (capture-rules §1–3), decided in
 * the mail pipeline without any CRM call.
 *
 * @param direction the direction of the message
 * @param clients   the client addresses the capture is for: the sender of inbound mail, the client
 *                  recipients of outbound mail; never a local address
 * @param employees the local addresses taking part (sender and recipients)
 * @param mailbox   the local mailbox whose settings apply: the first local recipient of inbound mail,
 *                  the sender of outbound mail
 * @param exclusion  why the message is not captured, when it is not
 * @param manualSave whether an employee asked for the capture by writing to the capture address
 *                   (capture-rules §7): integration switches and creation settings do not stop it
 */
public record Classification(
        Direction direction,
        List<EmailAddress> clients,
        List<EmailAddress> employees,
        Optional<EmailAddress> mailbox,
        Optional<Exclusion> exclusion,
        boolean manualSave) {

    public Classification {
        Objects.requireNonNull(direction, "direction");
        clients = List.copyOf(clients);
        employees = List.copyOf(employees);
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(exclusion, "exclusion");
    }

    /** An automatic capture's classification. */
    public Classification(Direction direction, List<EmailAddress> clients, List<EmailAddress> employees,
                          Optional<EmailAddress> mailbox, Optional<Exclusion> exclusion) {
        this(direction, clients, employees, mailbox, exclusion, false);
    }

    /** The same classification, asked for by an employee (manual save). */
    public Classification asManualSave() {
        return new Classification(direction, clients, employees, mailbox, exclusion, true);
    }

    /** Whether the message goes on to the CRM lookup. */
    public boolean capturable() {
        return exclusion.isEmpty();
    }

    /** The same classification, excluded for {@code reason}. */
    public Classification excluded(ReasonCode reason, String detail) {
        return new Classification(direction, clients, employees, mailbox, Optional.of(new Exclusion(reason, Optional.empty(), detail)),
            manualSave);
    }

    /** The same classification, excluded by the filter named {@code rule}. */
    public Classification filtered(String rule, String detail) {
        return new Classification(direction, clients, employees, mailbox,
            Optional.of(new Exclusion(ReasonCode.FILTERED, Optional.of(rule), detail)), manualSave);
    }

    /** The same classification for fewer clients (the others are on the never-log list). */
    public Classification withClients(List<EmailAddress> remaining) {
        return new Classification(direction, remaining, employees, mailbox, exclusion, manualSave);
    }

    /**
     * Why a message is not captured.
     *
     * @param reason the reason code
     * @param rule   the filter that matched, for {@code FILTERED}
     * @param detail what matched, for the decision record (e.g. {@code Auto-Submitted: auto-replied})
     */
    public record Exclusion(ReasonCode reason, Optional<String> rule, String detail) {

        public Exclusion {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(detail, "detail");
        }

        /** The reason as administrators read it: {@code FILTERED:<rule>} for filters, else the code. */
        public String label() {
            return rule.map(name -> reason + ":" + name).orElse(reason.name());
        }
    }

    /**
     * What of this mail its capture stores, as the parser is to read it: with the mailbox's
     * {@code full} body mode its {@code attachmentLimit} and the HTML body; with the others no
     * attachment content and no HTML (capture-rules, body). A manual forward keeps all: the message
     * attached to it is parsed again and saved by its own mailbox's settings.
     */
    public ParseScope parseScope(CaptureSettings settings) {
        if (direction == Direction.MANUAL_FORWARD || mailbox.isEmpty()) {
            return ParseScope.ALL;
        }
        MailboxSettings kept = settings.forMailbox(mailbox.get());
        kept = manualSave ? kept.forManualSave() : kept;
        return kept.body() == BodyMode.FULL ? new ParseScope(kept.attachmentLimitBytes(), true) : new ParseScope(0, false);
    }
}

package org.jamescrm.decisions;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.jamescrm.model.EmailAddress;

/**
 * A search of the decisions kept: every criterion given must hold. Addresses compare as
 * {@link EmailAddress} does (case-insensitively).
 *
 * @param messageId the Message-ID (with or without angle brackets) or capture key
 * @param sender    the author
 * @param recipient one of the recipients (a client or employee other than the sender)
 * @param mailbox   the mailbox whose settings applied
 * @param reason    a reason code ({@code INTERNAL}), or a filter's label ({@code FILTERED:app-notifications});
 *                  {@code FILTERED} finds every filter
 * @param captured  whether the message was written to the CRM
 * @param from      decided at or after
 * @param to        decided before
 * @param limit     the most decisions answered (at least 1)
 * @param offset    how many of the newest matching decisions are skipped
 */
public record DecisionQuery(Optional<String> messageId, Optional<EmailAddress> sender, Optional<EmailAddress> recipient,
                            Optional<EmailAddress> mailbox, Optional<String> reason, Optional<Boolean> captured,
                            Optional<Instant> from, Optional<Instant> to, int limit, int offset) {

    public DecisionQuery {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(captured, "captured");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be at least 0, was " + offset);
        }
    }

    /** The {@code limit} newest decisions, whatever they are. */
    public static DecisionQuery newest(int limit) {
        return new DecisionQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), limit, 0);
    }

    /** Whether {@code record} meets every criterion. */
    public boolean matches(DecisionRecord record) {
        return messageId.map(id -> DecisionLog.isAbout(record, id)).orElse(true)
            && sender.map(address -> record.sender().filter(address::equals).isPresent()).orElse(true)
            && recipient.map(address -> record.recipients().contains(address)).orElse(true)
            && mailbox.map(address -> record.mailbox().filter(address::equals).isPresent()).orElse(true)
            && reason.map(wanted -> wanted.equalsIgnoreCase(record.label()) || wanted.equalsIgnoreCase(record.reason().name())).orElse(true)
            && captured.map(wanted -> wanted == record.captured()).orElse(true)
            && from.map(instant -> !record.decidedAt().isBefore(instant)).orElse(true)
            && to.map(instant -> record.decidedAt().isBefore(instant)).orElse(true);
    }

    /**
     * One page of a search.
     *
     * @param decisions the decisions of the page, newest first
     * @param total     how many decisions kept match, all pages together
     */
    public record Page(java.util.List<DecisionRecord> decisions, int total) {

        public Page {
            decisions = java.util.List.copyOf(decisions);
        }
    }
}

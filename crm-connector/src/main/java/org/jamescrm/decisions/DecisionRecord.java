package org.jamescrm.decisions;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.rules.Direction;
import org.jamescrm.rules.ReasonCode;
import org.jamescrm.spi.ItemRef;

/**
 * The answer to "why was this message (not) saved?" (capture-rules §9): one per message, captured or
 * not.
 *
 * @param messageId     the Message-ID, when the message has one
 * @param captureKey    the capture key (the Message-ID or a digest)
 * @param direction     the direction
 * @param sender        the author
 * @param clients       the client addresses
 * @param employees     the company addresses taking part (the sender and recipients of the company)
 * @param mailbox       the mailbox whose settings applied
 * @param reason        the reason code
 * @param label         the reason as administrators read it ({@code FILTERED:<rule>} for filters)
 * @param detail        a sentence for the administrator
 * @param items         the CRM items touched (bound or created)
 * @param activityId    the e-mail activity written, when one was
 * @param responsibleId the responsible user of the activity
 * @param settings      the settings that drove the decision, key to value
 * @param decidedAt     when the decision was made
 * @param caseNumber    the number of the case the message opened or joined, as people see it (its token
 *                      {@code [#<number>]}); empty when no case is involved
 */
public record DecisionRecord(
        Optional<String> messageId,
        String captureKey,
        Direction direction,
        Optional<EmailAddress> sender,
        List<EmailAddress> clients,
        List<EmailAddress> employees,
        Optional<EmailAddress> mailbox,
        ReasonCode reason,
        String label,
        String detail,
        List<ItemRef> items,
        Optional<String> activityId,
        Optional<String> responsibleId,
        Map<String, String> settings,
        Instant decidedAt,
        Optional<String> caseNumber) {

    /** A decision involving no case. */
    public DecisionRecord(Optional<String> messageId, String captureKey, Direction direction, Optional<EmailAddress> sender,
                          List<EmailAddress> clients, List<EmailAddress> employees, Optional<EmailAddress> mailbox, ReasonCode reason,
                          String label, String detail, List<ItemRef> items, Optional<String> activityId, Optional<String> responsibleId,
                          Map<String, String> settings, Instant decidedAt) {
        this(messageId, captureKey, direction, sender, clients, employees, mailbox, reason, label, detail, items, activityId,
            responsibleId, settings, decidedAt, Optional.empty());
    }

    public DecisionRecord {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(captureKey, "captureKey");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(sender, "sender");
        clients = List.copyOf(clients);
        employees = List.copyOf(employees);
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(detail, "detail");
        items = List.copyOf(items);
        Objects.requireNonNull(activityId, "activityId");
        Objects.requireNonNull(responsibleId, "responsibleId");
        settings = Map.copyOf(settings);
        Objects.requireNonNull(decidedAt, "decidedAt");
        Objects.requireNonNull(caseNumber, "caseNumber");
    }

    /** The recipients among the parties: the clients and employees other than the sender. */
    public List<EmailAddress> recipients() {
        return java.util.stream.Stream.concat(clients.stream(), employees.stream())
            .filter(address -> sender.map(author -> !author.equals(address)).orElse(true))
            .distinct()
            .toList();
    }

    /** Whether the message was written to the CRM. */
    public boolean captured() {
        return reason.captured();
    }
}

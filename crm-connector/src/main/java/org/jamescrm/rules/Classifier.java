package org.jamescrm.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.settings.CaptureSettings;

/**
 * Decides who is who and whether a message may be captured (capture-rules §1–3). Pure and cheap: it
 * runs in the mail pipeline for every message, with no CRM call and no I/O.
 */
public final class Classifier {
    private final AutomatedMailDetector automated = new AutomatedMailDetector();

    /**
     * @param mail          the message as the pipeline sees it
     * @param serverDomains whether a domain is one of the mail server's own (its domain list)
     * @param settings      the capture settings (extra internal addresses, per-mailbox switches)
     */
    public Classification classify(MessageSummary mail, Predicate<String> serverDomains, CaptureSettings settings) {
        Predicate<EmailAddress> local = address -> serverDomains.test(address.domain()) || settings.internal().contains(address);
        Optional<EmailAddress> author = mail.author();
        boolean senderLocal = author.map(local::test).orElse(false);
        List<EmailAddress> localRecipients = new ArrayList<>();
        List<EmailAddress> clientRecipients = new ArrayList<>();
        for (EmailAddress recipient : mail.envelope().recipients()) {
            (local.test(recipient) ? localRecipients : clientRecipients).add(recipient);
        }
        List<EmailAddress> employees = new ArrayList<>();
        author.filter(address -> senderLocal).ifPresent(employees::add);
        employees.addAll(localRecipients);

        Classification classification;
        if (senderLocal) {
            Direction direction = clientRecipients.isEmpty() ? Direction.INTERNAL : Direction.OUTBOUND;
            classification = new Classification(direction, clientRecipients, employees, author, Optional.empty());
        } else if (!localRecipients.isEmpty()) {
            Optional<EmailAddress> mailbox = localRecipients.stream()
                .filter(recipient -> settings.forMailbox(recipient).integration())
                .findFirst()
                .or(() -> Optional.of(localRecipients.get(0)));
            classification = new Classification(Direction.INBOUND, author.stream().toList(), employees, mailbox, Optional.empty());
        } else {
            classification = new Classification(Direction.RELAY, List.of(), employees, Optional.empty(), Optional.empty());
        }
        return exclusions(classification, mail, settings);
    }

    private Classification exclusions(Classification classification, MessageSummary mail, CaptureSettings settings) {
        switch (classification.direction()) {
            case INTERNAL:
                return classification.excluded(ReasonCode.INTERNAL, "only company addresses take part");
            case RELAY:
                return classification.excluded(ReasonCode.RELAY, "no company address takes part");
            default:
                break;
        }
        if (classification.clients().isEmpty()) {
            return classification.excluded(ReasonCode.AUTOMATED, "null sender (bounce or delivery report)");
        }
        Optional<String> spam = spam(mail);
        if (spam.isPresent()) {
            return classification.excluded(ReasonCode.SPAM, spam.get());
        }
        EmailAddress mailbox = classification.mailbox().orElseThrow();
        if (settings.forMailbox(mailbox).skipAutomated()) {
            Optional<String> marker = automated.detect(mail);
            if (marker.isPresent()) {
                return classification.excluded(ReasonCode.AUTOMATED, marker.get());
            }
        }
        if (!settings.forMailbox(mailbox).integration()) {
            return classification.excluded(ReasonCode.INTEGRATION_DISABLED, "integration is off for " + mailbox);
        }
        return classification;
    }

    private static Optional<String> spam(MessageSummary mail) {
        if (mail.spamVerdict()) {
            return Optional.of("mail server spam verdict");
        }
        Optional<String> flag = mail.headers().first("X-Spam-Flag")
            .filter(value -> value.strip().toLowerCase(Locale.ROOT).startsWith("yes"))
            .map(value -> "X-Spam-Flag: " + value);
        return flag.or(() -> mail.headers().first("X-Spam-Status")
            .filter(value -> value.strip().toLowerCase(Locale.ROOT).startsWith("yes"))
            .map(value -> "X-Spam-Status: " + value));
    }
}

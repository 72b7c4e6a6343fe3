package org.jamescrm.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.model.Envelope;
import org.jamescrm.settings.CaptureSettings;
import org.jamescrm.settings.MailFilter;
import org.jamescrm.settings.MailboxSettings;

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
        boolean toCaptureAddress = settings.captureAddress().filter(mail.envelope().recipients()::contains).isPresent();
        List<EmailAddress> localRecipients = new ArrayList<>();
        List<EmailAddress> clientRecipients = new ArrayList<>();
        for (EmailAddress recipient : mail.envelope().recipients()) {
            if (settings.captureAddress().filter(recipient::equals).isEmpty()) {
                (local.test(recipient) ? localRecipients : clientRecipients).add(recipient);
            }
        }
        List<EmailAddress> employees = new ArrayList<>();
        author.filter(address -> senderLocal).ifPresent(employees::add);
        employees.addAll(localRecipients);
        if (toCaptureAddress && !submittedByEmployee(mail, local, settings) && (senderLocal || localRecipients.isEmpty())) {
            // a forged or outside manual save: nothing is saved and nobody is answered (the From may be forged)
            return new Classification(Direction.MANUAL_FORWARD, List.of(), List.of(), Optional.empty(), Optional.empty())
                .excluded(ReasonCode.MANUAL_SAVE_UNAUTHENTICATED, "manual save refused: the capture address takes mail only from "
                    + "employees the server authenticated (SMTP AUTH) or submitting from a trusted network; envelope sender "
                    + mail.envelope().sender().map(EmailAddress::value).orElse("<>") + ", "
                    + mail.envelope().authenticatedUser().map(user -> "authenticated as " + user).orElse("not authenticated")
                    + mail.envelope().remoteAddress().map(address -> ", from " + address).orElse(""));
        }
        boolean manual = toCaptureAddress && senderLocal;
        if (manual && clientRecipients.isEmpty()) {
            // sent or forwarded to the capture address: the message to save is decided in the capture queue
            return new Classification(Direction.MANUAL_FORWARD, List.of(), employees, author, Optional.empty(), true);
        }
        return exclusions(direction(author, senderLocal, localRecipients, clientRecipients, employees, settings, manual), mail, settings);
    }

    /**
     * Whether the mail comes from an employee as the server knows it: an employee envelope sender,
     * authenticated by SMTP AUTH or submitting from a trusted network. The From field alone proves
     * nothing: anybody can write it.
     */
    private static boolean submittedByEmployee(MessageSummary mail, Predicate<EmailAddress> local, CaptureSettings settings) {
        Envelope envelope = mail.envelope();
        boolean employeeSender = envelope.sender().map(local::test).orElse(false);
        boolean known = envelope.authenticatedUser().isPresent()
            || envelope.remoteAddress().map(settings.trustedNetworks()::contains).orElse(false);
        return employeeSender && known;
    }

    /**
     * The classification of a message an employee forwarded to the capture address: its own From, To
     * and Cc are its parties, and the forwarding employee's mailbox settings apply.
     *
     * @param forwarded the forwarded message's summary (envelope made of its From, To and Cc)
     * @param employee  the employee who forwarded it
     */
    public Classification classifyForwarded(MessageSummary forwarded, EmailAddress employee, Predicate<String> serverDomains,
                                            CaptureSettings settings) {
        Predicate<EmailAddress> local = address -> serverDomains.test(address.domain()) || settings.internal().contains(address);
        Optional<EmailAddress> author = forwarded.author();
        boolean senderLocal = author.map(local::test).orElse(false);
        List<EmailAddress> localRecipients = new ArrayList<>();
        List<EmailAddress> clientRecipients = new ArrayList<>();
        for (EmailAddress recipient : forwarded.envelope().recipients()) {
            (local.test(recipient) ? localRecipients : clientRecipients).add(recipient);
        }
        List<EmailAddress> employees = new ArrayList<>();
        author.filter(address -> senderLocal).ifPresent(employees::add);
        employees.addAll(localRecipients);
        if (!employees.contains(employee)) {
            employees.add(employee);
        }
        Classification classification = direction(author, senderLocal, localRecipients, clientRecipients, employees, settings, true);
        if (classification.direction() == Direction.INBOUND || classification.direction() == Direction.OUTBOUND) {
            classification = new Classification(classification.direction(), classification.clients(), employees,
                Optional.of(employee), Optional.empty(), true);
        }
        return exclusions(classification, forwarded, settings);
    }

    private static Classification direction(Optional<EmailAddress> author, boolean senderLocal, List<EmailAddress> localRecipients,
                                            List<EmailAddress> clientRecipients, List<EmailAddress> employees,
                                            CaptureSettings settings, boolean manual) {
        Classification classification;
        if (senderLocal) {
            Direction direction = clientRecipients.isEmpty() ? Direction.INTERNAL : Direction.OUTBOUND;
            classification = new Classification(direction, clientRecipients, employees, author, Optional.empty());
        } else if (!localRecipients.isEmpty()) {
            Optional<EmailAddress> mailbox = localRecipients.stream()
                .filter(recipient -> settings.forMailbox(recipient).integration() && !settings.forMailbox(recipient).excluded())
                .findFirst()
                .or(() -> Optional.of(localRecipients.get(0)));
            classification = new Classification(Direction.INBOUND, author.stream().toList(), employees, mailbox, Optional.empty());
        } else {
            classification = new Classification(Direction.RELAY, List.of(), employees, Optional.empty(), Optional.empty());
        }
        return manual ? classification.asManualSave() : classification;
    }

    private Classification exclusions(Classification classification, MessageSummary mail, CaptureSettings settings) {
        switch (classification.direction()) {
            case INTERNAL:
                return classification.excluded(ReasonCode.INTERNAL, classification.manualSave()
                    ? "manual save refused: only client e-mails can be saved, and only company addresses take part"
                    : "only company addresses take part");
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
        MailboxSettings mailboxSettings = classification.manualSave()
            ? settings.forMailbox(mailbox).forManualSave() : settings.forMailbox(mailbox);
        if (mailboxSettings.skipAutomated()) {
            Optional<String> marker = automated.detect(mail);
            if (marker.isPresent()) {
                return classification.excluded(ReasonCode.AUTOMATED, marker.get());
            }
        }
        List<MailFilter> filters = new ArrayList<>(settings.filters());
        filters.addAll(mailboxSettings.filters());
        for (MailFilter filter : filters) {
            Optional<String> matched = matchedValue(filter, mail);
            if (matched.isPresent()) {
                return classification.filtered(filter.name(), filter.field() + " '" + matched.get() + "' matches /"
                    + filter.pattern().pattern() + "/");
            }
        }
        if (mailboxSettings.excluded()) {
            return classification.excluded(ReasonCode.MAILBOX_EXCLUDED, "the mailbox " + mailbox + " is excluded from capture");
        }
        List<EmailAddress> loggable = classification.clients().stream().filter(client -> !settings.neverLog().contains(client)).toList();
        if (loggable.isEmpty()) {
            return classification.excluded(ReasonCode.NEVER_LOG, String.join(", ", classification.clients().stream()
                .map(EmailAddress::value).toList()) + " on the never-log list");
        }
        if (!mailboxSettings.integration()) {
            return classification.excluded(ReasonCode.INTEGRATION_DISABLED, "integration is off for " + mailbox);
        }
        return loggable.size() == classification.clients().size() ? classification : classification.withClients(loggable);
    }

    /** The value of the filter's field that matches, if one does. */
    private static Optional<String> matchedValue(MailFilter filter, MessageSummary mail) {
        List<String> values = new ArrayList<>();
        switch (filter.field()) {
            case "sender" -> mail.author().ifPresent(author -> values.add(author.value()));
            case "recipient" -> {
                mail.envelope().recipients().forEach(recipient -> values.add(recipient.value()));
                values.addAll(mail.headers().all("To"));
                values.addAll(mail.headers().all("Cc"));
            }
            case "subject" -> values.addAll(mail.headers().all("Subject"));
            default -> values.addAll(mail.headers().all(filter.headerName()));
        }
        return values.stream().filter(filter::matches).findFirst();
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

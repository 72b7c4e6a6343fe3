package org.jamescrm.rules;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.model.MessageHeaders;

/**
 * Recognizes mail written by machines (capture-rules §3 AUTOMATED): bounces and delivery reports,
 * auto-replies and out-of-office notices, list and bulk mail. This is what stops an auto-reply from
 * creating a lead and two auto-responders from filling the CRM in a loop.
 */
public final class AutomatedMailDetector {
    private static final Set<String> DAEMON_LOCAL_PARTS = Set.of("mailer-daemon", "postmaster");
    /** Precedence values of automated mail: bulk, junk and list, and the auto_reply that autoresponders write. */
    private static final Set<String> AUTOMATED_PRECEDENCE = Set.of("bulk", "junk", "list", "auto_reply", "auto-reply");
    private static final List<String> AUTO_REPLY_HEADERS = List.of("X-Autoreply", "X-Autorespond", "X-Auto-Reply", "X-Autoresponder");
    /** Exchange's X-Auto-Response-Suppress values that ask not to be answered automatically. */
    private static final Pattern SUPPRESSED_AUTO_REPLIES = Pattern.compile(".*\\b(all|oof|autoreply)\\b.*");
    /**
     * Subjects of out-of-office notices of common mail programs, in the seeds' languages and in those of
     * Outlook's other common locales. Outlook and Exchange write the prefix in the language of the absent
     * person's mailbox, e.g. "Automatic reply:", "Automatische Antwort:", "Réponse automatique :",
     * "Автоматический ответ:", so each language needs its own words here. The phrases of several words
     * need Outlook's colon (French puts a space before it): without it they start subjects people write
     * about auto-replies.
     */
    private static final Pattern OUT_OF_OFFICE_SUBJECT = Pattern.compile(
        "^(auto(matic)?[ -]?(reply|response|antwort|risposta)|out of (the )?office|abwesenheitsnotiz|automatische antwort:"
            + "|risposta automatica|автоответ|автоматический ответ:|automatick[aá] odpov[eě]ď|auto:|oof:|ooo:"
            // Outlook's other locales: French, Spanish, Portuguese, Dutch, Polish, Swedish, Danish and Norwegian,
            // Finnish, Hungarian, Romanian, Slovak, Turkish, Greek, Ukrainian, Korean, Japanese, Chinese
            + "|réponse automatique\\s?:|respuesta automática:|resposta automática:|automatisch antwoord:"
            + "|odpowiedź automatyczna:|automatyczna odpowiedź:|automatiskt svar:|automatisk svar:|autosvar:"
            + "|automaattinen vastaus:|automatikus válasz:|răspuns automat:|automatická odpoveď:|otomatik yanıt:"
            + "|αυτόματη απάντηση:|автовідповідь:|автоматична відповідь:|자동 회신\\s?:|自動応答\\s?[:：]|自动回复\\s?[:：]|自動回覆\\s?[:：])",
        Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

    /** What marks the message as automated, e.g. {@code Auto-Submitted: auto-replied}; empty for mail by a person. */
    public Optional<String> detect(MessageSummary mail) {
        if (mail.envelope().sender().isEmpty()) {
            return Optional.of("null sender (bounce or delivery report)");
        }
        Optional<String> daemon = mail.author().filter(AutomatedMailDetector::isDaemon)
            .or(() -> mail.envelope().sender().filter(AutomatedMailDetector::isDaemon))
            .map(address -> "sender " + address);
        if (daemon.isPresent()) {
            return daemon;
        }
        return headerMarker(mail.headers());
    }

    private static boolean isDaemon(EmailAddress address) {
        return DAEMON_LOCAL_PARTS.contains(address.localPart());
    }

    private static Optional<String> headerMarker(MessageHeaders headers) {
        Optional<String> autoSubmitted = headers.first("Auto-Submitted")
            .filter(value -> !value.toLowerCase(Locale.ROOT).startsWith("no"));
        if (autoSubmitted.isPresent()) {
            return autoSubmitted.map(value -> "Auto-Submitted: " + value);
        }
        Optional<String> precedence = headers.first("Precedence")
            .filter(value -> AUTOMATED_PRECEDENCE.contains(value.toLowerCase(Locale.ROOT).strip()));
        if (precedence.isPresent()) {
            return precedence.map(value -> "Precedence: " + value);
        }
        for (String list : List.of("List-Id", "List-Unsubscribe")) {
            if (headers.has(list)) {
                return Optional.of(list + " present");
            }
        }
        for (String autoReply : AUTO_REPLY_HEADERS) {
            if (headers.has(autoReply)) {
                return Optional.of(autoReply + " present");
            }
        }
        Optional<String> suppress = headers.first("X-Auto-Response-Suppress")
            .filter(value -> SUPPRESSED_AUTO_REPLIES.matcher(value.toLowerCase(Locale.ROOT)).matches());
        if (suppress.isPresent()) {
            return suppress.map(value -> "X-Auto-Response-Suppress: " + value);
        }
        Optional<String> report = headers.first("Content-Type")
            .filter(value -> value.toLowerCase(Locale.ROOT).startsWith("multipart/report"));
        if (report.isPresent()) {
            return Optional.of("Content-Type: multipart/report");
        }
        return headers.first("Subject")
            .filter(subject -> OUT_OF_OFFICE_SUBJECT.matcher(subject.strip()).find())
            .map(subject -> "out-of-office subject '" + subject + "'");
    }
}

package org.jamescrm.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a captured message says, decoded: the parts the capture rules and the CRM e-mail activity
 * need. Built from the raw message by {@link org.jamescrm.mime.MessageParser}; never holds the raw
 * MIME itself. Everything taken from header fields is a clean line ({@link CleanText#line}): the
 * subject, names, file names, header values and message ids hold no control character.
 *
 * @param captureKey  the key that makes a capture happen once (§6): the Message-ID, or a stable
 *                    digest of sender, date, subject and body when the message has none
 * @param messageId   the Message-ID with its angle brackets, when present
 * @param from        the first From address
 * @param to          the To addresses
 * @param cc          the Cc addresses
 * @param subject     the decoded subject, empty when absent
 * @param sentAt      the Date field in UTC, when present and valid
 * @param inReplyTo   the message ids of In-Reply-To
 * @param references  the message ids of References
 * @param headers     all header fields, decoded
 * @param textBody    the plain text body (derived from the HTML part when there is no text part)
 * @param htmlBody    the HTML body, when there is one, already sanitized by the parser (no script, no
 *                    event handler, no dangerous URL), so it is safe for every connector
 * @param attachments the attachments in message order
 */
public record MessageFacts(
        String captureKey,
        Optional<String> messageId,
        Optional<MailParty> from,
        List<MailParty> to,
        List<MailParty> cc,
        String subject,
        Optional<Instant> sentAt,
        List<String> inReplyTo,
        List<String> references,
        MessageHeaders headers,
        String textBody,
        Optional<SafeHtml> htmlBody,
        List<AttachmentInfo> attachments) {

    public MessageFacts {
        Objects.requireNonNull(captureKey, "captureKey");
        Objects.requireNonNull(from, "from");
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        subject = CleanText.line(Objects.requireNonNull(subject, "subject"));
        messageId = Objects.requireNonNull(messageId, "messageId").map(CleanText::line);
        Objects.requireNonNull(sentAt, "sentAt");
        inReplyTo = List.copyOf(inReplyTo).stream().map(CleanText::line).toList();
        references = List.copyOf(references).stream().map(CleanText::line).toList();
        Objects.requireNonNull(headers, "headers");
        textBody = CleanText.body(Objects.requireNonNull(textBody, "textBody"));
        Objects.requireNonNull(htmlBody, "htmlBody");
        attachments = List.copyOf(attachments);
    }

    /** The most Message-IDs of a thread looked up for one message: the newest and the thread's first. */
    public static final int MAX_THREAD_IDS = 100;

    /** The ids of the messages this one answers: In-Reply-To first, then References, newest first (at most {@link #MAX_THREAD_IDS}). */
    public List<String> threadIds() {
        return threadIds(inReplyTo, references);
    }

    /**
     * The Message-IDs a message answers, from its In-Reply-To and References: In-Reply-To first, then
     * References, newest first; at most {@link #MAX_THREAD_IDS}, the thread's first message always among
     * them. Each is looked up in the CRM: a References field of thousands of ids would cost a CRM's
     * request budget what a mail of a real thread never does.
     */
    public static List<String> threadIds(List<String> inReplyTo, List<String> references) {
        int room = references.isEmpty() ? MAX_THREAD_IDS : MAX_THREAD_IDS - 1; // one kept for the thread's first message
        java.util.LinkedHashSet<String> ids = new java.util.LinkedHashSet<>();
        for (int i = 0; i < inReplyTo.size() && ids.size() < room; i++) {
            ids.add(inReplyTo.get(i));
        }
        for (int i = references.size() - 1; i >= 0 && ids.size() < room; i--) {
            ids.add(references.get(i));
        }
        if (!references.isEmpty()) {
            ids.add(references.get(0));
        }
        return List.copyOf(ids);
    }
}

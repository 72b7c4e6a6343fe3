package org.jamescrm.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jamescrm.model.AttachmentInfo;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.model.MailParty;
import org.jamescrm.model.SafeHtml;

/**
 * A captured e-mail as a CRM e-mail activity.
 *
 * @param direction     incoming (client to company) or outgoing
 * @param subject       the subject
 * @param from          the sender
 * @param to            the To addresses
 * @param cc            the Cc addresses
 * @param textBody      the plain text body; empty in headers-only mode
 * @param htmlBody      the HTML body, sanitized by the core's one policy (the type says so: only
 *                      {@link SafeHtml#sanitize} makes one)
 * @param attachments   attachments; those over the size limit have no content and are listed only
 * @param bindings      every CRM item the mail belongs to
 * @param responsibleId the responsible of the item it is attached to
 * @param completed     outgoing mail is completed; incoming mail stays open until someone works on it
 * @param sentAt        the Date of the message, UTC
 * @param receivedAt    when the mail server received it, UTC
 * @param capturedAt    when it was written to the CRM, UTC
 * @param messageId     the Message-ID, for threading later mail
 * @param originKey     the capture key: one activity per key, whatever the retries
 * @param clients       the client addresses of the mail (CRMs record them as the communications)
 */
public record NewEmailActivity(
        ActivityDirection direction,
        String subject,
        MailParty from,
        List<MailParty> to,
        List<MailParty> cc,
        String textBody,
        Optional<SafeHtml> htmlBody,
        List<AttachmentInfo> attachments,
        List<ItemRef> bindings,
        Optional<String> responsibleId,
        boolean completed,
        Optional<Instant> sentAt,
        Instant receivedAt,
        Instant capturedAt,
        Optional<String> messageId,
        String originKey,
        List<EmailAddress> clients) {

    public NewEmailActivity {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(from, "from");
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        Objects.requireNonNull(textBody, "textBody");
        Objects.requireNonNull(htmlBody, "htmlBody");
        attachments = List.copyOf(attachments);
        bindings = List.copyOf(bindings);
        Objects.requireNonNull(responsibleId, "responsibleId");
        Objects.requireNonNull(sentAt, "sentAt");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(capturedAt, "capturedAt");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(originKey, "originKey");
        clients = List.copyOf(clients);
    }
}

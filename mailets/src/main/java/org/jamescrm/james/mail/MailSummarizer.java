package org.jamescrm.james.mail;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.jamescrm.mime.CaptureKeys;
import org.jamescrm.mime.HeaderValues;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.model.MailParty;
import org.jamescrm.model.Envelope;
import org.jamescrm.model.MessageHeaders;
import org.jamescrm.rules.MessageSummary;

/**
 * Reads what the classification needs from a James {@link Mail}: the envelope, the header fields,
 * the spam verdict of James's scanners, and the capture key. Headers only: the body is parsed later,
 * in the capture queue, never in the mail pipeline.
 */
public final class MailSummarizer {
    /**
     * The per-recipient headers James's SpamAssassin and Rspamd mailets set (they become real headers
     * only at local delivery); {@code YES} marks spam.
     */
    static final Set<String> SPAM_FLAG_HEADERS = Set.of("org.apache.james.spamassassin.flag", "org.apache.james.rspamd.flag");

    /** The message as the classifier sees it. */
    public MessageSummary summarize(Mail mail) throws MessagingException {
        MimeMessage message = mail.getMessage();
        Optional<EmailAddress> sender = mail.getMaybeSender().asOptional().map(address -> EmailAddress.of(address.asString()));
        List<EmailAddress> recipients = new ArrayList<>();
        for (MailAddress recipient : mail.getRecipients()) {
            recipients.add(EmailAddress.of(recipient.asString()));
        }
        return new MessageSummary(new Envelope(sender, recipients, authenticatedUser(mail), Optional.ofNullable(mail.getRemoteAddr())),
            from(message), headers(message), spamVerdict(mail));
    }

    /** The user James authenticated by SMTP AUTH, as its SMTP server records it on the mail. */
    private static Optional<String> authenticatedUser(Mail mail) {
        return mail.getAttribute(Mail.SMTP_AUTH_USER).map(attribute -> String.valueOf(attribute.getValue().getValue()))
            .filter(user -> !user.isBlank());
    }

    /** The Message-ID of the mail, if it has one. */
    public Optional<String> messageId(Mail mail) throws MessagingException {
        return CaptureKeys.messageId(mail.getMessage().getHeader("Message-ID", null));
    }

    /** The capture key of the mail, the same the capture queue computes from the parsed message. */
    public String captureKey(Mail mail) throws MessagingException {
        MimeMessage message = mail.getMessage();
        String messageId = message.getHeader("Message-ID", null);
        if (CaptureKeys.messageId(messageId).isPresent()) {
            return CaptureKeys.messageId(messageId).get();
        }
        try (InputStream raw = message.getRawInputStream()) {
            return CaptureKeys.of(null, message.getHeader("From", null), message.getHeader("Date", null),
                message.getHeader("Subject", null), raw); // the body streams through the digest, never held
        } catch (IOException e) {
            throw new MessagingException("cannot read the body of " + mail.getName(), e);
        }
    }

    /**
     * The first address of the From field, read as the capture queue's parser reads it, so that the
     * author classified here is the sender the capture stores. Not jakarta.mail's parser: its time grows
     * with the square of the field's length (seconds on the spool thread for a From of nested comments).
     * None when the field has no valid address: the envelope sender then stands for the author.
     */
    private static Optional<EmailAddress> from(MimeMessage message) throws MessagingException {
        return HeaderValues.parties(message.getHeader("From", ",")).stream().findFirst().map(MailParty::address);
    }

    private static MessageHeaders headers(MimeMessage message) throws MessagingException {
        MessageHeaders.Builder headers = MessageHeaders.builder();
        Enumeration<Header> all = message.getAllHeaders();
        while (all.hasMoreElements()) {
            Header header = all.nextElement();
            headers.add(header.getName(), HeaderValues.decode(header.getValue()));
        }
        return headers.build();
    }

    private static boolean spamVerdict(Mail mail) {
        Collection<org.apache.mailet.PerRecipientHeaders.Header> specific = new ArrayList<>();
        mail.getPerRecipientSpecificHeaders().getHeadersByRecipient().values().forEach(specific::add);
        return specific.stream().anyMatch(header -> SPAM_FLAG_HEADERS.contains(header.getName().toLowerCase(Locale.ROOT))
            && header.getValue().strip().toUpperCase(Locale.ROOT).startsWith("YES"));
    }
}

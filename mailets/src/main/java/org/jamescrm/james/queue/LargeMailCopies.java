package org.jamescrm.james.queue;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedByteArrayInputStream;

import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Mail;
import org.jamescrm.mime.OmittedParts;

/**
 * What the capture queue keeps of a large mail. A mail waiting for the CRM is held by the capture
 * queue, and James's memory queue holds what it is handed in the heap (it clones it): a 36 MB mail
 * waiting there costs the heap 36 MB more for as long as the CRM is down. So a large mail with
 * attachments the capture will not store (over the mailbox's {@code attachmentLimit}, or any
 * attachment when the mailbox keeps none) goes to the queue as a copy without them: the same
 * envelope, attributes and header, each left-out part listed by name and size, and the mail's
 * capture key, which the copy's own body would not give. The capture reads only the copy afterwards,
 * retries and replays included.
 *
 * <p>The copy is made in the mail pipeline, so only for a mail over {@link #LARGE_BYTES} and over the
 * limit (a smaller one cannot hold a part over it): the mail is written once to a temporary file and
 * read from it twice, the parts counted, then copied; neither pass holds a part in the heap.
 */
public final class LargeMailCopies {
    /** Mails up to this size go to the queue as they are: a copy would cost more than it saves. */
    public static final long LARGE_BYTES = 1024 * 1024;

    private final Session session = Session.getInstance(new Properties());

    /**
     * A copy of {@code mail} without the parts the capture does not store, or empty when the mail
     * itself is what the capture needs (small, or nothing to leave out). The caller disposes of the copy.
     *
     * @param mail            the mail, with its capture attributes
     * @param attachmentLimit the most bytes of an attachment the capture stores for it
     * @param captureKey      the mail's capture key, asked for only when a copy is made
     * @throws MessagingException when the mail cannot be read
     * @throws IOException        when the mail cannot be read, or its structure not followed
     */
    public Optional<Mail> copyFor(Mail mail, long attachmentLimit, CaptureKey captureKey) throws MessagingException, IOException {
        if (sizeOf(mail) <= Math.max(LARGE_BYTES, attachmentLimit)) {
            return Optional.empty();
        }
        Path whole = Files.createTempFile("crm-capture-large-", ".eml");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(whole))) {
                mail.getMessage().writeTo(out);
            }
            OmittedParts omitted;
            try (InputStream in = read(whole)) {
                omitted = OmittedParts.find(in, attachmentLimit);
            }
            if (omitted.none()) {
                return Optional.empty();
            }
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            try (InputStream in = read(whole)) {
                omitted.writeWithout(in, copy);
            }
            return Optional.of(copyOf(mail, new MimeMessage(session, new SharedByteArrayInputStream(copy.toByteArray())), captureKey.of(mail)));
        } finally {
            Files.deleteIfExists(whole);
        }
    }

    /**
     * The mail's size, or its content's when it does not know its own. James's mails know it from their
     * stored source; asking the message its content size instead parses its headers again.
     */
    static long sizeOf(Mail mail) throws MessagingException {
        long size = mail.getMessageSize();
        return size > 0 ? size : mail.getMessage().getSize();
    }

    /** The capture key of a mail (a digest of its body when it has no Message-ID: not computed for nothing). */
    @FunctionalInterface
    public interface CaptureKey {
        String of(Mail mail) throws MessagingException;
    }

    private static InputStream read(Path file) throws IOException {
        return new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
    }

    private static Mail copyOf(Mail mail, MimeMessage message, String captureKey) throws MessagingException {
        MailImpl copy = MailImpl.builder()
            .name(mail.getName())
            .sender(mail.getMaybeSender())
            .addRecipients(mail.getRecipients())
            .remoteHost(mail.getRemoteHost())
            .remoteAddr(mail.getRemoteAddr())
            .lastUpdated(mail.getLastUpdated())
            .state(mail.getState())
            .addAttributes(mail.attributes().toList())
            .addAllHeadersForRecipients(mail.getPerRecipientSpecificHeaders())
            .mimeMessage(message)
            .build();
        CaptureAttributes.setCopyOf(copy, captureKey);
        return copy;
    }
}

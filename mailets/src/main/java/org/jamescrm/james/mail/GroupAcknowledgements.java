package org.jamescrm.james.mail;

import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.MailetContext;
import org.jamescrm.capture.AcknowledgementOutbox;
import org.jamescrm.rules.AcknowledgementMail;

/**
 * Sends the acknowledgements of new cases through James's mailet context (capture-rules §8), marked
 * as RFC 3834 asks of an automatic response ({@code Auto-Submitted: auto-replied}) and threaded on the
 * client's mail with {@code In-Reply-To} and {@code References}. The envelope sender is the
 * acknowledgement's sender (the group address by default), so the group's domain vouches for it (SPF,
 * DMARC) and a bounce returns to the group, where it is never captured: bounces are automated mail,
 * and so is the acknowledgement itself.
 */
public class GroupAcknowledgements implements AcknowledgementOutbox {
    private final Supplier<MailetContext> context;

    /** @param context James's mailet context, asked for when the first acknowledgement leaves */
    public GroupAcknowledgements(Supplier<MailetContext> context) {
        this.context = context;
    }

    @Override
    public void send(AcknowledgementMail mail) throws MessagingException {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom(new InternetAddress(mail.from().value()));
        message.setRecipients(Message.RecipientType.TO, mail.to().value());
        message.setSubject(mail.subject(), "UTF-8");
        message.setHeader("Auto-Submitted", "auto-replied");
        message.setHeader("X-Auto-Response-Suppress", "All"); // Exchange's own auto-replies stay silent
        mail.inReplyTo().ifPresent(id -> setHeader(message, "In-Reply-To", id));
        if (!mail.references().isEmpty()) {
            setHeader(message, "References", String.join(" ", mail.references()));
        }
        message.setText(mail.body(), "UTF-8");
        message.saveChanges();
        context.get().sendMail(new MailAddress(mail.from().value()), List.of(new MailAddress(mail.to().value())), message);
    }

    private static void setHeader(MimeMessage message, String name, String value) {
        try {
            message.setHeader(name, value);
        } catch (MessagingException e) {
            throw new IllegalStateException("cannot set " + name, e);
        }
    }
}

package org.jamescrm.james.mail;

import java.util.List;
import java.util.Properties;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.MailetContext;
import org.jamescrm.model.EmailAddress;

/**
 * Answers an employee whose manual save was refused (capture-rules §7): a short mail from the
 * postmaster saying why. Marked as auto-replied, so it is never captured and never answered itself.
 */
public class ManualSaveReplies {
    private final MailetContext context;

    public ManualSaveReplies(MailetContext context) {
        this.context = context;
    }

    /**
     * Tells {@code employee} that the message with {@code subject} was not saved.
     *
     * @param reason the sentence that says why, e.g. "only client e-mails can be saved"
     */
    public void refused(EmailAddress employee, String subject, String reason) throws MessagingException {
        MailAddress postmaster = context.getPostmaster();
        MimeMessage answer = new MimeMessage(Session.getInstance(new Properties()));
        answer.setFrom(new InternetAddress(postmaster.asString()));
        answer.setRecipients(jakarta.mail.Message.RecipientType.TO, employee.value());
        answer.setSubject("Not saved to the CRM: " + subject, "UTF-8");
        answer.setHeader("Auto-Submitted", "auto-replied");
        answer.setText("Your message \"" + subject + "\" was not saved to the CRM: " + reason + ".\n\n"
            + "Send, forward (as attachment) or Bcc the capture address only with e-mails exchanged with clients.\n", "UTF-8");
        answer.saveChanges();
        context.sendMail(postmaster, List.of(new MailAddress(employee.value())), answer);
    }
}

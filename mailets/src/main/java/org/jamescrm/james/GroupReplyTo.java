package org.jamescrm.james;

import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.jamescrm.capture.CaseAnswers;
import org.jamescrm.mime.HeaderValues;
import org.jamescrm.model.MessageFacts;

/**
 * Sets what an employee's answer to a case thread of a group mailbox carries (capture-rules §8): the
 * group address in {@code Reply-To}, so that the client's answer comes back to the group and joins the
 * case, and the case token {@code [#123]} in the subject where the group asks for it (§4.1). It is the
 * only change the product ever makes to a mail, and only for groups whose {@code <replyTo>} or
 * {@code <threadToken>} is {@code true} in {@code conf/crm-capture.xml}; every other mail goes on
 * untouched. It has no parameter.
 *
 * <p>Place it in the processor of mail leaving for other servers (the {@code relay} processor of the
 * product's configuration), before {@code RemoteDelivery}, so that it sees employees' mail to clients
 * only:
 * <pre>{@code
 * <processor state="relay" enableJmx="false">
 *   <mailet match="All" class="org.jamescrm.james.GroupReplyTo">
 *     <onMailetException>ignore</onMailetException>
 *   </mailet>
 *   <mailet match="All" class="RemoteDelivery"> ... </mailet>
 * </processor>
 * }</pre>
 */
public class GroupReplyTo extends GenericMailet {
    private final CaseAnswers answers;

    @Inject
    public GroupReplyTo(CaseAnswers answers) {
        this.answers = answers;
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        MimeMessage message = mail.getMessage();
        List<String> threadIds = threadIds(message);
        if (threadIds.isEmpty()) {
            return;
        }
        String subject = Optional.ofNullable(message.getSubject()).orElse("");
        Optional<CaseAnswers.Change> change = answers.forAnswer(threadIds, subject);
        if (change.isEmpty()) {
            return;
        }
        if (change.get().replyTo().isPresent()) {
            message.setReplyTo(new InternetAddress[] {new InternetAddress(change.get().replyTo().get().value())});
        }
        if (change.get().subject().isPresent()) {
            message.setSubject(change.get().subject().get(), "UTF-8");
        }
        message.saveChanges();
    }

    /** The Message-IDs the answer names, in the order the capture reads them ({@link MessageFacts#threadIds}). */
    private static List<String> threadIds(MimeMessage message) throws MessagingException {
        return MessageFacts.threadIds(HeaderValues.messageIds(message.getHeader("In-Reply-To", " ")),
            HeaderValues.messageIds(message.getHeader("References", " ")));
    }

    @Override
    public String getMailetInfo() {
        return "GroupReplyTo: the group address in Reply-To of answers to case threads";
    }
}

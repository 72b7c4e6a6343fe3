package org.jamescrm.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jamescrm.model.AttachmentInfo;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.model.Envelope;
import org.jamescrm.model.MailParty;
import org.jamescrm.model.MessageFacts;

/**
 * What an employee asks to save when writing to the capture address without a client among the
 * recipients (capture-rules §7): the first message attached to the mail (a forward as attachment),
 * else the mail itself. Its parties are its own From, To and Cc.
 */
public final class ForwardedMessage {

    private ForwardedMessage() {
    }

    /** The attached message to save, as raw bytes, if the mail carries one. */
    public static Optional<byte[]> attached(MessageFacts mail) {
        return mail.attachments().stream()
            .filter(attachment -> attachment.contentType().equals("message/rfc822") && attachment.hasContent())
            .map(AttachmentInfo::content)
            .findFirst();
    }

    /** The summary to classify a forwarded message by: its own From, To and Cc. */
    public static MessageSummary summary(MessageFacts message, Optional<EmailAddress> captureAddress) {
        List<EmailAddress> recipients = new ArrayList<>();
        for (MailParty party : concat(message.to(), message.cc())) {
            if (captureAddress.filter(party.address()::equals).isEmpty() && !recipients.contains(party.address())) {
                recipients.add(party.address());
            }
        }
        Optional<EmailAddress> from = message.from().map(MailParty::address);
        return new MessageSummary(new Envelope(from, recipients), from, message.headers(), false);
    }

    private static List<MailParty> concat(List<MailParty> first, List<MailParty> second) {
        List<MailParty> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}

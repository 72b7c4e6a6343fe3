package org.jamescrm.rules;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jamescrm.model.EmailAddress;

/**
 * The acknowledgement of a new case, ready to be sent by the mail server (capture-rules §8): marked
 * {@code Auto-Submitted: auto-replied} so that no one's auto-responder answers it, and threaded on the
 * client's mail.
 *
 * @param from       the sender (the group address unless the group names another)
 * @param to         the client
 * @param subject    the subject, with the case token
 * @param body       the plain-text body
 * @param inReplyTo  the client's Message-ID, when the mail had one
 * @param references the client's References followed by its Message-ID
 * @param caseNumber the case number
 */
public record AcknowledgementMail(EmailAddress from, EmailAddress to, String subject, String body, Optional<String> inReplyTo,
                                  List<String> references, String caseNumber) {

    public AcknowledgementMail {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(inReplyTo, "inReplyTo");
        references = List.copyOf(references);
        Objects.requireNonNull(caseNumber, "caseNumber");
    }
}

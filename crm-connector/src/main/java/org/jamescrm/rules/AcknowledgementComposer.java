package org.jamescrm.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.model.Envelope;
import org.jamescrm.model.MailParty;
import org.jamescrm.model.MessageFacts;
import org.jamescrm.settings.Acknowledgement;

/**
 * Writes the acknowledgement of a new case from the group's template (capture-rules §8), or none when
 * one must not be sent: the mail is not a client's incoming mail, or it is automated (an auto-responder
 * must never be answered: that is how mail loops start). The throttle per client is the capture's.
 * Pure.
 */
public final class AcknowledgementComposer {
    /** The longest client subject put into an acknowledgement's subject. */
    static final int SUBJECT_LIMIT = 200;
    private static final Pattern BREAKS_AND_TABS = Pattern.compile("[\\r\\n\\t]+");
    private final AutomatedMailDetector automated = new AutomatedMailDetector();

    /**
     * @param facts          the client's mail, which opened the case
     * @param classification its classification
     * @param acknowledgement the group's template
     * @param group          the group mailbox
     * @param caseNumber     the number of the new case
     */
    public Optional<AcknowledgementMail> compose(MessageFacts facts, Classification classification, Acknowledgement acknowledgement,
                                                 EmailAddress group, String caseNumber) {
        if (classification.direction() != Direction.INBOUND || classification.clients().isEmpty() || facts.from().isEmpty()) {
            return Optional.empty();
        }
        EmailAddress client = classification.clients().get(0);
        MessageSummary summary = new MessageSummary(new Envelope(facts.from().map(MailParty::address), List.of(group)),
            facts.from().map(MailParty::address), facts.headers(), false);
        if (automated.detect(summary).isPresent()) {
            return Optional.empty();
        }
        String clientSubject = oneLine(facts.subject());
        String subject = fill(acknowledgement.subject(), clientSubject, caseNumber);
        if (!subject.contains(CaseTokens.token(caseNumber))) {
            subject = CaseTokens.token(caseNumber) + " " + subject;
        }
        List<String> references = new ArrayList<>(facts.references());
        facts.messageId().filter(id -> !references.contains(id)).ifPresent(references::add);
        return Optional.of(new AcknowledgementMail(acknowledgement.from().orElse(group), client, subject,
            fill(acknowledgement.body(), clientSubject, caseNumber), facts.messageId(), references, caseNumber));
    }

    private static String fill(String template, String subject, String caseNumber) {
        return template.replace("{caseNumber}", caseNumber).replace("{subject}", subject);
    }

    /** The client's subject on one line and not too long: it goes into a header of ours. */
    private static String oneLine(String subject) {
        String line = BREAKS_AND_TABS.matcher(subject).replaceAll(" ").strip();
        return line.length() <= SUBJECT_LIMIT ? line : line.substring(0, SUBJECT_LIMIT) + "…";
    }
}

package org.jamescrm.capture;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import org.jamescrm.decisions.DecisionLog;
import org.jamescrm.decisions.DecisionRecord;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.rules.CaseTokens;
import org.jamescrm.settings.CaptureSettings;
import org.jamescrm.settings.GroupSettings;
import org.jamescrm.settings.MailboxSettings;

/**
 * What an employee's answer to a case thread of a group mailbox carries (capture-rules §8): the group
 * address in {@code Reply-To}, so the client's answer comes back to the group, and, where the group asks
 * for it, the case token in the subject (§4.1). The thread is found by the decisions of the messages the
 * answer names in {@code In-Reply-To} and {@code References}: the one that opened or joined a case in a
 * group mailbox tells the group and the case number.
 */
public final class CaseAnswers {
    private final DecisionLog decisions;
    private final Supplier<CaptureSettings> settings;

    /**
     * @param decisions the decisions of captured mail
     * @param settings  the current settings
     */
    public CaseAnswers(DecisionLog decisions, Supplier<CaptureSettings> settings) {
        this.decisions = decisions;
        this.settings = settings;
    }

    /**
     * The change an answer needs, when it answers a case thread of a group whose settings ask for one.
     *
     * @param threadIds the Message-IDs the answer names, nearest first
     * @param subject   its subject
     */
    public Optional<Change> forAnswer(List<String> threadIds, String subject) {
        CaptureSettings current = settings.get();
        boolean anyGroupAsks = current.mailboxes().values().stream().map(MailboxSettings::group).flatMap(Optional::stream)
            .anyMatch(group -> group.replyTo() || group.threadToken());
        if (!anyGroupAsks) {
            return Optional.empty(); // no decision looked up for mail that no group's setting could change
        }
        for (String messageId : threadIds) {
            Optional<DecisionRecord> decision = decisions.latest(messageId).filter(found -> found.caseNumber().isPresent());
            if (decision.isEmpty() || decision.get().mailbox().isEmpty()) {
                continue;
            }
            EmailAddress mailbox = decision.get().mailbox().get();
            Optional<GroupSettings> group = current.group(mailbox);
            if (group.isEmpty() || !(group.get().replyTo() || group.get().threadToken())) {
                return Optional.empty();
            }
            String number = decision.get().caseNumber().get();
            return Optional.of(new Change(group.get().replyTo() ? Optional.of(mailbox) : Optional.empty(),
                group.get().threadToken() ? Optional.of(CaseTokens.withToken(subject, number)).filter(changed -> !changed.equals(subject))
                    : Optional.empty()));
        }
        return Optional.empty();
    }

    /**
     * What to change on the answer.
     *
     * @param replyTo the group address for {@code Reply-To}
     * @param subject the subject with the case token, when it lacked it
     */
    public record Change(Optional<EmailAddress> replyTo, Optional<String> subject) {

        public Change {
            Objects.requireNonNull(replyTo, "replyTo");
            Objects.requireNonNull(subject, "subject");
        }
    }
}

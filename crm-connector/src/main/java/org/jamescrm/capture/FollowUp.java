package org.jamescrm.capture;

import java.util.Objects;

import org.jamescrm.decisions.DecisionRecord;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.rules.ReasonCode;

/**
 * What the mail server does after a capture was decided: the capture policy, decided here in the core
 * and only carried out by the James side. A flood is parked for an administrator's review instead of
 * being captured; a manual save refused because the mail is among employees is answered to the
 * employee who asked (capture-rules §7).
 */
public sealed interface FollowUp {

    /** Nothing more to do. */
    record Done() implements FollowUp {
    }

    /**
     * Park the capture for an administrator, who may replay it.
     *
     * @param reason why, shown with the parked capture
     */
    record Park(String reason) implements FollowUp {
        public Park {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Answer the employee who asked for a manual save that it was refused.
     *
     * @param employee the employee's address
     * @param subject  the subject of the message the employee asked to save
     * @param reason   why it was refused, in the employee's words
     */
    record AnswerEmployee(EmailAddress employee, String subject, String reason) implements FollowUp {
        public AnswerEmployee {
            Objects.requireNonNull(employee, "employee");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The follow-up of a decided capture.
     *
     * @param asked    the capture request as the mail came (for a manual save: the mail to the capture address)
     * @param saved    what was captured for it (for a manual save: the message the employee meant)
     * @param decision the decision
     */
    static FollowUp after(CaptureRequest asked, CaptureRequest saved, DecisionRecord decision) {
        if (decision.reason() == ReasonCode.FLOOD) {
            return new Park("FLOOD: " + decision.detail());
        }
        if (decision.reason() == ReasonCode.INTERNAL && asked.classification().manualSave()
            && asked.classification().mailbox().isPresent()) {
            return new AnswerEmployee(asked.classification().mailbox().get(), saved.facts().subject(),
                "only client e-mails can be saved (" + decision.detail() + ")");
        }
        return new Done();
    }
}

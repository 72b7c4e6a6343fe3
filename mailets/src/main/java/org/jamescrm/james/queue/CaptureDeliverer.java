package org.jamescrm.james.queue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import jakarta.mail.MessagingException;

import org.apache.mailet.Mail;
import org.jamescrm.capture.CaptureRequest;
import org.jamescrm.capture.CaptureRounds;
import org.jamescrm.capture.FollowUp;
import org.jamescrm.decisions.DecisionRecord;
import org.jamescrm.rules.Direction;
import org.jamescrm.mime.MessageParser;
import org.jamescrm.model.MessageFacts;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one capture attempt for a mail of the capture queue: parses the message and hands it to
 * the next capture round. Never fails: every failure becomes an outcome the consumer acts on.
 */
public class CaptureDeliverer {
    private static final Logger LOGGER = LoggerFactory.getLogger(CaptureDeliverer.class);

    private final CaptureRounds rounds;
    private final ManualSaves manualSaves;
    private final MessageParser parser = new MessageParser();

    /**
     * @param rounds      the capture rounds
     * @param manualSaves resolves what an employee asked to save by writing to the capture address
     */
    public CaptureDeliverer(CaptureRounds rounds, ManualSaves manualSaves) {
        this.rounds = rounds;
        this.manualSaves = manualSaves;
    }

    /** One attempt; the outcome arrives when the capture's round has run. */
    public CompletableFuture<CaptureOutcome> deliver(Mail mail) {
        CaptureRequest asked;
        CaptureRequest saved;
        try {
            byte[] raw = raw(mail);
            MessageFacts facts = parser.parse(new java.io.ByteArrayInputStream(raw));
            asked = new CaptureRequest(facts, CaptureAttributes.classification(mail), CaptureAttributes.receivedAt(mail),
                java.util.Optional.of(() -> raw.clone()));
            saved = asked.classification().direction() == Direction.MANUAL_FORWARD ? manualSaves.resolve(asked) : asked;
        } catch (MessagingException | IOException e) {
            return CompletableFuture.completedFuture(new CaptureOutcome.Rejected("the message cannot be read: " + e));
        } catch (RuntimeException e) {
            // a defect of ours must not lose the capture either: park it with the cause for replay
            return CompletableFuture.completedFuture(new CaptureOutcome.Rejected("unexpected error: " + e));
        }
        return rounds.submit(saved).handle((decision, error) -> error == null ? decided(asked, saved, decision) : failed(error));
    }

    /** Carries out the follow-up the core's capture policy decided. */
    private CaptureOutcome decided(CaptureRequest asked, CaptureRequest saved, DecisionRecord decision) {
        FollowUp followUp = FollowUp.after(asked, saved, decision);
        if (followUp instanceof FollowUp.Park park) {
            return new CaptureOutcome.Rejected(park.reason()); // parked for review, not captured
        }
        if (followUp instanceof FollowUp.AnswerEmployee answer) {
            try {
                manualSaves.answer(answer);
            } catch (MessagingException | RuntimeException e) {
                // decided all the same: the answer to the employee is a courtesy, the decision is recorded
                LOGGER.warn("Cannot answer {} that the manual save of '{}' was refused", answer.employee(), answer.subject(), e);
            }
        }
        return new CaptureOutcome.Decided(decision);
    }

    private static CaptureOutcome failed(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof CrmUnavailableException unavailable) {
            return new CaptureOutcome.RetryLater(unavailable.getMessage(), unavailable.retryAfter());
        }
        if (cause instanceof CrmException) {
            return new CaptureOutcome.Rejected("the CRM refused the capture: " + cause.getMessage());
        }
        return new CaptureOutcome.Rejected("unexpected error: " + cause);
    }

    private static byte[] raw(Mail mail) throws MessagingException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        mail.getMessage().writeTo(out);
        return out.toByteArray();
    }
}

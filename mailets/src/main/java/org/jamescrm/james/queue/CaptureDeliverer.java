package org.jamescrm.james.queue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Optional;

import jakarta.mail.MessagingException;

import org.apache.mailet.Mail;
import org.jamescrm.capture.CaptureRequest;
import org.jamescrm.capture.CaptureService;
import org.jamescrm.capture.DecisionRecord;
import org.jamescrm.rules.Direction;
import org.jamescrm.rules.ReasonCode;
import org.jamescrm.mime.MessageParser;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.model.MessageFacts;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmUnavailableException;

/**
 * Runs one capture attempt for a mail of the capture queue: parses the message and hands it to the
 * capture service. Never throws: every failure becomes an outcome the consumer acts on.
 */
public class CaptureDeliverer {
    private final CaptureService captureService;
    private final ManualSaves manualSaves;
    private final MessageParser parser = new MessageParser();

    /**
     * @param captureService the capture
     * @param manualSaves    resolves what an employee asked to save by writing to the capture address
     */
    public CaptureDeliverer(CaptureService captureService, ManualSaves manualSaves) {
        this.captureService = captureService;
        this.manualSaves = manualSaves;
    }

    /** One attempt. */
    public CaptureOutcome deliver(Mail mail) {
        try {
            MessageFacts facts = parser.parse(new java.io.ByteArrayInputStream(raw(mail)));
            CaptureRequest request = new CaptureRequest(facts, CaptureAttributes.classification(mail), CaptureAttributes.receivedAt(mail));
            // the employee who asked for a manual save: answered when it is refused
            Optional<EmailAddress> requester = request.classification().mailbox().filter(mailbox -> request.classification().manualSave());
            CaptureRequest saved = request.classification().direction() == Direction.MANUAL_FORWARD ? manualSaves.resolve(request) : request;
            DecisionRecord decision = captureService.capture(saved);
            if (decision.reason() == ReasonCode.INTERNAL && requester.isPresent()) {
                manualSaves.refused(requester.get(), saved.facts().subject(), decision);
            }
            if (decision.reason() == ReasonCode.FLOOD) {
                return new CaptureOutcome.Rejected("FLOOD: " + decision.detail()); // parked for review, not captured
            }
            return new CaptureOutcome.Decided(decision);
        } catch (CrmException e) {
            if (e instanceof CrmUnavailableException unavailable) {
                return new CaptureOutcome.RetryLater(unavailable.getMessage(), unavailable.retryAfter());
            }
            return new CaptureOutcome.Rejected("the CRM refused the capture: " + e.getMessage());
        } catch (MessagingException | IOException e) {
            return new CaptureOutcome.Rejected("the message cannot be read: " + e);
        } catch (RuntimeException e) {
            // a defect of ours must not lose the capture either: park it with the cause for replay
            return new CaptureOutcome.Rejected("unexpected error: " + e);
        }
    }

    private static byte[] raw(Mail mail) throws MessagingException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        mail.getMessage().writeTo(out);
        return out.toByteArray();
    }
}

package org.jamescrm.james.queue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import jakarta.mail.MessagingException;

import org.apache.mailet.Mail;
import org.jamescrm.capture.CaptureRequest;
import org.jamescrm.capture.CaptureService;
import org.jamescrm.capture.DecisionRecord;
import org.jamescrm.rules.ReasonCode;
import org.jamescrm.mime.MessageParser;
import org.jamescrm.model.MessageFacts;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmUnavailableException;

/**
 * Runs one capture attempt for a mail of the capture queue: parses the message and hands it to the
 * capture service. Never throws: every failure becomes an outcome the consumer acts on.
 */
public class CaptureDeliverer {
    private final CaptureService captureService;
    private final MessageParser parser = new MessageParser();

    public CaptureDeliverer(CaptureService captureService) {
        this.captureService = captureService;
    }

    /** One attempt. */
    public CaptureOutcome deliver(Mail mail) {
        try {
            MessageFacts facts = parser.parse(new java.io.ByteArrayInputStream(raw(mail)));
            CaptureRequest request = new CaptureRequest(facts, CaptureAttributes.classification(mail), CaptureAttributes.receivedAt(mail));
            DecisionRecord decision = captureService.capture(request);
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

package org.jamescrm.capture;

import org.jamescrm.rules.AcknowledgementMail;

/**
 * Where the capture hands the acknowledgements of new cases (capture-rules §8): the mail server sends
 * them (in James, through the mailet context), so they leave like any mail of the group.
 */
@FunctionalInterface
public interface AcknowledgementOutbox {

    /** An outbox that sends nothing, for a capture without group mailboxes that acknowledge. */
    AcknowledgementOutbox NONE = mail -> {
    };

    /**
     * Sends {@code mail}. A failure is the outbox's to report: the capture is decided and recorded whatever
     * becomes of its acknowledgement.
     *
     * @throws Exception when the mail cannot be handed to the mail server
     */
    void send(AcknowledgementMail mail) throws Exception;
}

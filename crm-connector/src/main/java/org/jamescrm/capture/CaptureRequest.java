package org.jamescrm.capture;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import org.jamescrm.model.MessageFacts;
import org.jamescrm.rules.Classification;

/**
 * One message to capture, as the capture queue hands it over.
 *
 * @param facts          the parsed message
 * @param classification the classification made in the mail pipeline
 * @param receivedAt     when the mail server received it
 * @param rawMessage     the message as received (RFC 822), when the queue has it: handed to the write
 *                       plan for CRMs that import messages themselves
 */
public record CaptureRequest(MessageFacts facts, Classification classification, Instant receivedAt,
                             Optional<Supplier<byte[]>> rawMessage) {

    public CaptureRequest {
        Objects.requireNonNull(facts, "facts");
        Objects.requireNonNull(classification, "classification");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(rawMessage, "rawMessage");
    }

    /** A request without the raw message. */
    public CaptureRequest(MessageFacts facts, Classification classification, Instant receivedAt) {
        this(facts, classification, receivedAt, Optional.empty());
    }
}

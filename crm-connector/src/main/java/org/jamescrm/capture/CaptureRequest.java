package org.jamescrm.capture;

import java.time.Instant;
import java.util.Objects;

import org.jamescrm.model.MessageFacts;
import org.jamescrm.rules.Classification;

/**
 * One message to capture, as the capture queue hands it over.
 *
 * @param facts          the parsed message
 * @param classification the classification made in the mail pipeline
 * @param receivedAt     when the mail server received it
 */
public record CaptureRequest(MessageFacts facts, Classification classification, Instant receivedAt) {

    public CaptureRequest {
        Objects.requireNonNull(facts, "facts");
        Objects.requireNonNull(classification, "classification");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }
}

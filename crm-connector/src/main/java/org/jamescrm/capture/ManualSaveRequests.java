package org.jamescrm.capture;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.jamescrm.mime.MessageParser;
import org.jamescrm.model.MessageFacts;
import org.jamescrm.rules.Classification;
import org.jamescrm.rules.Classifier;
import org.jamescrm.rules.Direction;
import org.jamescrm.rules.ForwardedMessage;
import org.jamescrm.settings.CaptureSettings;

/**
 * Turns a mail an employee sent or forwarded to the capture address (direction MANUAL_FORWARD) into
 * the capture request of what is to be saved (capture-rules §7): the attached message, else the mail
 * itself, classified by its own parties with the employee's mailbox.
 */
public final class ManualSaveRequests {
    private final MessageParser parser = new MessageParser();
    private final Classifier classifier = new Classifier();

    /**
     * @param request       the capture request of the mail sent to the capture address
     * @param serverDomains whether a domain is one of the mail server's own
     * @param settings      the settings in force
     * @return {@code request} itself unless it is a MANUAL_FORWARD
     */
    public CaptureRequest resolve(CaptureRequest request, Predicate<String> serverDomains, CaptureSettings settings) throws IOException {
        if (request.classification().direction() != Direction.MANUAL_FORWARD) {
            return request;
        }
        Optional<byte[]> attached = ForwardedMessage.attached(request.facts());
        MessageFacts saved = attached.isPresent() ? parser.parse(new ByteArrayInputStream(attached.get())) : request.facts();
        Classification classification = classifier.classifyForwarded(ForwardedMessage.summary(saved, settings.captureAddress()),
            request.classification().mailbox().orElseThrow(), serverDomains, settings);
        return new CaptureRequest(saved, classification, request.receivedAt(),
            attached.isPresent() ? Optional.<Supplier<byte[]>>of(attached::get) : request.rawMessage());
    }
}

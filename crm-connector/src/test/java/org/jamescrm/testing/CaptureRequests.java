package org.jamescrm.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jamescrm.capture.CaptureRequest;
import org.jamescrm.mime.MessageParser;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.model.Envelope;
import org.jamescrm.model.MessageFacts;
import org.jamescrm.rules.Classifier;
import org.jamescrm.rules.MessageSummary;
import org.jamescrm.settings.CaptureSettings;

/** Capture requests as the capture queue hands them over: a raw message classified and parsed. Shared by the modules' tests. */
public final class CaptureRequests {

    private CaptureRequests() {
    }

    /**
     * The request for {@code message} sent by {@code sender} to {@code recipients} on a server whose
     * own domain is {@code domain}. A sender of that domain submitted it authenticated (SMTP AUTH), as
     * an employee's mail client does.
     */
    public static CaptureRequest of(String sender, List<String> recipients, String message, String domain, CaptureSettings settings,
                                    Instant receivedAt) {
        try {
            Optional<EmailAddress> envelopeSender = Optional.ofNullable(sender).map(EmailAddress::of);
            Envelope envelope = new Envelope(envelopeSender, recipients.stream().map(EmailAddress::of).toList(),
                envelopeSender.filter(address -> address.domain().equals(domain)).map(EmailAddress::value), Optional.of("192.0.2.10"));
            MessageFacts facts = new MessageParser().parse(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)));
            MessageSummary summary = new MessageSummary(envelope, facts.from().map(party -> party.address()), facts.headers(), false);
            return new CaptureRequest(facts, new Classifier().classify(summary, domain::equals, settings), receivedAt);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package org.jamescrm.settings;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import org.jamescrm.model.EmailAddress;

/**
 * The acknowledgement a group mailbox sends for each new case ({@code <acknowledgement>} of a
 * {@code <group>}, capture-rules §8 "auto-reply"): one per new thread, never to automated senders, never
 * twice to a thread, at most {@code perSender} to one client within {@code window}.
 *
 * @param subject   {@code <subject>}: the subject template; {@code {subject}} is the client's subject and
 *                  {@code {caseNumber}} the case number. The case token {@code [#<number>]} is put in front
 *                  when the template does not contain it, so the client's answer finds its case.
 * @param body      {@code <body>}: the plain-text body template, with the same placeholders
 * @param from      {@code <from>}: the sender; the group address when absent
 * @param perSender {@code <perSender>}: the most acknowledgements one client gets within the window (default 5)
 * @param window    {@code <window>}: the throttling window (default 2 hours)
 */
public record Acknowledgement(String subject, String body, Optional<EmailAddress> from, int perSender, Duration window) {

    /** The subject template when the file gives none. */
    public static final String DEFAULT_SUBJECT = "[#{caseNumber}] Re: {subject}";
    /** The body template when the file gives none. */
    public static final String DEFAULT_BODY = "Thank you for your message. It was received and is registered as case "
        + "{caseNumber}; we will answer as soon as possible.\n\nPlease keep [#{caseNumber}] in the subject of your replies.";
    /** The throttling default: 5 acknowledgements per client in 2 hours. */
    public static final int DEFAULT_PER_SENDER = 5;
    /** The throttling window's default. */
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(2);

    public Acknowledgement {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(window, "window");
    }
}

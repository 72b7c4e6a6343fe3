package org.jamescrm.james.queue;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.rules.Classification;
import org.jamescrm.rules.Direction;

/**
 * The mail attributes a capture carries through the capture queue: the classification made in the
 * pipeline, when the server received the mail, and the attempts so far. Namespaced names and
 * primitive values only, so that every James mail queue (memory, RabbitMQ) keeps them.
 */
public final class CaptureAttributes {
    static final AttributeName DIRECTION = AttributeName.of("org.jamescrm.capture.direction");
    static final AttributeName CLIENTS = AttributeName.of("org.jamescrm.capture.clients");
    static final AttributeName EMPLOYEES = AttributeName.of("org.jamescrm.capture.employees");
    static final AttributeName MAILBOX = AttributeName.of("org.jamescrm.capture.mailbox");
    static final AttributeName RECEIVED_AT = AttributeName.of("org.jamescrm.capture.receivedAt");
    static final AttributeName ATTEMPTS = AttributeName.of("org.jamescrm.capture.attempts");
    static final AttributeName MANUAL_SAVE = AttributeName.of("org.jamescrm.capture.manualSave");
    static final AttributeName DUE_AT = AttributeName.of("org.jamescrm.capture.dueAt");
    static final AttributeName COPY_OF = AttributeName.of("org.jamescrm.capture.copyOf");

    private CaptureAttributes() {
    }

    /**
     * Stores a capturable classification and the receipt time on {@code mail}.
     *
     * @return what the mail held under those names before, to restore it
     */
    public static Previous write(Mail mail, Classification classification, Instant receivedAt) {
        Previous previous = new Previous(List.of(DIRECTION, CLIENTS, EMPLOYEES, MAILBOX, RECEIVED_AT, MANUAL_SAVE).stream()
            .map(name -> Map.entry(name, mail.getAttribute(name))).toList());
        mail.removeAttribute(MAILBOX);
        mail.setAttribute(new Attribute(DIRECTION, AttributeValue.of(classification.direction().name())));
        mail.setAttribute(new Attribute(CLIENTS, AttributeValue.of(join(classification.clients()))));
        mail.setAttribute(new Attribute(EMPLOYEES, AttributeValue.of(join(classification.employees()))));
        classification.mailbox().ifPresent(mailbox -> mail.setAttribute(new Attribute(MAILBOX, AttributeValue.of(mailbox.value()))));
        mail.setAttribute(new Attribute(RECEIVED_AT, AttributeValue.of(receivedAt.toEpochMilli())));
        mail.setAttribute(new Attribute(MANUAL_SAVE, AttributeValue.of(classification.manualSave())));
        return previous;
    }

    /** The attributes a mail held before {@link #write}. */
    public static final class Previous {
        private final List<Map.Entry<AttributeName, Optional<Attribute>>> attributes;

        private Previous(List<Map.Entry<AttributeName, Optional<Attribute>>> attributes) {
            this.attributes = attributes;
        }

        /** Gives {@code mail} back the attributes it held before. */
        public void restore(Mail mail) {
            for (Map.Entry<AttributeName, Optional<Attribute>> attribute : attributes) {
                attribute.getValue().ifPresentOrElse(mail::setAttribute, () -> mail.removeAttribute(attribute.getKey()));
            }
        }
    }

    /** The classification stored by {@link #write}. */
    public static Classification classification(Mail mail) {
        Direction direction = Direction.valueOf(string(mail, DIRECTION)
            .orElseThrow(() -> new IllegalStateException("mail " + mail.getName() + " has no " + DIRECTION.asString() + " attribute")));
        return new Classification(direction, split(string(mail, CLIENTS).orElse("")), split(string(mail, EMPLOYEES).orElse("")),
            string(mail, MAILBOX).map(EmailAddress::of), Optional.empty(),
            AttributeUtils.getValueAndCastFromMail(mail, MANUAL_SAVE, Boolean.class).orElse(false));
    }

    /** When the server received the mail, as stored by {@link #write}. */
    public static Instant receivedAt(Mail mail) {
        return AttributeUtils.getValueAndCastFromMail(mail, RECEIVED_AT, Long.class).map(Instant::ofEpochMilli)
            .orElseGet(() -> Optional.ofNullable(mail.getLastUpdated()).map(java.util.Date::toInstant).orElse(Instant.EPOCH));
    }

    /** How many capture attempts failed so far. */
    public static int attempts(Mail mail) {
        return AttributeUtils.getValueAndCastFromMail(mail, ATTEMPTS, Integer.class).orElse(0);
    }

    static void setAttempts(Mail mail, int attempts) {
        mail.setAttribute(new Attribute(ATTEMPTS, AttributeValue.of(attempts)));
    }

    /** When the capture is due again, if it was put back to wait: a queue may deliver it sooner. */
    public static Optional<Instant> dueAt(Mail mail) {
        return AttributeUtils.getValueAndCastFromMail(mail, DUE_AT, Long.class).map(Instant::ofEpochMilli);
    }

    static void setDueAt(Mail mail, Instant dueAt) {
        mail.setAttribute(new Attribute(DUE_AT, AttributeValue.of(dueAt.toEpochMilli())));
    }

    /** A parked capture starts afresh when replayed: no attempt counted, due at once. */
    static void forgetAttempts(Mail mail) {
        mail.removeAttribute(ATTEMPTS);
        mail.removeAttribute(DUE_AT);
    }

    /**
     * The capture key of the message this capture is a copy of, when the capture queue holds a copy
     * without the parts the capture does not store ({@link LargeMailCopies}), not the message itself.
     */
    public static Optional<String> copyOf(Mail mail) {
        return string(mail, COPY_OF);
    }

    static void setCopyOf(Mail mail, String captureKey) {
        mail.setAttribute(new Attribute(COPY_OF, AttributeValue.of(captureKey)));
    }

    private static Optional<String> string(Mail mail, AttributeName name) {
        return AttributeUtils.getValueAndCastFromMail(mail, name, String.class);
    }

    private static String join(List<EmailAddress> addresses) {
        return addresses.stream().map(EmailAddress::value).collect(Collectors.joining(","));
    }

    private static List<EmailAddress> split(String joined) {
        return joined.isEmpty() ? List.of() : Arrays.stream(joined.split(",")).map(EmailAddress::of).toList();
    }
}

package org.jamescrm.emulator;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Something the real CRM would have done that a user would regret, recorded by an emulator in its
 * {@link ViolationLog}: the emulator accepts the request as the CRM does, and the test fails on the
 * consequence.
 *
 * @param kind        what went wrong
 * @param operation   the CRM operation that caused it (e.g. {@code crm.activity.add})
 * @param description what the real CRM does, in a sentence a test failure can show
 * @param at          when, on the emulator's clock
 * @param evidence    the record involved, as the CRM would show it
 */
public record Violation(Kind kind, String operation, String description, Instant at, Map<String, Object> evidence) {

    /** The kinds of regret the emulators know. */
    public enum Kind {
        /** The CRM sends an e-mail to the client, e.g. again, for mail that was only being captured. */
        EMAIL_SENT_TO_CLIENT,
        /** A second record of something that exists once (a retry or replay that wrote again). */
        DUPLICATE_RECORD,
        /** A value the CRM cut short or dropped because it was too long or too large. */
        TRUNCATED_WRITE
    }

    /** Checks every part is given and freezes the evidence. */
    public Violation {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(at, "at");
        // copied, not Map.copyOf: the CRM's records have null values
        evidence = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(evidence));
    }
}

package org.jamescrm.james.webadmin;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.model.Envelope;

/**
 * The query of {@code POST /crm/dry-run}: the envelope the message would arrive with, and whether the
 * CRM may be asked.
 * <ul>
 * <li>{@code sender}: the envelope sender; absent, empty or {@code <>} for a null sender (a bounce);</li>
 * <li>{@code recipient} (one or more, required): the envelope recipients;</li>
 * <li>{@code authenticated} ({@code true}/{@code false}, default false): whether the sender submitted
 *     with SMTP AUTH, as an employee's mail client does (it matters for manual saves);</li>
 * <li>{@code lookups} ({@code true}/{@code false}, default true): whether the CRM is asked.</li>
 * </ul>
 *
 * @param envelope the envelope
 * @param lookups  whether the CRM is asked
 */
record DryRunQuery(Envelope envelope, boolean lookups) {
    /** The most recipients a dry-run takes. */
    static final int MAX_RECIPIENTS = 100;

    /**
     * Reads the query from {@code params} (name to values, absent when not given).
     *
     * @throws IllegalArgumentException with a message naming the parameter, its value (an escaped
     *                                  excerpt) and the allowed values
     */
    static DryRunQuery parse(Function<String, String[]> params) {
        Optional<EmailAddress> sender = single(params, "sender").map(String::strip).filter(value -> !value.isEmpty() && !value.equals("<>"))
            .map(value -> address("sender", value));
        String[] given = params.apply("recipient");
        if (given == null || given.length == 0) {
            throw new IllegalArgumentException("Missing 'recipient' query parameter: allowed values: one or more e-mail addresses");
        }
        if (given.length > MAX_RECIPIENTS) {
            throw new IllegalArgumentException("Too many 'recipient' query parameters (" + given.length + "): allowed values: at most "
                + MAX_RECIPIENTS + " e-mail addresses");
        }
        List<EmailAddress> recipients = new ArrayList<>();
        for (String recipient : given) {
            recipients.add(address("recipient", recipient.strip()));
        }
        boolean authenticated = flag(params, "authenticated", false);
        boolean lookups = flag(params, "lookups", true);
        return new DryRunQuery(new Envelope(sender, recipients, authenticated ? sender.map(EmailAddress::value) : Optional.empty(),
            Optional.empty()), lookups);
    }

    private static Optional<String> single(Function<String, String[]> params, String name) {
        String[] values = params.apply(name);
        if (values == null || values.length == 0) {
            return Optional.empty();
        }
        if (values.length > 1) {
            throw new IllegalArgumentException("Several '" + name + "' query parameters: allowed values: one");
        }
        return Optional.of(values[0]);
    }

    private static boolean flag(Function<String, String[]> params, String name, boolean absent) {
        Optional<String> value = single(params, name).map(String::strip);
        if (value.isEmpty() || value.get().isEmpty()) {
            return absent;
        }
        return switch (value.get()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("Invalid '" + name + "' query parameter '"
                + CrmCaptureRoutes.excerpt(value.get()) + "': allowed values: true, false");
        };
    }

    private static EmailAddress address(String name, String value) {
        try {
            return EmailAddress.of(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid '" + name + "' query parameter '" + CrmCaptureRoutes.excerpt(value)
                + "': allowed values: an e-mail address", e);
        }
    }
}

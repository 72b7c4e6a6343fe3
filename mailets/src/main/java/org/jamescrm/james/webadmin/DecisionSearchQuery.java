package org.jamescrm.james.webadmin;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jamescrm.decisions.DecisionQuery;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.rules.ReasonCode;

/**
 * Reads the query of {@code GET /crm/decisions} into a {@link DecisionQuery}: {@code messageId},
 * {@code sender}, {@code recipient}, {@code mailbox} (addresses), {@code reason} (a reason code, or
 * {@code FILTERED:<rule>}), {@code captured} ({@code true}/{@code false}), {@code from} and {@code to}
 * (an instant {@code 2026-11-22T09:00:00Z} or a day {@code 2026-11-22}, UTC; {@code to} excluded),
 * {@code limit} (default 100) and {@code offset} (default 0).
 */
final class DecisionSearchQuery {
    static final int DEFAULT_LIMIT = 100;
    private static final String REASONS = Arrays.stream(ReasonCode.values()).map(ReasonCode::name).collect(Collectors.joining(", "))
        + ", FILTERED:<rule>";

    private DecisionSearchQuery() {
    }

    /**
     * @throws IllegalArgumentException naming the parameter, its value (an escaped excerpt) and the allowed values
     */
    static DecisionQuery parse(Function<String, String> params) {
        return new DecisionQuery(
            text(params, "messageId"),
            text(params, "sender").map(value -> address("sender", value)),
            text(params, "recipient").map(value -> address("recipient", value)),
            text(params, "mailbox").map(value -> address("mailbox", value)),
            text(params, "reason").map(DecisionSearchQuery::reason),
            text(params, "captured").map(DecisionSearchQuery::captured),
            text(params, "from").map(value -> instant("from", value)),
            text(params, "to").map(value -> instant("to", value)),
            text(params, "limit").map(value -> number("limit", value, 1)).orElse(DEFAULT_LIMIT),
            text(params, "offset").map(value -> number("offset", value, 0)).orElse(0));
    }

    private static Optional<String> text(Function<String, String> params, String name) {
        return Optional.ofNullable(params.apply(name)).map(String::strip).filter(value -> !value.isEmpty());
    }

    private static EmailAddress address(String name, String value) {
        try {
            return EmailAddress.of(value);
        } catch (IllegalArgumentException e) {
            throw invalid(name, value, "an e-mail address");
        }
    }

    private static String reason(String value) {
        String upper = value.toUpperCase(Locale.ROOT);
        String code = upper.startsWith("FILTERED:") ? "FILTERED" : upper;
        if (Arrays.stream(ReasonCode.values()).noneMatch(reason -> reason.name().equals(code))) {
            throw invalid("reason", value, REASONS);
        }
        return value;
    }

    private static boolean captured(String value) {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid("captured", value, "true, false");
        };
    }

    private static Instant instant(String name, String value) {
        try {
            return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(value);
        } catch (DateTimeException e) {
            throw invalid(name, value, "an instant (2026-11-22T09:00:00Z) or a day (2026-11-22), UTC");
        }
    }

    private static int number(String name, String value, int least) {
        try {
            int number = Integer.parseInt(value);
            if (number >= least) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw invalid(name, value, "a whole number of at least " + least);
    }

    private static IllegalArgumentException invalid(String name, String value, String allowed) {
        return new IllegalArgumentException("Invalid '" + name + "' query parameter '" + CrmCaptureRoutes.excerpt(value)
            + "': allowed values: " + allowed);
    }
}

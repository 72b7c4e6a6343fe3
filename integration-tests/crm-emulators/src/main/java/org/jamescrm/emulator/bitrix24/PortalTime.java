package org.jamescrm.emulator.bitrix24;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * The portal's clock and date formats: dates go out as ISO-8601 with the portal's offset, like PHP's
 * {@code date('c')} ({@code 2026-05-14T10:26:32+02:00}, never {@code Z}), and come in as ISO-8601
 * (with offset, {@code Z}, or local in the portal's zone) or in the portal's own format
 * {@code dd.MM.yyyy HH:mm:ss} (bitrix24-api §1.3, §2.2).
 */
final class PortalTime {
    private static final DateTimeFormatter OUT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");
    private static final List<DateTimeFormatter> LOCAL_DATE_TIMES = List.of(DateTimeFormatter.ISO_LOCAL_DATE_TIME,
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm[:ss]"), DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm[:ss]"));
    private static final List<DateTimeFormatter> LOCAL_DATES = List.of(DateTimeFormatter.ISO_LOCAL_DATE,
        DateTimeFormatter.ofPattern("dd.MM.yyyy"));

    private final Clock clock;

    PortalTime(Clock clock) {
        this.clock = clock;
    }

    Instant now() {
        return clock.instant();
    }

    ZoneId zone() {
        return clock.getZone();
    }

    /** Now, formatted as the portal writes date-times. */
    String nowText() {
        return format(now());
    }

    String format(Instant instant) {
        return OUT.format(instant.truncatedTo(ChronoUnit.SECONDS).atZone(zone()));
    }

    /** A date as the portal writes date fields: midnight in the portal's zone. */
    String formatDate(LocalDate date) {
        return OUT.format(date.atStartOfDay(zone()));
    }

    /** Parses a date-time the way the REST layer accepts it; empty when it is not one. */
    Optional<Instant> parse(String text) {
        String value = text.strip();
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(value).toInstant());
        } catch (DateTimeParseException notOffset) {
            // try the local forms below
        }
        for (DateTimeFormatter format : LOCAL_DATE_TIMES) {
            try {
                return Optional.of(LocalDateTime.parse(value, format).atZone(zone()).toInstant());
            } catch (DateTimeParseException notThisOne) {
                // next form
            }
        }
        for (DateTimeFormatter format : LOCAL_DATES) {
            try {
                return Optional.of(LocalDate.parse(value, format).atStartOfDay(zone()).toInstant());
            } catch (DateTimeParseException notThisOne) {
                // next form
            }
        }
        return Optional.empty();
    }

    /** The date part of a parsed value in the portal's zone. */
    LocalDate dateOf(Instant instant) {
        return instant.atZone(zone()).toLocalDate();
    }

    /** Unix seconds with microseconds, as {@code time.start} carries them. */
    static java.math.BigDecimal unix(Instant instant) {
        return java.math.BigDecimal.valueOf(instant.getEpochSecond()).add(java.math.BigDecimal.valueOf(instant.getNano() / 1000, 6));
    }
}

package org.jamescrm.emulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * A daily API budget in credits, in the two shapes CRMs use: per calendar day in the CRM's zone
 * (renewed at midnight, e.g. Zoho's per-day credits) or over a rolling 24 hours (each spend comes back
 * 24 h later, e.g. Salesforce's daily API requests). Calls may cost more than one credit. A refused
 * spend costs nothing. The zone of a calendar day is the clock's. Thread-safe.
 */
public final class DailyCredits {
    private static final Duration DAY = Duration.ofHours(24);

    private final long perDay;
    private final boolean rolling;
    private final Clock clock;
    private final Deque<Spend> spends = new ArrayDeque<>();
    private LocalDate day;
    private long spentToday;

    private record Spend(Instant at, long credits) {
    }

    private DailyCredits(long perDay, boolean rolling, Clock clock) {
        if (perDay < 1) {
            throw new IllegalArgumentException("credits per day must be at least 1, got " + perDay);
        }
        this.perDay = perDay;
        this.rolling = rolling;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** {@code perDay} credits for each calendar day in the clock's zone, renewed at midnight. */
    public static DailyCredits perCalendarDay(long perDay, Clock clock) {
        return new DailyCredits(perDay, false, clock);
    }

    /** {@code perDay} credits in any 24 hours: a spend comes back 24 hours after it was made. */
    public static DailyCredits rolling24Hours(long perDay, Clock clock) {
        return new DailyCredits(perDay, true, clock);
    }

    /** Spends {@code credits} now; false (and nothing spent) when fewer than that remain. */
    public synchronized boolean trySpend(long credits) {
        if (credits < 1) {
            throw new IllegalArgumentException("credits must be at least 1, got " + credits);
        }
        Instant now = clock.instant();
        if (remaining(now) < credits) {
            return false;
        }
        if (rolling) {
            spends.addLast(new Spend(now, credits));
        } else {
            spentToday += credits;
        }
        return true;
    }

    /** The credits left now. */
    public synchronized long remaining() {
        return remaining(clock.instant());
    }

    /** The credits a day holds. */
    public long perDay() {
        return perDay;
    }

    /**
     * When credits come back: the next midnight for a calendar day, or when the oldest spend of the
     * rolling 24 hours expires (now when nothing is spent).
     */
    public synchronized Instant renewsAt() {
        Instant now = clock.instant();
        remaining(now);
        if (rolling) {
            return spends.isEmpty() ? now : spends.peekFirst().at().plus(DAY);
        }
        return day.plusDays(1).atStartOfDay(clock.getZone()).toInstant();
    }

    private long remaining(Instant now) {
        if (rolling) {
            while (!spends.isEmpty() && !spends.peekFirst().at().plus(DAY).isAfter(now)) {
                spends.removeFirst();
            }
            return perDay - spends.stream().mapToLong(Spend::credits).sum();
        }
        LocalDate today = now.atZone(clock.getZone()).toLocalDate();
        if (!today.equals(day)) {
            day = today;
            spentToday = 0;
        }
        return perDay - spentToday;
    }

    /** Gives every credit back. */
    public synchronized void reset() {
        spends.clear();
        day = null;
        spentToday = 0;
    }
}

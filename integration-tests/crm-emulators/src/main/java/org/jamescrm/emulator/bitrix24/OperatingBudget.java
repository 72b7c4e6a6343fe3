package org.jamescrm.emulator.bitrix24;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The per-method execution-time limit (bitrix24-api §3.2): for each method and credential (webhook
 * or application) the time spent is summed in one-minute buckets over a sliding ten minutes; once the
 * sum exceeds the budget, the next call of that method from that credential is refused with 429
 * {@code OPERATION_TIME_LIMIT} until the oldest bucket expires ({@code operating_reset_at}). Each call
 * costs a configured, virtual duration, so tests control the limit with the emulator's clock. The
 * caller holds the emulator's lock.
 */
final class OperatingBudget {
    private static final long WINDOW_MINUTES = 10;

    private final Duration budget;
    private final Map<String, TreeMap<Long, Long>> nanosByMinute = new HashMap<>();

    OperatingBudget(Duration budget) {
        this.budget = budget;
    }

    private TreeMap<Long, Long> window(String key, Instant now) {
        TreeMap<Long, Long> buckets = nanosByMinute.computeIfAbsent(key, unused -> new TreeMap<>());
        long minute = now.getEpochSecond() / 60;
        buckets.headMap(minute - WINDOW_MINUTES + 1).clear();
        return buckets;
    }

    /** Whether the method is blocked for the credential at {@code now}. */
    boolean blocked(String credential, String method, Instant now) {
        return Duration.ofNanos(Math.round(seconds(credential, method, now) * 1e9)).compareTo(budget) > 0;
    }

    /** Adds one call's cost. */
    void spend(String credential, String method, Instant now, Duration cost) {
        window(credential + "|" + method, now).merge(now.getEpochSecond() / 60, cost.toNanos(), Long::sum);
    }

    /** The seconds spent in the window ({@code time.operating}). */
    double seconds(String credential, String method, Instant now) {
        return window(credential + "|" + method, now).values().stream().mapToLong(Long::longValue).sum() / 1e9;
    }

    /** When the oldest bucket of the window expires ({@code time.operating_reset_at}), unix seconds. */
    long resetAt(String credential, String method, Instant now) {
        TreeMap<Long, Long> buckets = window(credential + "|" + method, now);
        long oldest = buckets.isEmpty() ? now.getEpochSecond() / 60 : buckets.firstKey();
        return (oldest + WINDOW_MINUTES) * 60;
    }

    void reset() {
        nanosByMinute.clear();
    }
}

package org.jamescrm.emulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A fixed-window request limit, HubSpot's shape ("100 requests per 10 seconds"): windows of
 * {@code window} aligned on the epoch, at most {@code limit} requests in each; the next window starts
 * empty. A refused request does not count. Thread-safe, on an injected clock.
 */
public final class FixedWindow {
    private final int limit;
    private final long windowNanos;
    private final Clock clock;
    private long currentWindow = Long.MIN_VALUE;
    private int used;

    /** At most {@code limit} requests in each {@code window}, on {@code clock}. */
    public FixedWindow(int limit, Duration window, Clock clock) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, got " + window);
        }
        this.limit = limit;
        this.windowNanos = window.toNanos();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Counts one request now; false when the window is full and the request must be refused. */
    public synchronized boolean tryAcquire() {
        roll(clock.instant());
        if (used >= limit) {
            return false;
        }
        used++;
        return true;
    }

    /** The requests left in the current window. */
    public synchronized int remaining() {
        roll(clock.instant());
        return limit - used;
    }

    /** The requests a window allows. */
    public int limit() {
        return limit;
    }

    /** When the current window ends and the next starts empty. */
    public synchronized Instant windowEndsAt() {
        roll(clock.instant());
        long endNanos = Math.multiplyExact(currentWindow + 1, windowNanos);
        return Instant.ofEpochSecond(Math.floorDiv(endNanos, 1_000_000_000L), Math.floorMod(endNanos, 1_000_000_000L));
    }

    private void roll(Instant now) {
        long nanos = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
        long window = Math.floorDiv(nanos, windowNanos);
        if (window != currentWindow) {
            currentWindow = window;
            used = 0;
        }
    }

    /** Empties the current window. */
    public synchronized void reset() {
        currentWindow = Long.MIN_VALUE;
        used = 0;
    }
}

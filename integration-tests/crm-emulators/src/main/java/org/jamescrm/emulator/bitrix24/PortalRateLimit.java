package org.jamescrm.emulator.bitrix24;

import java.time.Duration;
import java.time.Instant;

/**
 * The portal's leaky bucket (bitrix24-api §3.1): every request adds one, the bucket drains at
 * {@code drainPerSecond}, and a request that would take it above {@code burst} is refused with
 * {@code QUERY_LIMIT_EXCEEDED}. A refused request does not fill the bucket (the document leaves this
 * open; this way a client that backs off for one drain step gets through). Time comes from the
 * emulator's clock; the caller holds the emulator's lock.
 */
final class PortalRateLimit {
    private final int burst;
    private final double drainPerSecond;
    private double level;
    private Instant last;

    PortalRateLimit(int burst, double drainPerSecond) {
        this.burst = burst;
        this.drainPerSecond = drainPerSecond;
    }

    /** Counts one request at {@code now}; false when the bucket is full and the request must be refused. */
    boolean tryAcquire(Instant now) {
        drain(now);
        if (level + 1 > burst + 1e-9) {
            return false;
        }
        level += 1;
        return true;
    }

    /** The current level after draining to {@code now}. */
    double level(Instant now) {
        drain(now);
        return level;
    }

    private void drain(Instant now) {
        if (last != null && now.isAfter(last)) {
            double seconds = Duration.between(last, now).toNanos() / 1e9;
            level = Math.max(0, level - seconds * drainPerSecond);
        }
        if (last == null || now.isAfter(last)) {
            last = now;
        }
    }

    void reset() {
        level = 0;
        last = null;
    }
}

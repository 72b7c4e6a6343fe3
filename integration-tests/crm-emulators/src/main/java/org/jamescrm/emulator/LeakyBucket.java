package org.jamescrm.emulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A leaky-bucket request limit, Bitrix24's shape: every request adds one, the bucket drains
 * continuously at {@code drainPerSecond}, and a request that would take it above {@code burst} is
 * refused. A refused request does not fill the bucket, so a client that backs off for one drain step
 * gets through. Time comes from an injected clock (or the instant passed in, e.g. a request's
 * arrival), so tests step a clock instead of sleeping. Thread-safe.
 */
public final class LeakyBucket {
    private final int burst;
    private final double drainPerSecond;
    private final Clock clock;
    private double level;
    private Instant last;

    /** A bucket of {@code burst} requests draining {@code drainPerSecond}, on {@code clock}. */
    public LeakyBucket(int burst, double drainPerSecond, Clock clock) {
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1, got " + burst);
        }
        if (!(drainPerSecond > 0) || Double.isInfinite(drainPerSecond)) {
            throw new IllegalArgumentException("drainPerSecond must be positive, got " + drainPerSecond);
        }
        this.burst = burst;
        this.drainPerSecond = drainPerSecond;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Counts one request now; false when the bucket is full and the request must be refused. */
    public boolean tryAcquire() {
        return tryAcquire(clock.instant());
    }

    /** Counts one request at {@code now}; false when the bucket is full and the request must be refused. */
    public synchronized boolean tryAcquire(Instant now) {
        drain(now);
        if (level + 1 > burst + 1e-9) {
            return false;
        }
        level += 1;
        return true;
    }

    /** The level now, after draining. */
    public synchronized double level() {
        drain(clock.instant());
        return level;
    }

    /** How long until one more request fits, zero when it fits now. */
    public synchronized Duration untilNextFits() {
        drain(clock.instant());
        double excess = level + 1 - burst;
        return excess <= 1e-9 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(excess / drainPerSecond * 1e9));
    }

    private void drain(Instant now) {
        if (last != null && now.isAfter(last)) {
            double seconds = Duration.between(last, now).toNanos() / 1e9;
            level = Math.max(0, level - seconds * drainPerSecond);
        }
        // a request stamped earlier than the last one (threads racing) drains nothing and moves nothing back
        if (last == null || now.isAfter(last)) {
            last = now;
        }
    }

    /** Empties the bucket. */
    public synchronized void reset() {
        level = 0;
        last = null;
    }
}

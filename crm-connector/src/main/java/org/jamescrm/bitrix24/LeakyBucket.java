package org.jamescrm.bitrix24;

import java.time.Clock;
import java.time.Duration;

/**
 * The client side of the portal's leaky bucket (bitrix24-api §3.1): every request adds one, the
 * bucket drains at {@code perSecond}, and a request that would overflow {@code capacity} waits
 * instead of being refused by the portal. One bucket is shared by every capture thread of a portal.
 * Time comes from a clock and waits go through a sleeper, so tests need no real sleeping.
 */
public final class LeakyBucket {
    private final double perSecond;
    private final int capacity;
    private final Clock clock;
    private final Sleeper sleeper;
    private double level;
    private long lastNanos;

    /** How a caller waits: {@code Thread::sleep} in production, a fake in tests. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    public LeakyBucket(double perSecond, int capacity, Clock clock, Sleeper sleeper) {
        this.perSecond = perSecond;
        this.capacity = capacity;
        this.clock = clock;
        this.sleeper = sleeper;
        this.lastNanos = nanos();
    }

    /** Waits until one more request fits, then counts it. */
    public void acquire() throws InterruptedException {
        Duration wait = reserve();
        if (!wait.isZero()) {
            sleeper.sleep(wait);
        }
    }

    /** Counts one request now and says how long the caller must wait before sending it. */
    synchronized Duration reserve() {
        drain(nanos());
        level += 1;
        double excess = level - capacity;
        return excess <= 0 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(excess / perSecond * 1e9));
    }

    /**
     * How long until {@code requests} sent at once cost nothing that waiting up to {@code horizon}
     * would save: until, after them, the bucket fits them and drains empty within {@code horizon}.
     * What drains from an empty bucket is budget lost, so requests it would refill anyway are free;
     * beyond that, a round sent now spends the burst that later, bigger rounds need.
     */
    synchronized Duration untilFree(int requests, Duration horizon) {
        drain(nanos());
        double after = level + requests;
        double over = Math.max(after - perSecond * horizon.toNanos() / 1e9, after - capacity);
        return over <= 0 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(over / perSecond * 1e9));
    }

    /**
     * How long until {@code requests} sent within the next {@code horizon} leave at least
     * {@code keep} of the bucket's room unspent at its end.
     */
    synchronized Duration untilAffordable(int requests, Duration horizon, int keep) {
        drain(nanos());
        double over = level + requests - perSecond * horizon.toNanos() / 1e9 - (capacity - keep);
        return over <= 0 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(over / perSecond * 1e9));
    }

    /** The most requests the bucket holds. */
    int capacity() {
        return capacity;
    }

    /** The bucket now: its level, capacity and refill, for the status route. */
    synchronized java.util.Map<String, Object> view() {
        drain(nanos());
        java.util.Map<String, Object> view = new java.util.LinkedHashMap<>();
        view.put("requestsPerSecond", perSecond);
        view.put("burst", capacity);
        view.put("level", Math.round(level * 10) / 10.0);
        view.put("free", Math.max(0, (int) Math.floor(capacity - level)));
        return view;
    }

    private void drain(long now) {
        level = Math.max(0, level - (now - lastNanos) / 1e9 * perSecond);
        lastNanos = now;
    }

    private long nanos() {
        java.time.Instant instant = clock.instant();
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}

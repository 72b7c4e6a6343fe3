package org.jamescrm.bitrix24;

import java.time.Clock;
import java.time.Duration;

import org.jamescrm.spi.RequestBudget;

/**
 * The client side of the portal's leaky bucket (bitrix24-api §3.1): every request adds one, the
 * bucket drains at {@code perSecond}, and a request that would overflow {@code capacity} waits
 * instead of being refused by the portal. One bucket is shared by every capture thread of a portal.
 * Time comes from a clock and waits go through a sleeper, so tests need no real sleeping.
 */
public final class LeakyBucket implements RequestBudget {
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

    @Override
    public synchronized Duration reserve() {
        drain(nanos());
        level += 1;
        return RequestBudget.overflowWait(level, capacity, perSecond);
    }

    /**
     * How long until {@code requests} sent at once cost nothing that waiting up to {@code horizon}
     * would save: until, after them, the bucket fits them and drains empty within {@code horizon}.
     * What drains from an empty bucket is budget lost, so requests it would refill anyway are free;
     * beyond that, a round sent now spends the burst that later, bigger rounds need.
     */
    @Override
    public synchronized Duration untilFree(int requests, Duration horizon) {
        drain(nanos());
        return RequestBudget.untilFree(level, capacity, perSecond, requests, horizon);
    }

    /**
     * How long until {@code requests} sent within the next {@code horizon} leave at least
     * {@code keep} of the bucket's room unspent at its end.
     */
    @Override
    public synchronized Duration untilAffordable(int requests, Duration horizon, int keep) {
        drain(nanos());
        return RequestBudget.untilAffordable(level, capacity, perSecond, requests, horizon, keep);
    }

    @Override
    public int capacity() {
        return capacity;
    }

    /** The bucket now: its level, capacity and refill, for the status route. */
    @Override
    public synchronized java.util.Map<String, Object> view() {
        drain(nanos());
        return RequestBudget.view(perSecond, capacity, level);
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

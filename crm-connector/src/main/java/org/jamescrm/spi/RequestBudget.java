package org.jamescrm.spi;

import java.time.Duration;

/**
 * A CRM account's request budget as a leaky bucket: every request adds one, the bucket drains at the
 * CRM's rate, and a request that would overflow it waits instead of being refused by the CRM.
 */
public interface RequestBudget {

    /** Counts one request now and says how long the caller must wait before sending it. */
    Duration reserve();

    /**
     * How long until {@code requests} sent at once cost nothing that waiting up to {@code horizon}
     * would save: until, after them, the bucket fits them and drains empty within {@code horizon}.
     */
    Duration untilFree(int requests, Duration horizon);

    /**
     * How long until {@code requests} sent within the next {@code horizon} leave at least
     * {@code keep} of the bucket's room unspent at its end.
     */
    Duration untilAffordable(int requests, Duration horizon, int keep);

    /** The most requests the bucket holds. */
    int capacity();

    /** The bucket now, for the status route: {@link #view(double, int, double)}. */
    java.util.Map<String, Object> view();

    /** The status route's view of a bucket: its refill, capacity, level and the requests it takes now. */
    static java.util.Map<String, Object> view(double perSecond, int capacity, double level) {
        java.util.Map<String, Object> view = new java.util.LinkedHashMap<>();
        view.put("requestsPerSecond", perSecond);
        view.put("burst", capacity);
        view.put("level", Math.round(level * 10) / 10.0);
        view.put("free", Math.max(0, (int) Math.floor(capacity - level)));
        return view;
    }

    /** The wait of a request that brought the bucket to {@code level}: what overflows, drained at {@code perSecond}. */
    static Duration overflowWait(double level, int capacity, double perSecond) {
        return drainTime(level - capacity, perSecond);
    }

    /** {@link #untilFree} of a bucket at {@code level}. */
    static Duration untilFree(double level, int capacity, double perSecond, int requests, Duration horizon) {
        double after = level + requests;
        return drainTime(Math.max(after - perSecond * horizon.toNanos() / 1e9, after - capacity), perSecond);
    }

    /** {@link #untilAffordable} of a bucket at {@code level}. */
    static Duration untilAffordable(double level, int capacity, double perSecond, int requests, Duration horizon, int keep) {
        return drainTime(level + requests - perSecond * horizon.toNanos() / 1e9 - (capacity - keep), perSecond);
    }

    /** How long {@code excess} requests take to drain; zero for none. */
    private static Duration drainTime(double excess, double perSecond) {
        return excess <= 0 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(excess / perSecond * 1e9));
    }
}

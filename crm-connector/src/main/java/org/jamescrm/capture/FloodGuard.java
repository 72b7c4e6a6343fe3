package org.jamescrm.capture;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.settings.FloodLimit;

/**
 * Counts captures per client address in a sliding window (capture-rules §3 FLOOD): the last guard
 * against mail loops and mail bombs. In memory: a restart forgets the counts, which only delays the
 * guard by one window.
 */
public final class FloodGuard {
    private final Clock clock;
    private final Map<EmailAddress, Deque<Instant>> captures = new ConcurrentHashMap<>();

    public FloodGuard(Clock clock) {
        this.clock = clock;
    }

    /** Whether {@code client} already has {@code limit.captures()} captures in the window. */
    public boolean exceeded(EmailAddress client, FloodLimit limit) {
        Deque<Instant> times = captures.get(client);
        if (times == null) {
            return false;
        }
        synchronized (times) {
            prune(times, limit);
            return times.size() >= limit.captures();
        }
    }

    /** Counts a capture for {@code client}. */
    public void record(EmailAddress client, FloodLimit limit) {
        Deque<Instant> times = captures.computeIfAbsent(client, key -> new ArrayDeque<>());
        synchronized (times) {
            prune(times, limit);
            times.addLast(clock.instant());
        }
    }

    private void prune(Deque<Instant> times, FloodLimit limit) {
        Instant oldest = clock.instant().minus(limit.window());
        while (!times.isEmpty() && times.peekFirst().isBefore(oldest)) {
            times.removeFirst();
        }
    }
}

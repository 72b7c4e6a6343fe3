package org.jamescrm.store;

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
 * guard by one window. The flood counters of the local store.
 */
public final class FloodGuard implements FloodCounters {
    private final Clock clock;
    private final Map<EmailAddress, Deque<Instant>> captures = new ConcurrentHashMap<>();

    public FloodGuard(Clock clock) {
        this.clock = clock;
    }

    @Override
    public java.util.Optional<Reservation> tryReserve(EmailAddress client, FloodLimit limit) {
        Deque<Instant> times = captures.computeIfAbsent(client, key -> new ArrayDeque<>());
        synchronized (times) {
            prune(times, limit);
            if (times.size() >= limit.captures()) {
                return java.util.Optional.empty();
            }
            Instant now = clock.instant();
            times.addLast(now);
            return java.util.Optional.of(new Reservation(client, now));
        }
    }

    @Override
    public boolean over(EmailAddress client, FloodLimit limit) {
        Deque<Instant> times = captures.get(client);
        if (times == null) {
            return false;
        }
        synchronized (times) {
            prune(times, limit);
            return times.size() >= limit.captures();
        }
    }

    @Override
    public void release(Reservation reservation) {
        Deque<Instant> times = captures.get(reservation.client());
        if (times != null) {
            synchronized (times) {
                times.removeLastOccurrence(reservation.at());
            }
        }
    }

    private void prune(Deque<Instant> times, FloodLimit limit) {
        Instant oldest = clock.instant().minus(limit.window());
        while (!times.isEmpty() && times.peekFirst().isBefore(oldest)) {
            times.removeFirst();
        }
    }
}

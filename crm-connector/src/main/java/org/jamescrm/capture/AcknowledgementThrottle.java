package org.jamescrm.capture;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.settings.Acknowledgement;

/**
 * Counts the acknowledgements sent to each client in a sliding window (capture-rules §8, at most
 * {@code perSender} in {@code window}, by default 5 in 2 hours): a client whose mail program opens a new
 * thread with every message, or a loop that slipped past the automated-mail checks, gets a few
 * acknowledgements, not one per mail. In memory: a restart forgets the counts, which at worst sends
 * one window's allowance again.
 */
public final class AcknowledgementThrottle {
    private final Clock clock;
    private final Map<EmailAddress, Deque<Instant>> sent = new ConcurrentHashMap<>();

    public AcknowledgementThrottle(Clock clock) {
        this.clock = clock;
    }

    /** Counts an acknowledgement to {@code client} unless the client had its allowance; check and count are one step. */
    public boolean tryAcquire(EmailAddress client, Acknowledgement acknowledgement) {
        Deque<Instant> times = sent.computeIfAbsent(client, key -> new ArrayDeque<>());
        synchronized (times) {
            Instant now = clock.instant();
            Instant oldest = now.minus(acknowledgement.window());
            while (!times.isEmpty() && !times.peekFirst().isAfter(oldest)) {
                times.removeFirst();
            }
            if (times.size() >= acknowledgement.perSender()) {
                return false;
            }
            times.addLast(now);
            return true;
        }
    }
}

package org.jamescrm.zoho;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Semaphore;

import org.jamescrm.spi.CrmUnavailableException;

/**
 * Zoho's limits kept on the client side, shared by every capture thread: the organisation's
 * concurrency (requests in flight at once; more are refused with 429) and its daily API credits, as
 * far as Zoho tells them ({@code X-API-CREDITS-REMAINING}, sent once half the day's credits are
 * spent). When the credits are spent, no request leaves until a probe a few minutes later, so the
 * captures wait in the capture queue instead of being refused one by one.
 */
final class ZohoLimits {
    /** How long requests are held after Zoho said the credits are spent, before one probes again. */
    static final Duration CREDITS_PROBE = Duration.ofMinutes(5);
    /** What to wait after a 429 that is not about credits (the concurrency gate): Zoho sends no Retry-After. */
    static final Duration CONCURRENCY_BACKOFF = Duration.ofSeconds(2);

    private final int concurrency;
    private final Semaphore inFlight;
    private final Clock clock;
    private OptionalLong creditsRemaining = OptionalLong.empty();
    private Instant creditsSeenAt;
    private Instant spentUntil;
    private long throttled;

    ZohoLimits(int concurrency, Clock clock) {
        this.concurrency = concurrency;
        this.inFlight = new Semaphore(concurrency, true);
        this.clock = clock;
    }

    /** Takes a place among the requests in flight; refuses at once while the credits are known to be spent. */
    void enter() throws CrmUnavailableException {
        Optional<Duration> spent = spentFor();
        if (spent.isPresent()) {
            throw new CrmUnavailableException("Zoho's API credits of the day are spent; captures wait in the queue (next try in "
                + spent.get().toSeconds() + " s)", spent, null);
        }
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CrmUnavailableException("interrupted while waiting for a request slot to Zoho", Optional.empty(), e);
        }
    }

    /** Frees the place. */
    void leave() {
        inFlight.release();
    }

    /** What an answer said of the credits: the header's value, or nothing (less than half spent). */
    synchronized void credits(Optional<String> remainingHeader) {
        creditsSeenAt = clock.instant();
        OptionalLong remaining = OptionalLong.empty();
        if (remainingHeader.isPresent()) {
            try {
                remaining = OptionalLong.of(Long.parseLong(remainingHeader.get().strip()));
            } catch (NumberFormatException notANumber) {
                // kept unknown
            }
        }
        creditsRemaining = remaining;
        if (remaining.isPresent() && remaining.getAsLong() <= 0) {
            spentUntil = creditsSeenAt.plus(CREDITS_PROBE);
        } else {
            spentUntil = null;
        }
    }

    /** A 429: how long to wait before trying again. */
    synchronized Duration throttled() {
        throttled++;
        if (creditsRemaining.isPresent() && creditsRemaining.getAsLong() <= 0) {
            spentUntil = clock.instant().plus(CREDITS_PROBE);
            return CREDITS_PROBE;
        }
        return CONCURRENCY_BACKOFF;
    }

    /** Whether Zoho reports credits (half or more of the day's spent), and how many remain. */
    synchronized OptionalLong creditsRemaining() {
        return creditsRemaining;
    }

    private synchronized Optional<Duration> spentFor() {
        if (spentUntil == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (!now.isBefore(spentUntil)) {
            spentUntil = null; // this request probes; its answer tells whether credits came back
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, spentUntil));
    }

    /** For the status route: the limits and what is used of them. */
    synchronized Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("concurrency", concurrency);
        view.put("requestsInFlight", concurrency - inFlight.availablePermits());
        view.put("creditsRemaining", creditsRemaining.isPresent() ? creditsRemaining.getAsLong() : null);
        view.put("creditsReported", creditsRemaining.isPresent() ? "by Zoho (half or more of the day's credits spent)"
            : "not yet: Zoho reports them once half of the day's credits are spent");
        view.put("creditsSeenAt", creditsSeenAt == null ? null : creditsSeenAt.toString());
        view.put("creditsSpentUntil", spentUntil == null ? null : spentUntil.toString());
        view.put("throttledAnswers", throttled);
        return view;
    }
}

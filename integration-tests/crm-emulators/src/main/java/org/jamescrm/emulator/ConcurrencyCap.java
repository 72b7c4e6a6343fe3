package org.jamescrm.emulator;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A cap on requests in progress at once, Zoho's and Salesforce's shape ("at most N concurrent
 * requests"): a request enters with a {@link Permit} and leaves by closing it; the request over the cap
 * is refused at once, not queued, as those CRMs answer it. Thread-safe.
 *
 * <pre>{@code
 * Optional<ConcurrencyCap.Permit> permit = cap.tryEnter();
 * if (permit.isEmpty()) return tooManyConcurrentRequests();
 * try (ConcurrencyCap.Permit held = permit.get()) { return answer(request); }
 * }</pre>
 */
public final class ConcurrencyCap {
    private final int max;
    private int inProgress;
    private int peak;

    /** At most {@code max} requests in progress at once. */
    public ConcurrencyCap(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, got " + max);
        }
        this.max = max;
    }

    /** A place for one request in progress; closing it (once; later closes do nothing) frees the place. */
    public final class Permit implements AutoCloseable {
        private final AtomicBoolean closed = new AtomicBoolean();

        private Permit() {
        }

        /** Frees the place. */
        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                leave();
            }
        }
    }

    /** Enters one request; empty when {@code max} are already in progress. */
    public synchronized Optional<Permit> tryEnter() {
        if (inProgress >= max) {
            return Optional.empty();
        }
        inProgress++;
        peak = Math.max(peak, inProgress);
        return Optional.of(new Permit());
    }

    private synchronized void leave() {
        inProgress--;
    }

    /** The requests in progress now. */
    public synchronized int inProgress() {
        return inProgress;
    }

    /** The most requests that were in progress at once. */
    public synchronized int peak() {
        return peak;
    }

    /** The cap. */
    public int max() {
        return max;
    }

    /** Forgets the peak; permits still held stay counted until closed. */
    public synchronized void reset() {
        peak = inProgress;
    }
}

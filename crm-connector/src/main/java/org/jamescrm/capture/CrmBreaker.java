package org.jamescrm.capture;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jamescrm.spi.CrmUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit breaker of one CRM connector. After {@code failures} consecutive capture rounds the
 * CRM failed without a hint of when to come back (down, unreachable, timing out) the breaker opens:
 * captures then wait without spending their retries, and once every {@code probe} one capture at a
 * time is let through to find out whether the CRM is back (half-open). A round the CRM answered
 * closes it. A refusal that says when to come back (a rate limit) shows the CRM is reachable
 * and counts as an answer.
 *
 * <p>Counted per round, not per capture: a round is one lookup and a few writes, so a hundred captures
 * failing on one unanswered lookup are one failure of the CRM, not a hundred. Hand-written rather than
 * taken from a resilience library: the breaker admits a capture before it is parsed, learns the CRM's
 * answer from the round the capture shared with others, and gives a probe back when its capture made
 * no CRM call (an excluded mail), which a per-call permission model does not express.
 */
public final class CrmBreaker {
    private static final Logger LOGGER = LoggerFactory.getLogger(CrmBreaker.class);

    /** The breaker's states, as the status route names them. */
    public enum State {
        /** The CRM answers: captures go through. */
        CLOSED,
        /** The CRM failed {@code failures} rounds in a row: captures wait, one probes every {@code probe}. */
        OPEN,
        /** One capture is finding out whether the CRM is back; the others wait. */
        HALF_OPEN;

        /** The state's name on the status route: {@code closed}, {@code open}, {@code half-open}. */
        public String word() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** What the breaker says to a capture taken off the queue. */
    public sealed interface Admission {
    }

    /**
     * Try the capture now.
     *
     * @param probe whether it is the one capture probing the CRM, to be {@linkplain #attemptEnded ended}
     */
    public record Attempt(boolean probe) implements Admission {
    }

    /**
     * The capture waits, without spending a retry; one put back in the queue waits {@link #waitForCrm}.
     *
     * @param untilProbe while open, how long until the next capture may probe the CRM; empty while a
     *                   probe runs, whose end {@linkplain #onChange the listeners} hear of
     */
    public record Wait(Optional<Duration> untilProbe) implements Admission {
    }

    /**
     * The breaker as the status route shows it.
     *
     * @param connector     the connector's name
     * @param state         the state
     * @param since         since when it is in that state
     * @param failures      the consecutive failed rounds
     * @param nextProbeAt   when the next capture may probe the CRM, while open
     */
    public record View(String connector, State state, Instant since, int failures, Optional<Instant> nextProbeAt) {
    }

    private final String connector;
    private final int threshold;
    private final Duration probe;
    private final Clock clock;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private State state = State.CLOSED;
    private Instant since;
    private Instant nextProbeAt;
    private int failures;

    /**
     * @param connector the connector's name, for the log and the status route
     * @param failures  the consecutive failed rounds that open the breaker (at least 1)
     * @param probe     how long the open breaker waits before a capture probes the CRM
     * @param clock     the clock
     */
    public CrmBreaker(String connector, int failures, Duration probe, Clock clock) {
        if (failures < 1) {
            throw new IllegalArgumentException("a breaker opens after at least one failure, not " + failures);
        }
        if (probe.isNegative()) {
            throw new IllegalArgumentException("a breaker cannot wait " + probe + " before probing");
        }
        this.connector = connector;
        this.threshold = failures;
        this.probe = probe;
        this.clock = clock;
        this.since = clock.instant();
        this.nextProbeAt = since;
    }

    /**
     * Whether a capture taken off the queue may be tried now. While open, the first capture after
     * {@code probe} probes the CRM and the others wait; a waiting capture put back in the queue comes
     * back at the next probe, so that once the CRM answers the backlog goes at once. The wait does not
     * grow with the outage: what bounds a long outage's trips through the queue is the consumer, which
     * holds the captures it took and takes no more.
     */
    public synchronized Admission admit() {
        Instant now = clock.instant();
        if (state == State.CLOSED) {
            return new Attempt(false);
        }
        if (state == State.OPEN && !now.isBefore(nextProbeAt)) {
            moveTo(State.HALF_OPEN, now);
            return new Attempt(true);
        }
        return new Wait(state == State.OPEN ? Optional.of(Duration.between(now, nextProbeAt)) : Optional.empty());
    }

    /**
     * Calls {@code listener} each time what {@link #admit} answers may have changed without time
     * passing: the breaker closed, or a probe ended and the breaker opened again. Called on the thread
     * that learnt it (a round's), outside the breaker's lock; a listener hands its work elsewhere.
     *
     * @return what removes the listener
     */
    public Runnable onChange(Runnable listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * How long a capture turned away now waits before it comes back: until the next probe, a probe
     * period while a probe runs; zero while closed.
     */
    public synchronized Duration waitForCrm() {
        if (state == State.CLOSED) {
            return Duration.ZERO;
        }
        // a failed probe opens the breaker for a probe period: one put back while it runs comes back at the next
        Instant now = clock.instant();
        return state == State.OPEN && now.isBefore(nextProbeAt) ? Duration.between(now, nextProbeAt) : probe;
    }

    /**
     * A capture let through has its outcome: when it was the probe and its round made no CRM call (an
     * excluded mail, an unreadable message), the next capture probes instead.
     */
    public void attemptEnded(Attempt attempt) {
        boolean changed;
        synchronized (this) {
            changed = attempt.probe() && state == State.HALF_OPEN;
            if (changed) {
                moveTo(State.OPEN, clock.instant());
                nextProbeAt = since; // the next capture probes: this one told nothing
            }
        }
        changed(changed);
    }

    /**
     * What a round of captures told of the CRM: answered (a decision, a refusal, a rate limit with its
     * hint), failed ({@link CrmUnavailableException} without a hint), or nothing (no CRM call).
     *
     * @param outcomes the round's outcomes of its capturable requests
     */
    public void roundRan(List<RoundOutcome> outcomes) {
        boolean answered = false;
        boolean failed = false;
        for (RoundOutcome outcome : outcomes) {
            if (outcome instanceof RoundOutcome.Failed failure && failure.cause() instanceof CrmUnavailableException unavailable
                && unavailable.retryAfter().isEmpty()) {
                failed = true;
            } else if (!(outcome instanceof RoundOutcome.Deferred)) {
                answered = true;
            }
        }
        if (answered) {
            answered();
        } else if (failed) {
            failed();
        }
    }

    /** The CRM answered: the breaker closes. */
    public void answered() {
        boolean changed;
        synchronized (this) {
            failures = 0;
            changed = state != State.CLOSED;
            if (changed) {
                LOGGER.info("The CRM ({}) answers again: captures flow", connector);
                moveTo(State.CLOSED, clock.instant());
            }
        }
        changed(changed);
    }

    /** The CRM failed a round: counted, and the breaker opens at the threshold or when the probe failed. */
    public void failed() {
        boolean probeEnded;
        synchronized (this) {
            failures++;
            probeEnded = state == State.HALF_OPEN;
            if (probeEnded || (state == State.CLOSED && failures >= threshold)) {
                LOGGER.warn("The CRM ({}) failed {} rounds in a row: captures wait without spending retries; "
                    + "one capture probes it every {}", connector, failures, probe);
                moveTo(State.OPEN, clock.instant());
                nextProbeAt = since.plus(probe);
            }
        }
        changed(probeEnded);
    }

    /** Whether the CRM is taken as reachable: only then does a failed attempt spend a retry. */
    public synchronized boolean closed() {
        return state == State.CLOSED;
    }

    /** The breaker now. */
    public synchronized View view() {
        return new View(connector, state, since, failures, state == State.OPEN ? Optional.of(nextProbeAt) : Optional.empty());
    }

    private void changed(boolean changed) {
        if (changed) {
            listeners.forEach(Runnable::run);
        }
    }

    private void moveTo(State next, Instant at) {
        state = next;
        since = at;
    }
}

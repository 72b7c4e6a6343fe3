package org.jamescrm.capture;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.jamescrm.spi.CrmUnavailableException;
import org.jamescrm.decisions.DecisionRecord;

/**
 * Gathers captures into rounds, up to a maximum size. A round starts at once when waiting saves
 * nothing: the connector says a round now costs its CRM the same as later
 * ({@link org.jamescrm.spi.CrmConnector#budgetWait}: always for a CRM without a request budget,
 * and for one whose budget has room). When the CRM's budget is what limits, a round waits for
 * company until the budget has room for it, it is full, or its oldest capture has waited
 * {@code roundWait}: every round then carries many captures, one CRM lookup and a few batched
 * writes for all of them, instead of spending the budget on many small rounds. One round runs at a
 * time, and captures handed over meanwhile make the next one. A capture deferred by its round goes
 * first into the next one.
 */
public final class CaptureRounds implements AutoCloseable {
    private final CaptureService service;
    private final int maxRoundSize;
    private final Duration roundWait;
    private final Deque<Submitted> waiting = new ArrayDeque<>();
    /** When the captures of the last {@code roundWait} were handed over ({@link System#nanoTime}), oldest first. */
    private final Deque<Long> handedOver = new ArrayDeque<>();
    /**
     * Guards {@code waiting}, {@code handedOver} and {@code closed}. A lock that parks its waiters at once,
     * not a monitor: the consumer threads hand captures over one by one, and a contended monitor's
     * spinning cost the delivering server measurable CPU per mail (JFR, delivery benchmark).
     */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Thread worker;
    private final CrmBreaker breaker;
    private boolean closed;

    /**
     * @param service      runs the rounds
     * @param maxRoundSize the most captures in one round
     * @param roundWait    the longest a capture waits for others to share its round while the CRM's
     *                     budget gains by it
     * @param threads      makes the thread that runs the rounds
     * @param breaker      told what each round showed of the CRM, before its captures learn their outcomes
     */
    public CaptureRounds(CaptureService service, int maxRoundSize, Duration roundWait, ThreadFactory threads, CrmBreaker breaker) {
        if (maxRoundSize < 1) {
            throw new IllegalArgumentException("a round holds at least one capture, not " + maxRoundSize);
        }
        if (roundWait.isNegative()) {
            throw new IllegalArgumentException("a round cannot wait " + roundWait);
        }
        this.service = service;
        this.maxRoundSize = maxRoundSize;
        this.roundWait = roundWait;
        this.breaker = breaker;
        this.worker = threads.newThread(this::runRounds);
        worker.start();
    }

    /** Rounds whose breaker no one consults. */
    public CaptureRounds(CaptureService service, int maxRoundSize, Duration roundWait, ThreadFactory threads) {
        this(service, maxRoundSize, roundWait, threads, new CrmBreaker("crm", Integer.MAX_VALUE, Duration.ZERO, java.time.Clock.systemUTC()));
    }

    /**
     * Hands a capture to the next round. The future completes with the decision, or exceptionally
     * with the {@link org.jamescrm.spi.CrmException} of a failed capture.
     */
    public CompletableFuture<DecisionRecord> submit(CaptureRequest request) {
        Submitted submitted = new Submitted(request, new CompletableFuture<>(), System.nanoTime());
        lock.lock();
        try {
            if (closed) {
                submitted.result.completeExceptionally(new CrmUnavailableException("the capture is shutting down"));
            } else {
                waiting.addLast(submitted);
                handedOver.addLast(submitted.handedOverAt());
                forgetHandOversBefore(submitted.handedOverAt() - roundWait.toNanos());
                changed.signal(); // one thread waits: the one running the rounds
            }
        } finally {
            lock.unlock();
        }
        return submitted.result;
    }

    private void runRounds() {
        while (true) {
            List<Submitted> round = nextRound();
            if (round.isEmpty()) {
                return;
            }
            List<RoundOutcome> outcomes;
            try {
                outcomes = service.captureRound(round.stream().map(Submitted::request).toList());
            } catch (RuntimeException e) {
                round.forEach(submitted -> submitted.result.completeExceptionally(e)); // a defect: the queue parks them
                continue;
            }
            List<RoundOutcome> capturable = new ArrayList<>();
            for (int i = 0; i < round.size(); i++) {
                if (round.get(i).request().classification().capturable()) {
                    capturable.add(outcomes.get(i));
                }
            }
            breaker.roundRan(capturable); // first: a capture acting on its outcome sees the breaker as the round left it
            List<Submitted> deferred = new ArrayList<>();
            for (int i = 0; i < round.size(); i++) {
                Submitted submitted = round.get(i);
                RoundOutcome outcome = outcomes.get(i);
                if (outcome instanceof RoundOutcome.Decided decided) {
                    submitted.result.complete(decided.record());
                } else if (outcome instanceof RoundOutcome.Failed failed) {
                    submitted.result.completeExceptionally(failed.cause());
                } else {
                    deferred.add(submitted);
                }
            }
            lock.lock();
            try {
                for (int i = deferred.size() - 1; i >= 0; i--) {
                    waiting.addFirst(deferred.get(i));
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Waits for a capture, then for as long as waiting saves the CRM's budget (a full round and the
     * oldest capture's {@code roundWait} end it), and takes the round; empty once closed.
     */
    private List<Submitted> nextRound() {
        lock.lock();
        try {
            while (!closed) {
                long wait = 0;
                if (!waiting.isEmpty()) {
                    int atPace = comingAtPace();
                    int arriving = Math.max(waiting.size(), atPace);
                    // on a cluster sharing the CRM's budget, a round waits as one server's would for as many captures;
                    // by the pace alone: the captures a long wait gathered are no faster pace
                    long longest = (long) (roundWait.toNanos() * service.roundWaitShare(atPace, roundWait));
                    long left = longest - (System.nanoTime() - waiting.peekFirst().handedOverAt());
                    if (waiting.size() >= maxRoundSize || left <= 0) {
                        break;
                    }
                    long budget = service.budgetWait(waiting.size(), arriving, roundWait).toNanos();
                    if (budget <= 0) {
                        break;
                    }
                    wait = Math.min(left, budget);
                }
                try {
                    if (waiting.isEmpty()) {
                        changed.await();
                    } else {
                        changed.awaitNanos(wait);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    closed = true;
                }
            }
            List<Submitted> round = new ArrayList<>();
            while (!closed && !waiting.isEmpty() && round.size() < maxRoundSize) {
                round.add(waiting.pollFirst());
            }
            return round;
        } finally {
            lock.unlock();
        }
    }

    /**
     * How many captures are likely to be handed over within the next {@code roundWait} at the pace
     * of those handed over within the last (over one second at least: a first capture is no burst);
     * called holding the lock. The captures waiting are at least as many likely to be in the round.
     */
    private int comingAtPace() {
        long now = System.nanoTime();
        long window = roundWait.toNanos();
        forgetHandOversBefore(now - window);
        if (handedOver.isEmpty()) {
            return 0;
        }
        long span = Math.max(now - handedOver.peekFirst(), Math.min(window, TimeUnit.SECONDS.toNanos(1)));
        return (int) Math.ceil(handedOver.size() * (double) window / Math.max(1, span));
    }

    /** Keeps the hand-overs of the last {@code roundWait} only; called holding the lock. */
    private void forgetHandOversBefore(long since) {
        while (!handedOver.isEmpty() && handedOver.peekFirst() - since < 0) {
            handedOver.pollFirst();
        }
    }

    /** Stops after the running round; captures still waiting fail as unavailable, for the queue to retry. */
    @Override
    public void close() {
        List<Submitted> abandoned;
        lock.lock();
        try {
            closed = true;
            abandoned = new ArrayList<>(waiting);
            waiting.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        abandoned.forEach(submitted -> submitted.result.completeExceptionally(
            new CrmUnavailableException("the capture is shutting down")));
        try {
            worker.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Submitted(CaptureRequest request, CompletableFuture<DecisionRecord> result, long handedOverAt) {
    }
}

package org.jamescrm.capture;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import org.jamescrm.spi.CrmUnavailableException;
import org.jamescrm.decisions.DecisionRecord;

/**
 * Gathers captures into rounds, up to a maximum size. On a quiet server (no round within the last
 * {@code roundWait}) a capture starts its round at once. Under load a round starts when it is full,
 * or when its oldest capture has waited {@code roundWait}: every round then carries many captures,
 * one CRM lookup and a few batched writes for all of them, instead of spending the CRM's request
 * budget on many small rounds. One round runs at a time. A capture deferred by its round goes first
 * into the next one.
 */
public final class CaptureRounds implements AutoCloseable {
    private final CaptureService service;
    private final int maxRoundSize;
    private final Duration roundWait;
    private final Deque<Submitted> waiting = new ArrayDeque<>();
    private final Thread worker;
    private boolean closed;
    /** When the last round ended ({@link System#nanoTime}); long ago at first. */
    private long lastRoundEnded;

    /**
     * @param service      runs the rounds
     * @param maxRoundSize the most captures in one round
     * @param roundWait    the longest a capture waits for others to share its round
     * @param threads      makes the thread that runs the rounds
     */
    public CaptureRounds(CaptureService service, int maxRoundSize, Duration roundWait, ThreadFactory threads) {
        if (maxRoundSize < 1) {
            throw new IllegalArgumentException("a round holds at least one capture, not " + maxRoundSize);
        }
        if (roundWait.isNegative()) {
            throw new IllegalArgumentException("a round cannot wait " + roundWait);
        }
        this.service = service;
        this.maxRoundSize = maxRoundSize;
        this.roundWait = roundWait;
        this.lastRoundEnded = System.nanoTime() - roundWait.toNanos() - 1;
        this.worker = threads.newThread(this::runRounds);
        worker.start();
    }

    /**
     * Hands a capture to the next round. The future completes with the decision, or exceptionally
     * with the {@link org.jamescrm.spi.CrmException} of a failed capture.
     */
    public CompletableFuture<DecisionRecord> submit(CaptureRequest request) {
        Submitted submitted = new Submitted(request, new CompletableFuture<>(), System.nanoTime());
        synchronized (waiting) {
            if (closed) {
                submitted.result.completeExceptionally(new CrmUnavailableException("the capture is shutting down"));
            } else {
                waiting.addLast(submitted);
                waiting.notifyAll();
            }
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
            } finally {
                synchronized (waiting) {
                    lastRoundEnded = System.nanoTime();
                }
            }
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
            synchronized (waiting) {
                for (int i = deferred.size() - 1; i >= 0; i--) {
                    waiting.addFirst(deferred.get(i));
                }
            }
        }
    }

    /** Waits for a full round or for the oldest capture's wait to end, and takes the round; empty once closed. */
    private List<Submitted> nextRound() {
        synchronized (waiting) {
            while (!closed) {
                long now = System.nanoTime();
                boolean quiet = now - lastRoundEnded > roundWait.toNanos();
                long left = waiting.isEmpty() ? 0 : roundWait.toNanos() - (now - waiting.peekFirst().handedOverAt());
                if (!waiting.isEmpty() && (quiet || waiting.size() >= maxRoundSize || left <= 0)) {
                    break;
                }
                try {
                    if (waiting.isEmpty()) {
                        waiting.wait();
                    } else {
                        TimeUnit.NANOSECONDS.timedWait(waiting, left);
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
        }
    }

    /** Stops after the running round; captures still waiting fail as unavailable, for the queue to retry. */
    @Override
    public void close() {
        List<Submitted> abandoned;
        synchronized (waiting) {
            closed = true;
            abandoned = new ArrayList<>(waiting);
            waiting.clear();
            waiting.notifyAll();
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

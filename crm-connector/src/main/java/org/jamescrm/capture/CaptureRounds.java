package org.jamescrm.capture;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;

import org.jamescrm.spi.CrmUnavailableException;

/**
 * Gathers the captures handed over while a round runs into the next round, up to a maximum size:
 * under load every round carries many captures (one CRM lookup and a few batched writes for all of
 * them), while a lone capture on a quiet server runs at once. One round runs at a time. A
 * capture deferred by its round goes first into the next one.
 */
public final class CaptureRounds implements AutoCloseable {
    private final CaptureService service;
    private final int maxRoundSize;
    private final Deque<Submitted> waiting = new ArrayDeque<>();
    private final Thread worker;
    private boolean closed;

    /**
     * @param service      runs the rounds
     * @param maxRoundSize the most captures in one round
     * @param threads      makes the thread that runs the rounds
     */
    public CaptureRounds(CaptureService service, int maxRoundSize, ThreadFactory threads) {
        if (maxRoundSize < 1) {
            throw new IllegalArgumentException("a round holds at least one capture, not " + maxRoundSize);
        }
        this.service = service;
        this.maxRoundSize = maxRoundSize;
        this.worker = threads.newThread(this::runRounds);
        worker.start();
    }

    /**
     * Hands a capture to the next round. The future completes with the decision, or exceptionally
     * with the {@link org.jamescrm.spi.CrmException} of a failed capture.
     */
    public CompletableFuture<DecisionRecord> submit(CaptureRequest request) {
        Submitted submitted = new Submitted(request, new CompletableFuture<>());
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

    /** Waits for captures and takes up to a round of them; empty once closed. */
    private List<Submitted> nextRound() {
        synchronized (waiting) {
            while (waiting.isEmpty() && !closed) {
                try {
                    waiting.wait();
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

    private record Submitted(CaptureRequest request, CompletableFuture<DecisionRecord> result) {
    }
}

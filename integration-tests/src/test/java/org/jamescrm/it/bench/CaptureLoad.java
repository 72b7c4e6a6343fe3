package org.jamescrm.it.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jamescrm.capture.CaptureRequest;
import org.jamescrm.capture.CaptureRounds;
import org.jamescrm.decisions.DecisionRecord;
import org.jamescrm.spi.CrmUnavailableException;

/**
 * Offers captures to the capture rounds at a steady rate, as a busy mail server's capture queue
 * does, and retries a capture the CRM could not take after a delay, as the queue does. Measures
 * each capture from its first hand-over to its decision.
 */
public final class CaptureLoad {
    private final java.util.function.Function<CaptureRequest, CompletableFuture<DecisionRecord>> rounds;
    private final Duration retryDelay;
    private final int maxAttempts;

    /**
     * @param rounds      the capture rounds under load
     * @param retryDelay  the wait before a capture the CRM could not take is handed over again
     * @param maxAttempts attempts per capture before it counts as lost
     */
    public CaptureLoad(CaptureRounds rounds, Duration retryDelay, int maxAttempts) {
        this(rounds::submit, retryDelay, maxAttempts);
    }

    /**
     * @param servers hands a capture to the rounds of one server of a cluster
     */
    public CaptureLoad(java.util.function.Function<CaptureRequest, CompletableFuture<DecisionRecord>> servers, Duration retryDelay,
                       int maxAttempts) {
        this.rounds = servers;
        this.retryDelay = retryDelay;
        this.maxAttempts = maxAttempts;
    }

    /**
     * The outcome of a run.
     *
     * @param decisions   the decision of each capture, in the order of the requests (null when lost)
     * @param latencies   hand-over to decision of each decided capture, retries included
     * @param retries     hand-overs after a failure
     * @param lost        captures still failing after the last attempt
     * @param elapsed     first hand-over to last decision
     */
    public record Result(List<DecisionRecord> decisions, List<Duration> latencies, int retries, int lost, Duration elapsed) {

        /** Decided captures per second over the whole run. */
        public double capturesPerSecond() {
            return latencies.size() / (elapsed.toNanos() / 1e9);
        }

        /** The latency below which {@code percent} % of the captures were decided. */
        public Duration percentile(double percent) {
            List<Duration> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            return sorted.isEmpty() ? Duration.ZERO : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percent / 100 * sorted.size()) - 1));
        }
    }

    /**
     * Hands the requests over at {@code perSecond} (all at once when not positive) and waits for
     * every decision.
     */
    public Result run(List<CaptureRequest> requests, double perSecond) throws InterruptedException {
        DecisionRecord[] decisions = new DecisionRecord[requests.size()];
        Duration[] latencies = new Duration[requests.size()];
        AtomicInteger retries = new AtomicInteger();
        AtomicInteger lost = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(requests.size());
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
        long start = System.nanoTime();
        AtomicLong finished = new AtomicLong();
        try {
            for (int i = 0; i < requests.size(); i++) {
                int index = i;
                long due = perSecond > 0 ? (long) (i / perSecond * 1e9) : 0;
                timer.schedule(() -> handOver(requests.get(index), index, 1, System.nanoTime(), timer, decisions, latencies, retries,
                    lost, done, finished), due, TimeUnit.NANOSECONDS);
            }
            if (!done.await(30, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the captures did not finish within 30 minutes");
            }
        } finally {
            timer.shutdownNow();
        }
        List<Duration> decided = new ArrayList<>();
        for (Duration latency : latencies) {
            if (latency != null) {
                decided.add(latency);
            }
        }
        return new Result(java.util.Arrays.asList(decisions), decided, retries.get(), lost.get(), Duration.ofNanos(finished.get() - start));
    }

    private void handOver(CaptureRequest request, int index, int attempt, long firstHandOver, ScheduledExecutorService timer,
                          DecisionRecord[] decisions, Duration[] latencies, AtomicInteger retries, AtomicInteger lost,
                          CountDownLatch done, AtomicLong finished) {
        CompletableFuture<DecisionRecord> result = rounds.apply(request);
        result.whenComplete((decision, error) -> {
            if (error == null) {
                decisions[index] = decision;
                latencies[index] = Duration.ofNanos(System.nanoTime() - firstHandOver);
                finish(done, finished);
            } else if (error.getCause() instanceof CrmUnavailableException || error instanceof CrmUnavailableException) {
                if (attempt >= maxAttempts) {
                    lost.incrementAndGet();
                    finish(done, finished);
                } else {
                    retries.incrementAndGet();
                    timer.schedule(() -> handOver(request, index, attempt + 1, firstHandOver, timer, decisions, latencies, retries, lost,
                        done, finished), retryDelay.toNanos(), TimeUnit.NANOSECONDS);
                }
            } else {
                lost.incrementAndGet();
                finish(done, finished);
            }
        });
    }

    private static void finish(CountDownLatch done, AtomicLong finished) {
        finished.accumulateAndGet(System.nanoTime(), Math::max);
        done.countDown();
    }
}

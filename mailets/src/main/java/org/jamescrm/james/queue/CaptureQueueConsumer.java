package org.jamescrm.james.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.queue.api.MailQueue;
import org.apache.mailet.Mail;
import org.jamescrm.capture.CaptureMetrics;
import org.jamescrm.capture.CrmBreaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Takes captures off the capture queue and acts on each attempt's outcome: done when decided,
 * put back to wait while the CRM is unavailable and retries remain, parked otherwise. The queue is
 * the only owner of waiting captures; nothing here sleeps.
 *
 * <p><b>Waits hold whatever the queue.</b> A capture put back carries when it is due again (a mail
 * attribute) as well as the queue's delay. A queue that delivers it sooner (James's RabbitMQ queue
 * ignores delays) does not make it an attempt: the capture is held, without a thread, by a timer,
 * until it is due, at most {@link #HOLD_LONGEST}, and put back again if still early then. Held
 * captures take the consumer's places in flight ({@code roundSize} and one a consumer thread): when
 * all are taken the consumer takes nothing more off the queue, so memory stays bounded and nothing
 * spins; a capture that waits hours goes through the queue once every {@link #HOLD_LONGEST}, not in
 * a loop.
 *
 * <p><b>What a failure costs.</b> A retry ({@code maxRetries}) is spent only by an attempt that failed
 * on a CRM taken as reachable (its {@link CrmBreaker} closed). A refusal that says when to come back
 * (a rate limit: Retry-After, Bitrix24's {@code operating_reset_at}, the bucket's drain time) waits
 * exactly that and spends nothing.
 *
 * <p><b>While the breaker is open</b> a capture taken off the queue is not attempted: it is held, by a
 * timer, until the next probe, the breaker's next change (closed, or a probe ended) or {@link #HOLD_LONGEST},
 * then admitted again, and put back in the queue only if the breaker still turns it away after the
 * longest hold. Held captures fill the places in flight, so the rest of the backlog stays in the queue
 * untouched: a queue that copies what it is handed (James's memory queue clones each mail) is not
 * handed the whole backlog again at every probe, and when the CRM answers, the held captures go at once.
 */
public class CaptureQueueConsumer implements AutoCloseable {
    /** The longest a capture is held in memory (delivered early, or turned away by the open breaker) before it goes back to the queue. */
    static final Duration HOLD_LONGEST = Duration.ofMinutes(1);
    private static final Logger LOGGER = LoggerFactory.getLogger(CaptureQueueConsumer.class);

    private final MailQueue queue;
    private final CaptureDeliverer deliverer;
    private final CaptureParker parker;
    private final CaptureQueueConfiguration configuration;
    private final CaptureMetrics metrics;
    private final CrmBreaker breaker;
    private final Clock clock;
    private final Duration holdLongest;
    private Scheduler scheduler;
    private Scheduler dequeuer;
    private Disposable subscription;
    /** Fires when the breaker closes or a probe ends: held captures ask again then. */
    private final Sinks.Many<Boolean> breakerChanges = Sinks.many().multicast().directBestEffort();
    /** How many changes the breaker has told of: a change between an admission and the wait for the next one is not lost. */
    private final AtomicLong breakerChangeCount = new AtomicLong();
    private Runnable breakerListener = () -> { };

    /**
     * @param queue         the capture queue
     * @param deliverer     makes one attempt
     * @param parker        parks what cannot be captured
     * @param configuration the queue's parameters
     * @param metrics       counts retries
     * @param breaker       the connector's circuit breaker
     * @param clock         the clock of the due times
     */
    public CaptureQueueConsumer(MailQueue queue, CaptureDeliverer deliverer, CaptureParker parker,
                                CaptureQueueConfiguration configuration, CaptureMetrics metrics, CrmBreaker breaker, Clock clock) {
        this(queue, deliverer, parker, configuration, metrics, breaker, clock, HOLD_LONGEST);
    }

    CaptureQueueConsumer(MailQueue queue, CaptureDeliverer deliverer, CaptureParker parker, CaptureQueueConfiguration configuration,
                         CaptureMetrics metrics, CrmBreaker breaker, Clock clock, Duration holdLongest) {
        this.queue = queue;
        this.deliverer = deliverer;
        this.parker = parker;
        this.configuration = configuration;
        this.metrics = metrics;
        this.breaker = breaker;
        this.clock = clock;
        this.holdLongest = holdLongest;
    }

    /** A consumer with the configured breaker and the system clock, counting nothing. */
    public CaptureQueueConsumer(MailQueue queue, CaptureDeliverer deliverer, CaptureParker parker,
                                CaptureQueueConfiguration configuration) {
        this(queue, deliverer, parker, configuration, CaptureMetrics.NONE,
            new CrmBreaker("crm", configuration.breakerFailures(), configuration.breakerProbe(), Clock.systemUTC()), Clock.systemUTC());
    }

    /**
     * Starts consuming: {@code consumerThreads} threads parse mails and act on outcomes, and up to a
     * round of captures and one a thread are in flight (or held until due). Not more: after an outage
     * the whole backlog comes due at once, and each capture in flight holds its parsed message until
     * its round ends, which is what a heap already full of the outage's garbage must find room for.
     */
    public void start() {
        int threads = configuration.consumerThreads();
        scheduler = Schedulers.newBoundedElastic(threads, 10_000, "crm-capture-" + configuration.queue().asString());
        // a thread of its own for taking mails off the queue, as James's spooler has: a JMS queue (ActiveMQ)
        // blocks in receive() the thread that asks it for the next mail, which must be neither James's start
        // nor a consumer thread (the captures in flight wait for those to act on their outcomes). Placed
        // before the flatMap, subscribeOn also moves there the request the flatMap makes as each capture ends.
        dequeuer = Schedulers.newBoundedElastic(1, 10_000, "crm-capture-dequeue-" + configuration.queue().asString());
        breakerListener = breaker.onChange(() -> {
            breakerChangeCount.incrementAndGet();
            breakerChanges.tryEmitNext(true); // should it fail, held captures have their timers
        });
        subscription = Flux.from(queue.deQueue())
            .subscribeOn(dequeuer)
            .flatMap(this::handle, configuration.roundSize() + threads)
            .subscribe();
    }

    /** A capture taken off the queue: held while early, else attempted or put back by the breaker. */
    private Mono<Void> handle(MailQueue.MailQueueItem item) {
        Instant taken = clock.instant();
        Duration early = early(item.getMail());
        if (early.isZero()) {
            return attempt(item, taken);
        }
        Duration held = early.compareTo(holdLongest) > 0 ? holdLongest : early;
        return Mono.delay(held) // a timer, not a thread
            .then(Mono.defer(() -> early(item.getMail()).isZero() ? attempt(item, taken) : putBackWhenDue(item)));
    }

    /** How long before the capture is due; zero when it is (or carries no due time). */
    private Duration early(Mail mail) {
        Instant now = clock.instant();
        return CaptureAttributes.dueAt(mail).filter(now::isBefore).map(due -> Duration.between(now, due)).orElse(Duration.ZERO);
    }

    /** Attempts the capture taken off the queue at {@code taken}, or holds it while the breaker turns it away. */
    private Mono<Void> attempt(MailQueue.MailQueueItem item, Instant taken) {
        long changesSeen = breakerChangeCount.get();
        CrmBreaker.Admission admission = breaker.admit();
        if (admission instanceof CrmBreaker.Wait wait) {
            Duration holdLeft = holdLongest.minus(Duration.between(taken, clock.instant()));
            if (holdLeft.isNegative() || holdLeft.isZero()) {
                Duration untilCrm = breaker.waitForCrm();
                return Mono.<Void>fromRunnable(() -> putBack(item, untilCrm, "the CRM's circuit breaker is open"))
                    .subscribeOn(scheduler);
            }
            Duration hold = wait.untilProbe().filter(untilProbe -> untilProbe.compareTo(holdLeft) < 0).orElse(holdLeft);
            // a timer and a signal, not a thread; subscribed in this order: a change told between the admission and
            // the subscription to the changes was heard by no one, so the count is read last and the capture asks again at once
            return Mono.firstWithSignal(Mono.delay(hold).then(), breakerChanges.asFlux().next().then(),
                    Mono.defer(() -> breakerChangeCount.get() == changesSeen ? Mono.<Void>never() : Mono.<Void>empty()))
                .publishOn(scheduler)
                .then(Mono.defer(() -> attempt(item, taken)));
        }
        CrmBreaker.Attempt attempt = (CrmBreaker.Attempt) admission;
        return Mono.defer(() -> Mono.fromFuture(deliverer.deliver(item.getMail())))
            .subscribeOn(scheduler)
            .publishOn(scheduler) // the outcome is acted on here, not on the thread running the rounds
            .onErrorResume(error -> Mono.just(new CaptureOutcome.Rejected("unexpected error: " + error)))
            .doOnNext(outcome -> {
                breaker.attemptEnded(attempt);
                complete(item, outcome);
            })
            .then();
    }

    void complete(MailQueue.MailQueueItem item, CaptureOutcome outcome) {
        Mail mail = item.getMail();
        settle(item, () -> {
            if (outcome instanceof CaptureOutcome.RetryLater retry) {
                retryOrPark(mail, retry);
            } else if (outcome instanceof CaptureOutcome.Rejected rejected) {
                parker.park(mail, rejected.reason(), CaptureAttributes.attempts(mail) + 1);
            }
        });
    }

    /** Puts an early capture back with what is left of its wait; its due time stays. */
    private Mono<Void> putBackWhenDue(MailQueue.MailQueueItem item) {
        return Mono.<Void>fromRunnable(() -> settle(item, () -> queue.enQueue(item.getMail(), early(item.getMail()))))
            .subscribeOn(scheduler);
    }

    /** Puts a capture back to wait {@code wait}, spending no retry. */
    void putBack(MailQueue.MailQueueItem item, Duration wait, String why) {
        settle(item, () -> enqueueDue(item.getMail(), wait, why));
    }

    private void retryOrPark(Mail mail, CaptureOutcome.RetryLater retry) throws Exception {
        if (retry.retryAfter().isPresent()) {
            // the CRM said when: it is reachable and refuses for now (a rate limit); no retry step is spent
            enqueueDue(mail, retry.retryAfter().get(), "the CRM asked to come back later: " + retry.reason());
            return;
        }
        if (!breaker.closed()) {
            // the CRM is taken as down: waiting for it spends no retry, whatever the outage's length
            enqueueDue(mail, breaker.waitForCrm(), "the CRM is unavailable and its circuit breaker open: " + retry.reason());
            return;
        }
        int retries = CaptureAttributes.attempts(mail) + 1;
        if (retries > configuration.maxRetries()) {
            parker.park(mail, "the CRM stayed unavailable after " + configuration.maxRetries() + " retries: " + retry.reason(), retries);
            return;
        }
        Duration delay = configuration.delayBeforeRetry(retries);
        CaptureAttributes.setAttempts(mail, retries);
        enqueueDue(mail, delay, "retry " + retries + " of " + configuration.maxRetries() + ": " + retry.reason());
        metrics.retried();
    }

    private void enqueueDue(Mail mail, Duration wait, String why) throws Exception {
        CaptureAttributes.setDueAt(mail, clock.instant().plus(wait));
        LOGGER.info("Capture of mail {} waits {}: {}", mail.getName(), wait, why);
        queue.enQueue(mail, wait);
    }

    /** Does {@code action}, then tells the queue the item is done, or to redeliver it when {@code action} failed. */
    private void settle(MailQueue.MailQueueItem item, Action action) {
        Mail mail = item.getMail();
        try {
            action.run();
            item.done(MailQueue.MailQueueItem.CompletionStatus.SUCCESS);
        } catch (Exception e) {
            // the queue redelivers the item; the capture key makes the redelivery harmless
            LOGGER.error("Capture of mail {} failed to complete; the queue redelivers it", mail.getName(), e);
            try {
                item.done(MailQueue.MailQueueItem.CompletionStatus.RETRY);
            } catch (Exception done) {
                LOGGER.error("Cannot hand mail {} back to the capture queue", mail.getName(), done);
            }
        } finally {
            LifecycleUtil.dispose(mail); // dequeued mails hold releasable MIME content
        }
    }

    /** What settling an item does before it is done. */
    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }

    @Override
    public void close() {
        breakerListener.run();
        if (subscription != null) {
            subscription.dispose();
        }
        if (scheduler != null) {
            scheduler.dispose();
        }
        if (dequeuer != null) {
            dequeuer.dispose();
        }
    }
}

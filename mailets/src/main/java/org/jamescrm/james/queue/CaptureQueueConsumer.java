package org.jamescrm.james.queue;

import java.time.Duration;

import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.queue.api.MailQueue;
import org.apache.mailet.Mail;
import org.jamescrm.capture.CaptureMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Takes captures off the capture queue and acts on each attempt's outcome: done when decided,
 * re-enqueued with a delay while the CRM is unavailable and retries remain, parked otherwise. The
 * queue is the only owner of retries; nothing here sleeps.
 */
public class CaptureQueueConsumer implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(CaptureQueueConsumer.class);

    private final MailQueue queue;
    private final CaptureDeliverer deliverer;
    private final CaptureParker parker;
    private final CaptureQueueConfiguration configuration;
    private final CaptureMetrics metrics;
    private Scheduler scheduler;
    private Scheduler dequeuer;
    private Disposable subscription;

    public CaptureQueueConsumer(MailQueue queue, CaptureDeliverer deliverer, CaptureParker parker,
                                CaptureQueueConfiguration configuration, CaptureMetrics metrics) {
        this.queue = queue;
        this.deliverer = deliverer;
        this.parker = parker;
        this.configuration = configuration;
        this.metrics = metrics;
    }

    public CaptureQueueConsumer(MailQueue queue, CaptureDeliverer deliverer, CaptureParker parker,
                                CaptureQueueConfiguration configuration) {
        this(queue, deliverer, parker, configuration, CaptureMetrics.NONE);
    }

    /**
     * Starts consuming: {@code consumerThreads} threads parse mails and act on outcomes, and up to
     * two rounds of captures are in flight, so the next round fills while one runs.
     */
    public void start() {
        int threads = configuration.consumerThreads();
        scheduler = Schedulers.newBoundedElastic(threads, 10_000, "crm-capture-" + configuration.queue().asString());
        // a thread of its own for taking mails off the queue, as James's spooler has: a JMS queue
        // (ActiveMQ) blocks the subscribing thread in receive(), which must not be James's start
        dequeuer = Schedulers.newBoundedElastic(1, 10_000, "crm-capture-dequeue-" + configuration.queue().asString());
        subscription = Flux.from(queue.deQueue())
            .flatMap(item -> Mono.defer(() -> Mono.fromFuture(deliverer.deliver(item.getMail())))
                .subscribeOn(scheduler)
                .publishOn(scheduler) // the outcome is acted on here, not on the thread running the rounds
                .doOnNext(outcome -> complete(item, outcome))
                .onErrorResume(error -> {
                    complete(item, new CaptureOutcome.Rejected("unexpected error: " + error));
                    return Mono.empty();
                }), 2 * configuration.roundSize())
            .subscribeOn(dequeuer)
            .subscribe();
    }

    void complete(MailQueue.MailQueueItem item, CaptureOutcome outcome) {
        Mail mail = item.getMail();
        try {
            if (outcome instanceof CaptureOutcome.RetryLater retry) {
                retryOrPark(mail, retry);
            } else if (outcome instanceof CaptureOutcome.Rejected rejected) {
                parker.park(mail, rejected.reason());
            }
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

    private void retryOrPark(Mail mail, CaptureOutcome.RetryLater retry) throws Exception {
        int retries = CaptureAttributes.attempts(mail) + 1;
        if (retries > configuration.maxRetries()) {
            parker.park(mail, "the CRM stayed unavailable after " + configuration.maxRetries() + " retries: " + retry.reason());
            return;
        }
        Duration configured = configuration.delayBeforeRetry(retries);
        Duration delay = retry.retryAfter().filter(after -> after.compareTo(configured) > 0).orElse(configured);
        CaptureAttributes.setAttempts(mail, retries);
        LOGGER.info("Capture of mail {} retries in {} (retry {} of {}): {}", mail.getName(), delay, retries,
            configuration.maxRetries(), retry.reason());
        queue.enQueue(mail, delay);
        metrics.retried();
    }

    @Override
    public void close() {
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

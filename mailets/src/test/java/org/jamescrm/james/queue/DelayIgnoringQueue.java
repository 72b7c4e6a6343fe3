package org.jamescrm.james.queue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueName;
import org.apache.mailet.Mail;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A mail queue that ignores delays as James's RabbitMQ queue does ("Ignored delay"): a mail enqueued
 * with a delay is delivered at once. It counts what it delivers.
 */
final class DelayIgnoringQueue implements MailQueue {
    private final Sinks.Many<MailQueueItem> items = Sinks.many().unicast().onBackpressureBuffer();
    private final AtomicInteger dequeued = new AtomicInteger();
    private final List<Duration> delays = new CopyOnWriteArrayList<>();

    @Override
    public MailQueueName getName() {
        return MailQueueName.of("crm-capture");
    }

    @Override
    public synchronized void enQueue(Mail mail, Duration delay) throws MailQueueException {
        delays.add(delay);
        try {
            Mail copy = mail.duplicate(); // a queue keeps its own copy, as James's do
            items.emitNext(new Item(copy), Sinks.EmitFailureHandler.FAIL_FAST);
        } catch (jakarta.mail.MessagingException e) {
            throw new MailQueueException("cannot copy " + mail.getName(), e);
        }
    }

    @Override
    public void enQueue(Mail mail) throws MailQueueException {
        enQueue(mail, Duration.ZERO);
    }

    @Override
    public Publisher<Void> enqueueReactive(Mail mail) {
        return Mono.fromRunnable(() -> {
            try {
                enQueue(mail);
            } catch (MailQueueException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Override
    public Publisher<MailQueueItem> deQueue() {
        return items.asFlux().doOnNext(item -> dequeued.incrementAndGet());
    }

    /** How many mails the consumer took off the queue. */
    int dequeued() {
        return dequeued.get();
    }

    /** The delays the mails were handed with, in order (ignored). */
    List<Duration> delays() {
        return List.copyOf(delays);
    }

    @Override
    public void close() {
    }

    private record Item(Mail mail) implements MailQueueItem {
        @Override
        public Mail getMail() {
            return mail;
        }

        @Override
        public void done(CompletionStatus status) {
        }
    }
}

package org.jamescrm.james.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueName;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.jamescrm.capture.CaptureMetrics;
import org.jamescrm.capture.CrmBreaker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Mono;

/**
 * The capture queue on a queue that blocks the thread asking it for the next mail until one comes, as
 * James's JMS queue (ActiveMQ) does in {@code receive()}: the wait happens on the consumer's dequeuing
 * thread, never on the threads that act on the outcomes of the captures in flight, which would then wait
 * behind it for as long as no mail comes.
 */
class BlockingQueueConsumerTest {
    final BlockingMailQueue queue = new BlockingMailQueue();
    final CaptureDeliverer deliverer = mock(CaptureDeliverer.class);
    CaptureQueueConsumer consumer;

    @AfterEach
    void tearDown() {
        if (consumer != null) {
            consumer.close();
        }
    }

    @Test
    void theQueueShouldBeWaitedOnByTheDequeuingThreadOnlyAndEveryOutcomeActedOn() throws Exception {
        // the CRM answers a little later, on a thread of its own, as a round does
        when(deliverer.deliver(any())).thenAnswer(invocation -> CompletableFuture.supplyAsync(
            () -> new CaptureOutcome.Decided(DelayIgnoringQueueConsumerTest.decision(invocation.<Mail>getArgument(0).getName())),
            CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS)));
        // one consumer thread: whatever blocks it holds up every outcome
        CaptureQueueConfiguration configuration = DelayIgnoringQueueConsumerTest.configuration(1, 2, List.of(Duration.ofSeconds(1)), 5,
            Duration.ofSeconds(30));
        consumer = new CaptureQueueConsumer(queue, deliverer, mock(CaptureParker.class), configuration, CaptureMetrics.NONE,
            new CrmBreaker("crm", 5, Duration.ofSeconds(30), Clock.systemUTC()), Clock.systemUTC());
        consumer.start();

        // more than the 11 in flight (a round of 10 and one a thread): the consumer asks for the next mail as each
        // capture ends, and when the queue runs dry, that ask waits
        for (int i = 1; i <= 30; i++) {
            queue.enQueue(FakeMail.builder().name("capture-" + i).build());
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> queue.done.size() == 30);
        assertThat(queue.waitingThreads).isNotEmpty().allSatisfy(thread -> assertThat(thread).startsWith("crm-capture-dequeue-"));
    }

    /** Hands out mails from a blocking queue, each ask a blocking take on the asking thread, as JMS's receive(). */
    static final class BlockingMailQueue implements MailQueue {
        final LinkedBlockingQueue<Mail> mails = new LinkedBlockingQueue<>();
        final List<String> waitingThreads = new CopyOnWriteArrayList<>();
        final Set<String> done = ConcurrentHashMap.newKeySet();

        @Override
        public MailQueueName getName() {
            return MailQueueName.of("crm-capture");
        }

        @Override
        public void enQueue(Mail mail, Duration delay) {
            mails.add(mail);
        }

        @Override
        public void enQueue(Mail mail) {
            mails.add(mail);
        }

        @Override
        public Publisher<Void> enqueueReactive(Mail mail) {
            return Mono.fromRunnable(() -> enQueue(mail));
        }

        @Override
        public Publisher<MailQueueItem> deQueue() {
            return Mono.fromCallable(() -> {
                waitingThreads.add(Thread.currentThread().getName());
                Mail mail = mails.take();
                return (MailQueueItem) new Item(mail, done);
            }).repeat();
        }

        @Override
        public void close() {
        }

        private record Item(Mail mail, Set<String> done) implements MailQueueItem {
            @Override
            public Mail getMail() {
                return mail;
            }

            @Override
            public void done(CompletionStatus status) {
                done.add(mail.getName());
            }
        }
    }
}

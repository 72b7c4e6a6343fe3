package org.jamescrm.james.container39;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Mail;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;

/**
 * The mail queues of the test container: {@code james-server-queue-memory} is not published for James
 * 3.9.0. Every queue keeps a serialized copy of each enqueued mail (as a persistent James queue would,
 * so the dequeued mail is independent of the enqueued one), honours enqueue delays, gives items out
 * only on demand, and puts an item back when its consumer answers {@code RETRY}.
 */
final class InMemoryMailQueueFactory implements MailQueueFactory<InMemoryMailQueueFactory.InMemoryMailQueue>, AutoCloseable {
    private final ConcurrentHashMap<MailQueueName, InMemoryMailQueue> queues = new ConcurrentHashMap<>();

    @Override
    public Optional<InMemoryMailQueue> getQueue(MailQueueName name, PrefetchCount count) {
        return Optional.ofNullable(queues.get(name));
    }

    @Override
    public InMemoryMailQueue createQueue(MailQueueName name, PrefetchCount count) {
        return queues.computeIfAbsent(name, InMemoryMailQueue::new);
    }

    @Override
    public Set<MailQueueName> listCreatedMailQueues() {
        return Set.copyOf(queues.keySet());
    }

    /** Stops the threads that hand out items; the queues refuse new mail from then on. */
    @Override
    public void close() {
        queues.values().forEach(InMemoryMailQueue::close);
    }

    static final class InMemoryMailQueue implements MailQueue {
        private static final long POLL_MILLIS = 50;
        /** The most permits one request adds; a larger request counts as unbounded demand. */
        private static final int MAX_PERMITS_PER_REQUEST = 1 << 20;

        private final MailQueueName name;
        private final DelayQueue<Entry> entries = new DelayQueue<>();
        private volatile boolean closed;

        InMemoryMailQueue(MailQueueName name) {
            this.name = name;
        }

        @Override
        public MailQueueName getName() {
            return name;
        }

        @Override
        public void enQueue(Mail mail, Duration delay) throws MailQueueException {
            if (closed) {
                throw new MailQueueException("Queue " + name.asString() + " is closed");
            }
            try {
                long due = System.nanoTime() + Math.max(0, delay.toNanos());
                entries.put(new Entry(serializedCopy(mail), due));
            } catch (MessagingException | IOException e) {
                throw new MailQueueException("Cannot copy mail " + mail.getName() + " into queue " + name.asString(), e);
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

        /** Each subscriber gets its own feeding thread, which only takes an item off the queue when asked for one. */
        @Override
        public Publisher<MailQueueItem> deQueue() {
            return Flux.create(sink -> {
                Semaphore demand = new Semaphore(0);
                AtomicBoolean unbounded = new AtomicBoolean();
                sink.onRequest(requested -> {
                    if (requested >= MAX_PERMITS_PER_REQUEST) {
                        unbounded.set(true);
                    }
                    demand.release((int) Math.min(requested, MAX_PERMITS_PER_REQUEST));
                });
                Thread feeder = new Thread(() -> feed(sink, demand, unbounded), "test-queue-" + name.asString());
                feeder.setDaemon(true);
                sink.onDispose(feeder::interrupt);
                feeder.start();
            });
        }

        private void feed(FluxSink<MailQueueItem> sink, Semaphore demand, AtomicBoolean unbounded) {
            try {
                while (!closed && !sink.isCancelled()) {
                    if (!unbounded.get() && !demand.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    Entry entry = null;
                    while (entry == null && !closed && !sink.isCancelled()) {
                        entry = entries.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                    }
                    if (entry != null) {
                        sink.next(new Item(entry.mail));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // subscriber gone
            }
        }

        @Override
        public void close() {
            closed = true;
        }

        private final class Item implements MailQueueItem {
            private final Mail mail;

            Item(Mail mail) {
                this.mail = mail;
            }

            @Override
            public Mail getMail() {
                return mail;
            }

            @Override
            public void done(CompletionStatus status) throws MailQueueException {
                if (status == CompletionStatus.RETRY) {
                    enQueue(mail);
                }
            }
        }

        /** Same name, state, envelope, attributes and message bytes; nothing shared with the original. */
        private static Mail serializedCopy(Mail mail) throws MessagingException, IOException {
            MailImpl copy = MailImpl.duplicateWithoutMessage(mail).build();
            copy.setName(mail.getName());
            copy.setState(mail.getState());
            if (mail.getMessage() != null) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                mail.getMessage().writeTo(bytes);
                copy.setMessage(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes.toByteArray())));
            }
            return copy;
        }
    }

    private static final class Entry implements Delayed {
        private final Mail mail;
        private final long dueNanos;

        Entry(Mail mail, long dueNanos) {
            this.mail = mail;
            this.dueNanos = dueNanos;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }
    }
}

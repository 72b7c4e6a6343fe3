package org.jamescrm.james.metrics;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.apache.james.metrics.api.Gauge;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.ManageableMailQueue;
import org.jamescrm.james.queue.CaptureAttributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many captures wait in each capture queue: the gauge {@code crm_capture_queue_depth_<queue>} and
 * what the health check reads. Only queues that count their mails cheaply (James's
 * {@link ManageableMailQueue}: the memory and file queues) are watched.
 */
public class QueueDepths {
    /** A queue holding this many rounds of captures backs up: the CRM takes mail slower than it arrives. */
    public static final int BACKING_UP_ROUNDS = 10;
    private static final Logger LOGGER = LoggerFactory.getLogger(QueueDepths.class);

    private final GaugeRegistry gauges;
    private final Map<String, Watched> queues = new ConcurrentHashMap<>();

    /** The most captures the status route looks at to find the oldest waiting one. */
    static final int OLDEST_LOOKED_AT = 10_000;

    /**
     * A watched queue.
     *
     * @param depth     counts the captures waiting
     * @param backingUp the depth from which the queue is said to back up (its warning depth)
     * @param oldest    when the oldest capture waiting was received, if any waits
     */
    public record Watched(LongSupplier depth, long backingUp, Supplier<Optional<Instant>> oldest) {
    }

    @Inject
    public QueueDepths(GaugeRegistry gauges) {
        this.gauges = gauges;
    }

    /** Watches {@code queue} when it can count its mails; {@code backingUp} is the depth said to back up. */
    public void watch(MailQueue queue, long backingUp) {
        if (queue instanceof ManageableMailQueue manageable) {
            String name = queue.getName().asString();
            Watched watched = new Watched(() -> {
                try {
                    return manageable.getSize();
                } catch (MailQueue.MailQueueException e) {
                    return -1;
                }
            }, backingUp, () -> oldest(manageable));
            if (queues.put(name, watched) == null) {
                registerOnce(gauges, JamesCaptureMetrics.PREFIX + "queue_depth_" + JamesCaptureMetrics.name(name),
                    () -> depth(name).orElse(-1));
            }
        }
    }

    /** The captures waiting in the queue {@code name}, if it is watched and answers. */
    public OptionalLong depth(String name) {
        Watched watched = queues.get(name);
        if (watched == null) {
            return OptionalLong.empty();
        }
        long depth = watched.depth().getAsLong();
        return depth < 0 ? OptionalLong.empty() : OptionalLong.of(depth);
    }

    /** When the oldest capture waiting in the queue {@code name} was received, if it is watched and one waits. */
    public Optional<Instant> oldestWaiting(String name) {
        Watched watched = queues.get(name);
        return watched == null ? Optional.empty() : watched.oldest().get();
    }

    /**
     * The oldest receipt among the first {@value #OLDEST_LOOKED_AT} captures of the queue: a capture
     * put back to wait goes to the queue's end, so the oldest is not always first. Browsing reads the
     * captures' attributes, not their messages (the memory and file queues hold them already).
     */
    private static Optional<Instant> oldest(ManageableMailQueue queue) {
        Instant oldest = null;
        try {
            ManageableMailQueue.MailQueueIterator items = queue.browse();
            try {
                for (int seen = 0; seen < OLDEST_LOOKED_AT && items.hasNext(); seen++) {
                    Instant received = CaptureAttributes.receivedAt(items.next().getMail());
                    if (oldest == null || received.isBefore(oldest)) {
                        oldest = received;
                    }
                }
            } finally {
                items.close();
            }
        } catch (MailQueue.MailQueueException | RuntimeException e) {
            LOGGER.debug("Cannot browse capture queue {}", queue.getName().asString(), e);
        }
        return Optional.ofNullable(oldest);
    }

    /** The watched queues by name. */
    public Map<String, Watched> watched() {
        return Map.copyOf(queues);
    }

    /** Registers a gauge unless one of that name exists already (a mailet re-initialized by its container). */
    static <T> void registerOnce(GaugeRegistry gauges, String name, Gauge<T> gauge) {
        try {
            gauges.register(name, gauge);
        } catch (IllegalArgumentException e) {
            LOGGER.debug("Gauge {} exists already", name);
        }
    }
}

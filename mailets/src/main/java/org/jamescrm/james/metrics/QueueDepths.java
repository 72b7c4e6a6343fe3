package org.jamescrm.james.metrics;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import jakarta.inject.Inject;

import org.apache.james.metrics.api.Gauge;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.ManageableMailQueue;
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

    /**
     * A watched queue.
     *
     * @param depth     counts the captures waiting
     * @param backingUp the depth from which the queue is said to back up
     */
    public record Watched(LongSupplier depth, long backingUp) {
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
            }, backingUp);
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

package org.jamescrm.james.queue;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The capture queues the capture mailets opened, each with the error repository its captures are
 * parked in: what {@code GET /crm/status} and the admin console show, so an administrator finds the
 * parked captures and replays them into the right queue without reading {@code mailetcontainer.xml}.
 */
public class CaptureQueues {
    private final Map<String, CaptureQueue> queues = new ConcurrentHashMap<>();

    /**
     * A capture queue.
     *
     * @param queue           the James mail queue of captures ({@code <queue>})
     * @param errorRepository the path of its error repository as James's WebAdmin
     *                        {@code /mailRepositories/<path>} names it (URL-encoded there), e.g.
     *                        {@code var/mail/crm-capture-error}
     */
    public record CaptureQueue(String queue, String errorRepository) {
    }

    /** Records the queue a capture mailet opened with {@code configuration}. */
    public void opened(CaptureQueueConfiguration configuration) {
        String name = configuration.queue().asString();
        String path = configuration.errorRepository().getPath().asString().replaceAll("/+$", "");
        queues.put(name, new CaptureQueue(name, path));
    }

    /** The queues opened, by name. */
    public List<CaptureQueue> all() {
        return queues.values().stream().sorted(Comparator.comparing(CaptureQueue::queue)).toList();
    }
}

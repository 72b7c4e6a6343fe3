package org.jamescrm.capture;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Message-IDs of captures that failed and wait in the capture queue for another attempt. A mail
 * answering one of them waits too (capture-rules §4.1: only the first message of a thread creates
 * anything): captured first, the answer would make the client known, and its own first mail would then
 * be taken for a returning client's (§4.3). Forgotten when the capture is decided or parked; bounded,
 * the oldest forgotten first, and in memory: after a restart the queue's order alone holds.
 */
final class WaitingThreads {
    /** The most Message-IDs kept: far beyond a backlog one server holds in its capture queue. */
    static final int LIMIT = 100_000;
    private final Map<String, Boolean> waiting = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > LIMIT;
        }
    };

    /** The capture of {@code messageId} failed: it waits in the queue. */
    synchronized void failed(String messageId) {
        waiting.put(messageId, Boolean.TRUE);
    }

    /** The capture of {@code messageId} was decided or parked. */
    synchronized void settled(String messageId) {
        waiting.remove(messageId);
    }

    /** The first of {@code messageIds} whose capture waits in the queue. */
    synchronized java.util.Optional<String> firstWaiting(Collection<String> messageIds) {
        return messageIds.stream().filter(waiting::containsKey).findFirst();
    }
}

package org.jamescrm.store;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ledger of one server: only the claims being written are held (one round runs at a time, and
 * the CRM's own lookup finds what was captured before, across restarts too), and the keys whose
 * last write got no answer, until they are claimed again.
 */
final class InMemoryCaptureLedger implements CaptureLedger {
    /**
     * The most unanswered keys kept: each waits for its capture's retry, and so many unanswered writes
     * without a retry mean a CRM long gone; the oldest are forgotten (their retries then record duplicates).
     */
    static final int UNANSWERED_KEPT = 10_000;

    private final Map<String, Instant> writing = new ConcurrentHashMap<>();
    /** Guarded by itself; oldest first. */
    private final Map<String, Instant> unanswered = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > UNANSWERED_KEPT;
        }
    };

    @Override
    public Claim claim(String captureKey, String crm) {
        Instant now = Instant.now();
        String key = key(captureKey, crm);
        Instant since = writing.putIfAbsent(key, now);
        if (since != null) {
            return new Busy("this server", since);
        }
        synchronized (unanswered) {
            return unanswered.remove(key) != null ? new Resumed() : new Claimed();
        }
    }

    @Override
    public void captured(String captureKey, String crm, String activityId) {
        writing.remove(key(captureKey, crm));
    }

    @Override
    public void release(String captureKey, String crm) {
        writing.remove(key(captureKey, crm));
    }

    @Override
    public void unanswered(String captureKey, String crm) {
        String key = key(captureKey, crm);
        if (writing.remove(key) != null) {
            synchronized (unanswered) {
                unanswered.put(key, Instant.now());
            }
        }
    }

    private static String key(String captureKey, String crm) {
        return crm + "\n" + captureKey;
    }
}

package org.jamescrm.store;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ledger of one server: only the claims being written are held (one round runs at a time, and
 * the CRM's own lookup finds what was captured before, across restarts too).
 */
final class InMemoryCaptureLedger implements CaptureLedger {
    private final Map<String, Instant> writing = new ConcurrentHashMap<>();

    @Override
    public Claim claim(String captureKey, String crm) {
        Instant now = Instant.now();
        Instant since = writing.putIfAbsent(key(captureKey, crm), now);
        return since == null ? new Claimed() : new Busy("this server", since);
    }

    @Override
    public void captured(String captureKey, String crm, String activityId) {
        writing.remove(key(captureKey, crm));
    }

    @Override
    public void release(String captureKey, String crm) {
        writing.remove(key(captureKey, crm));
    }

    private static String key(String captureKey, String crm) {
        return crm + "\n" + captureKey;
    }
}

package org.jamescrm.store;

import java.time.Duration;
import java.time.Instant;

/**
 * Exactly once across servers (capture-rules §6): a capture claims its key for its CRM before it
 * writes, and marks it captured after, or releases it when the write failed (marks it unanswered
 * when the write may have landed all the same). A claim is a unique row, never a lock held across the
 * CRM's HTTP calls; a claim older than {@link #CLAIM_EXPIRY} is taken to belong to a server that
 * stopped in the middle, and may be claimed again.
 */
public interface CaptureLedger {
    /** How long a claim holds without being marked captured or released: far beyond a round's writes. */
    Duration CLAIM_EXPIRY = Duration.ofMinutes(10);

    /**
     * Claims {@code captureKey} for {@code crm}.
     *
     * @throws StoreUnavailableException when the store cannot be reached: the capture waits
     */
    Claim claim(String captureKey, String crm);

    /** Marks a claimed key as captured, as {@code activityId}; a failure is logged, never thrown. */
    void captured(String captureKey, String crm, String activityId);

    /** Releases a claim whose capture did not write; a failure is logged, never thrown (the claim then expires). */
    void release(String captureKey, String crm);

    /**
     * Releases a claim whose write failed without the CRM saying it refused it (the connection dropped,
     * the answer timed out): the write may have landed. The next claim of the key is {@link Resumed}, so
     * the capture's retry takes an activity it finds under the key for its own, not for a duplicate. A
     * failure is logged, never thrown (the claim then expires, and the retry records a duplicate).
     */
    void unanswered(String captureKey, String crm);

    /** The answer to a claim. */
    sealed interface Claim {
    }

    /** This capture holds the key now: it writes, then marks it captured or releases it. */
    record Claimed() implements Claim {
    }

    /**
     * This capture holds the key now, and the last write of the key got no answer: an activity the CRM
     * holds under the key is that write's.
     */
    record Resumed() implements Claim {
    }

    /** Another capture (of this or another server) wrote the key already, as {@code activityId}. */
    record AlreadyCaptured(String activityId, String node) implements Claim {
    }

    /** Another capture is writing the key now, since {@code since}: try again later. */
    record Busy(String node, Instant since) implements Claim {
    }
}

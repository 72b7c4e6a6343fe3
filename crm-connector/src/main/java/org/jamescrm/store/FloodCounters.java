package org.jamescrm.store;

import java.time.Instant;
import java.util.Optional;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.settings.FloodLimit;

/**
 * Captures counted per client address in a sliding window (capture-rules §3 FLOOD), by every
 * server that shares the store.
 */
public interface FloodCounters {

    /**
     * Counts a capture for {@code client} unless the client already has {@code limit.captures()} in the
     * window; check and count are one step, so concurrent captures cannot slip past the limit.
     *
     * @return the reservation to release if the capture does not happen, or empty when over the limit
     */
    Optional<Reservation> tryReserve(EmailAddress client, FloodLimit limit);

    /** Whether a capture for {@code client} would go over {@code limit} now; counts nothing. */
    boolean over(EmailAddress client, FloodLimit limit);

    /** Takes back a reservation whose capture did not happen. */
    void release(Reservation reservation);

    /** One counted capture of a client. */
    record Reservation(EmailAddress client, Instant at) {
    }
}

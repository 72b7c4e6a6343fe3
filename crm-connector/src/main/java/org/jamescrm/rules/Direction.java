package org.jamescrm.rules;

/** The direction of a message relative to the company (capture-rules §2). */
public enum Direction {
    /** A client writes to at least one local address: captured for the client sender. */
    INBOUND,
    /** A local address writes to at least one client: captured for each client recipient. */
    OUTBOUND,
    /** Local to local only: never captured. */
    INTERNAL,
    /** Neither sender nor any recipient is local: not the company's mail. */
    RELAY,
    /**
     * An employee sent or forwarded a message to the capture address with no client among the
     * recipients (manual save, capture-rules §7): what is saved is the forwarded message, decided in
     * the capture queue.
     */
    MANUAL_FORWARD
}

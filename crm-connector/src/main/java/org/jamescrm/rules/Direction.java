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
    RELAY
}

package org.jamescrm.capture;

import org.jamescrm.rules.ReasonCode;

/**
 * What the capture counts, for the mail server's metrics: decisions by reason code, rounds and their
 * sizes, the CRM's requests and how long they take, retries and parked captures. The core only
 * reports; the mail server adapter publishes (James's {@code MetricFactory}). Implementations must be
 * thread-safe and cheap: they are called on the capture's hot path.
 */
public interface CaptureMetrics {
    /** Counts nothing. */
    CaptureMetrics NONE = new CaptureMetrics() {
    };

    /** The two kinds of CRM request a capture makes. */
    enum CrmOperation {
        /** The lookup of a round's parties, threads and capture keys. */
        LOOKUP,
        /** The writes of a round's plans. */
        WRITE;

        /** The operation's name in metric names: {@code lookup}, {@code write}. */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A CRM request under way; ended exactly once. */
    interface Timing {
        /** Ends a timing that measures nothing. */
        Timing NONE = failed -> {
        };

        /** The request ended: answered, or {@code failed}. */
        void ended(boolean failed);
    }

    /** A decision was recorded with {@code reason}. */
    default void decided(ReasonCode reason) {
    }

    /** A round of {@code size} captures ran. */
    default void roundRan(int size) {
    }

    /** A request to {@code connector}'s CRM starts now. */
    default Timing crmRequest(String connector, CrmOperation operation) {
        return Timing.NONE;
    }

    /** A capture goes back to the queue to be retried later (the CRM was unavailable). */
    default void retried() {
    }

    /** A capture was parked in the capture error repository. */
    default void parked() {
    }
}

package org.jamescrm.emulator;

import java.time.Duration;
import java.util.Objects;

/**
 * What a request gets instead of (or before) its normal answer; queued and matched by a
 * {@link FaultPlan}. The transport faults (latency, timeout, drop, raw answer) the server carries out
 * alone; the others ({@link Status}, {@link ExpiredToken}, {@link Custom}) it marks, and the emulator
 * answers them in its CRM's shape ({@link CrmEndpoint#answerFault}).
 */
public sealed interface Fault permits Fault.Latency, Fault.Status, Fault.Raw, Fault.Timeout, Fault.Drop, Fault.ExpiredToken, Fault.Custom {

    /** Answer normally, after {@code delay} of real time (the call log's duration includes it). */
    static Fault latency(Duration delay) {
        return new Latency(delay);
    }

    /** Answer HTTP {@code status} (5xx), in the CRM's shape of a server error. */
    static Fault status(int status) {
        return new Status(status);
    }

    /** Answer exactly this, e.g. the HTML 502 page of a proxy in front of the CRM. */
    static Fault response(int status, String contentType, String body) {
        return new Raw(status, contentType, body);
    }

    /** Accept the request and never answer: the connection is held 60 s (or until reset or close), then closed. */
    static Fault timeout() {
        return new Timeout(Duration.ofSeconds(60));
    }

    /** Accept the request and never answer; the connection is closed after {@code hold}. */
    static Fault timeout(Duration hold) {
        return new Timeout(hold);
    }

    /** Close the connection without any answer. */
    static Fault drop() {
        return new Drop();
    }

    /** Answer as the CRM answers an expired access token, whatever the credentials. */
    static Fault expiredToken() {
        return new ExpiredToken();
    }

    private static Duration requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
        return duration;
    }

    /** A normal answer after a delay of real time; see {@link #latency(Duration)}. */
    record Latency(Duration delay) implements Fault {
        /** Checks the delay is positive. */
        public Latency {
            requirePositive(delay, "delay");
        }
    }

    /** A 5xx answer in the CRM's shape; see {@link #status(int)}. */
    record Status(int status) implements Fault {
        /** Checks the status is a 5xx: a 4xx is the CRM's business, programmed in its emulator. */
        public Status {
            if (status < 500 || status > 599) {
                throw new IllegalArgumentException("status must be a 5xx status, got " + status);
            }
        }
    }

    /** A verbatim answer; see {@link #response(int, String, String)}. */
    record Raw(int status, String contentType, String body) implements Fault {
        /** Checks the status and that content type and body are given. */
        public Raw {
            if (status < 100 || status > 599) {
                throw new IllegalArgumentException("status must be an HTTP status, got " + status);
            }
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(body, "body");
        }
    }

    /** No answer, the connection held for {@code hold}; see {@link #timeout()}. */
    record Timeout(Duration hold) implements Fault {
        /** Checks the hold is positive. */
        public Timeout {
            requirePositive(hold, "hold");
        }
    }

    /** The connection closed without an answer; see {@link #drop()}. */
    record Drop() implements Fault {
    }

    /** The CRM's expired-token answer; see {@link #expiredToken()}. */
    record ExpiredToken() implements Fault {
    }

    /**
     * A fault of one CRM (e.g. Bitrix24's {@code QUERY_LIMIT_EXCEEDED} without touching the bucket):
     * emulators declare their own as records implementing this, and answer them in
     * {@link CrmEndpoint#answerFault}.
     */
    non-sealed interface Custom extends Fault {
    }
}

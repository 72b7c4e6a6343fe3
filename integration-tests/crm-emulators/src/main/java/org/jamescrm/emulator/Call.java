package org.jamescrm.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One request in an emulator's {@link CallLog}.
 *
 * @param sequence   the request's number since start or reset, from 1
 * @param operation  the CRM operation the emulator named it after (its path when not named)
 * @param httpMethod the HTTP method
 * @param path       the request path
 * @param arrivedAt  the arrival on the emulator's clock (the clock quotas and token expiry use)
 * @param duration   the real time from arrival until the answer was ready to leave, or until the
 *                   connection was held or dropped; it includes a latency fault
 * @param status     the HTTP status answered, 0 when no answer was sent (held or dropped)
 * @param errorCode  the CRM's error code of the answer, {@code null} for a success
 * @param outcome    answered, held (timeout fault) or dropped
 * @param detail     the emulator's small summary of the request (see {@link EmulatorRequest#describe}), or {@code null}
 */
public record Call(long sequence, String operation, String httpMethod, String path, Instant arrivedAt, Duration duration, int status,
                   String errorCode, Outcome outcome, Object detail) {

    /** What became of a request. */
    public enum Outcome {
        /** An answer was sent. */
        ANSWERED,
        /** The connection was held without an answer (timeout fault). */
        HELD,
        /** The connection was closed without an answer (drop fault). */
        DROPPED
    }

    /** Whether the answer carried a CRM error code. */
    public boolean failed() {
        return errorCode != null;
    }

    /** The emulator's detail, when it is of {@code type}. */
    public <T> Optional<T> detail(Class<T> type) {
        return type.isInstance(detail) ? Optional.of(type.cast(detail)) : Optional.empty();
    }
}

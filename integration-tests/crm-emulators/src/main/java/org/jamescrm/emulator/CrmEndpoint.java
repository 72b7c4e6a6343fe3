package org.jamescrm.emulator;

import java.nio.charset.StandardCharsets;

/**
 * The CRM behind an {@link EmulatorServer}: what each emulator writes. The server owns the transport
 * (threads, faults, held and dropped connections, the call log); the endpoint owns the CRM's
 * semantics and the shapes of its answers, including the answers to faults that every CRM words its
 * own way (a 5xx body, an expired token).
 * <p>
 * Methods are called from the server's worker threads, concurrently: an endpoint keeps its state
 * under its own lock.
 */
public interface CrmEndpoint {

    /**
     * Parses the request once and names it with {@link EmulatorRequest#describe}, before any fault
     * applies, so that fault rules can match the CRM operation and the call log shows it even for a
     * dropped connection. By default the call is named after its path.
     */
    default void prepare(EmulatorRequest request) {
    }

    /** The CRM's answer to a request no fault took over. */
    Reply answer(EmulatorRequest request);

    /**
     * The CRM's answer to a fault the kit cannot word itself: {@link Fault.Status},
     * {@link Fault.ExpiredToken} and the emulator's own {@link Fault.Custom} faults. The defaults are a
     * bare status and a bare 401; an emulator overrides this to answer in its CRM's shape.
     */
    default Reply answerFault(Fault fault, EmulatorRequest request) {
        if (fault instanceof Fault.Status status) {
            return Reply.text(status.status(), "text/plain; charset=utf-8", "");
        }
        if (fault instanceof Fault.ExpiredToken) {
            return Reply.text(401, "text/plain; charset=utf-8", "");
        }
        throw new IllegalStateException("this emulator does not answer the fault " + fault);
    }

    /**
     * The answer when the emulator itself failed: a 500 naming the failure, so an emulator bug shows up
     * in the test instead of as a hung client. {@code request} is {@code null} when reading it failed.
     */
    default Reply failure(RuntimeException bug, EmulatorRequest request) {
        return new Reply(500, "text/plain; charset=utf-8", ("emulator failure: " + bug).getBytes(StandardCharsets.UTF_8),
            java.util.Map.of(), "EMULATOR_FAILURE");
    }
}

package org.jamescrm.emulator;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/**
 * An emulator served by an {@link EmulatorServer}: what every CRM emulator hands to its server (where it
 * listens, the faults, the call log, the request counters, closing) and the violations log it keeps, in
 * one place. A CRM's emulator builds its server with its own {@link CrmEndpoint} and returns it from
 * {@link #server()}; it resets its own state in {@link #resetState()}.
 */
public abstract class HttpEmulator implements Emulator {
    private final ViolationLog violations;

    /** An emulator whose violations are stamped by {@code clock}. */
    protected HttpEmulator(Clock clock) {
        this.violations = new ViolationLog(clock);
    }

    /** The server answering with this emulator's endpoint. */
    protected abstract EmulatorServer server();

    /** Back to the CRM's state just after start (its data, tokens, quotas); the server and the violations are reset already. */
    protected abstract void resetState();

    /** The base URL, {@code http://127.0.0.1:PORT/}. */
    @Override
    public URI baseUrl() {
        return server().baseUrl();
    }

    @Override
    public FaultPlan faults() {
        return server().faults();
    }

    @Override
    public CallLog calls() {
        return server().calls();
    }

    @Override
    public ViolationLog violations() {
        return violations;
    }

    /** The HTTP requests received since start or reset, including faulted and refused ones. */
    public long requestCount() {
        return server().requestCount();
    }

    /** The most requests that were in flight at once since start or reset. */
    public int maxConcurrentRequests() {
        return server().maxConcurrentRequests();
    }

    @Override
    public void reset() {
        server().reset();
        violations.clear();
        resetState();
    }

    @Override
    public void close() {
        server().close();
    }

    /** Waits {@code latency} of real time, as a CRM across a network answers later; none when zero. */
    protected static void pause(Duration latency) {
        if (latency.isZero()) {
            return;
        }
        try {
            Thread.sleep(latency.toMillis(), latency.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

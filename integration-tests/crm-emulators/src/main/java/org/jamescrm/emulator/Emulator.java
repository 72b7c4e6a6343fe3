package org.jamescrm.emulator;

import java.net.URI;

/**
 * What every CRM emulator offers its tests, whatever the CRM: where it listens, its faults, its call
 * and violations logs, and a reset between tests. {@link EmulatorExtension} runs one per test class.
 */
public interface Emulator extends AutoCloseable {

    /** The base URL a connector is pointed at, {@code http://127.0.0.1:PORT/}. */
    URI baseUrl();

    /** The programmable faults. */
    FaultPlan faults();

    /** The requests received, with their timing and outcome. */
    CallLog calls();

    /** What the real CRM would have done that a user would regret. */
    ViolationLog violations();

    /** Back to the state just after start: no data, faults, logs or used quotas; held connections closed. */
    void reset();

    /** Stops serving and closes held connections. */
    @Override
    void close();
}

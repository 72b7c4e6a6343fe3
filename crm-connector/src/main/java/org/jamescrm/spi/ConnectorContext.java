package org.jamescrm.spi;

import java.time.Clock;
import java.util.Objects;


/**
 * What the product gives a provider to create its connector with.
 *
 * @param clock the server's clock (James's own in the mail server)
 * @param store where the connector keeps its OAuth tokens and request budget: the server's own
 *              ({@code local}), or the one every server of a cluster shares ({@code postgresql})
 */
public record ConnectorContext(Clock clock, ConnectorState store) {

    public ConnectorContext {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(store, "store");
    }

    /** A context whose tokens and budgets live in memory: one server. */
    public ConnectorContext(Clock clock) {
        this(clock, ConnectorState.inMemory());
    }
}

package org.jamescrm.spi;

import java.time.Clock;
import java.util.Objects;

/**
 * What the product gives a provider to create its connector with.
 *
 * @param clock the server's clock (James's own in the mail server)
 */
public record ConnectorContext(Clock clock) {

    public ConnectorContext {
        Objects.requireNonNull(clock, "clock");
    }
}

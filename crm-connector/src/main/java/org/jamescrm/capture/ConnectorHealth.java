package org.jamescrm.capture;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.jamescrm.spi.CrmConnector;
import org.jamescrm.spi.CrmException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the CRM answers, as last checked: an unreachable portal or a wrong webhook is a clear error
 * in the log and on the status route, while mail keeps flowing (captures wait in the queue).
 */
public final class ConnectorHealth {
    private static final Logger LOGGER = LoggerFactory.getLogger(ConnectorHealth.class);

    private final CrmConnector connector;
    private final Clock clock;
    private final AtomicReference<Check> last = new AtomicReference<>();

    public ConnectorHealth(CrmConnector connector, Clock clock) {
        this.connector = connector;
        this.clock = clock;
    }

    /**
     * The outcome of one check.
     *
     * @param at    when it ran
     * @param error why the CRM did not answer; empty when it did
     */
    public record Check(Instant at, Optional<String> error) {
    }

    /** Checks the connection now, logs a failure, and keeps the outcome. */
    public Check checkNow() {
        Check check;
        try {
            connector.checkConnection();
            check = new Check(clock.instant(), Optional.empty());
        } catch (CrmException | RuntimeException e) {
            check = new Check(clock.instant(), Optional.of(e.getMessage()));
            LOGGER.error("The CRM ({}) does not answer: {}. Mail keeps flowing; captures wait in the capture queue.",
                connector.name(), e.getMessage());
        }
        last.set(check);
        return check;
    }

    /**
     * The last check when it is at most {@code maxAge} old, else a new one: what a health probe polled
     * every few seconds asks, without spending the CRM's request budget on every poll.
     */
    public Check upToDate(Duration maxAge) {
        Check check = last.get();
        if (check != null && !clock.instant().isAfter(check.at().plus(maxAge))) {
            return check;
        }
        return checkNow();
    }

    /** The last check, if one ran. */
    public Optional<Check> last() {
        return Optional.ofNullable(last.get());
    }
}

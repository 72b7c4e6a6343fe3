package org.jamescrm.spi;

import java.time.Duration;
import java.util.Optional;

/**
 * The CRM cannot take the call now: down, slow, rate limited. The capture queue retries later, no
 * sooner than {@link #retryAfter()} when the CRM said so.
 */
public final class CrmUnavailableException extends CrmException {
    private static final long serialVersionUID = 1L;
    private final transient Optional<Duration> retryAfter;

    public CrmUnavailableException(String message, Optional<Duration> retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    public CrmUnavailableException(String message) {
        this(message, Optional.empty(), null);
    }

    /** How long the CRM asked us to wait, when it did. */
    public Optional<Duration> retryAfter() {
        return retryAfter;
    }
}

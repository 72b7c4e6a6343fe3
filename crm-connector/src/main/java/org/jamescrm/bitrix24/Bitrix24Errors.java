package org.jamescrm.bitrix24;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmRejectedException;
import org.jamescrm.spi.CrmUnavailableException;

/**
 * Classifies Bitrix24 errors (bitrix24-api §2.3) by their {@code error} string, never by the HTTP
 * status alone: try again later (rate and time limits, overload, server errors) or give up (auth,
 * permissions, validation). Messages name the method and the portal's words, never a secret.
 */
public final class Bitrix24Errors {
    /** Codes that mean: the portal cannot take the call now. */
    static final Set<String> TRANSIENT = Set.of("QUERY_LIMIT_EXCEEDED", "OPERATION_TIME_LIMIT", "OVERLOAD_LIMIT",
        "INTERNAL_SERVER_ERROR", "ERROR_UNEXPECTED_ANSWER");
    /** Codes that mean: trying again cannot help, whatever the HTTP status says. */
    static final Set<String> PERMANENT = Set.of("PORTAL_DELETED", "ACCESS_DENIED", "INVALID_CREDENTIALS", "NO_AUTH_FOUND",
        "insufficient_scope", "invalid_token", "invalid_grant", "invalid_client", "METHOD_CONFIRM_WAITING", "user_access_error");
    /** How long to wait when the portal blocked the integration for overload (support unblocks it). */
    static final Duration OVERLOAD_WAIT = Duration.ofMinutes(15);

    private Bitrix24Errors() {
    }

    /**
     * @param method           the REST method called
     * @param status           the HTTP status
     * @param error            the {@code error} code (may be empty)
     * @param description      the {@code error_description}
     * @param secondsToReset   for OPERATION_TIME_LIMIT, seconds until {@code operating_reset_at}
     * @param rateLimitWait    the wait after a QUERY_LIMIT_EXCEEDED (one drain step)
     */
    public static CrmException classify(String method, int status, String error, String description, Optional<Long> secondsToReset,
                                        Duration rateLimitWait) {
        String message = "Bitrix24 " + method + " answered " + status + " " + (error.isEmpty() ? "(no code)" : error)
            + (description.isEmpty() ? "" : ": " + description);
        switch (error) {
            case "QUERY_LIMIT_EXCEEDED":
                return new CrmUnavailableException(message, Optional.of(rateLimitWait), null);
            case "OPERATION_TIME_LIMIT":
                return new CrmUnavailableException(message, secondsToReset.filter(seconds -> seconds > 0).map(Duration::ofSeconds), null);
            case "OVERLOAD_LIMIT":
                return new CrmUnavailableException(message, Optional.of(OVERLOAD_WAIT), null);
            default:
                if (!PERMANENT.contains(error) && (TRANSIENT.contains(error) || status >= 500)) {
                    return new CrmUnavailableException(message, Optional.empty(), null);
                }
                return new CrmRejectedException(message);
        }
    }
}

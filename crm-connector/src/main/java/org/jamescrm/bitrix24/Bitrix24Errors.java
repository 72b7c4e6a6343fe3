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
        return classify(method, status, error, description, secondsToReset, rateLimitWait, Optional.empty());
    }

    /**
     * As {@link #classify(String, int, String, String, Optional, Duration)}, with the answer's
     * {@code Retry-After}: a refusal for the rate limit (QUERY_LIMIT_EXCEEDED, HTTP 429) waits the
     * longer of it and one drain step, an overloaded portal's 503 waits what it says.
     *
     * @param retryAfter the {@code Retry-After} header of the answer, when it had a readable one
     */
    public static CrmException classify(String method, int status, String error, String description, Optional<Long> secondsToReset,
                                        Duration rateLimitWait, Optional<Duration> retryAfter) {
        String message = "Bitrix24 " + method + " answered " + status + " " + (error.isEmpty() ? "(no code)" : error)
            + (description.isEmpty() ? "" : ": " + description);
        switch (error) {
            case "QUERY_LIMIT_EXCEEDED":
                return new CrmUnavailableException(message, Optional.of(longer(rateLimitWait, retryAfter)), null);
            case "OPERATION_TIME_LIMIT":
                return new CrmUnavailableException(message, secondsToReset.filter(seconds -> seconds > 0).map(Duration::ofSeconds)
                    .or(() -> retryAfter), null);
            case "OVERLOAD_LIMIT":
                return new CrmUnavailableException(message, Optional.of(OVERLOAD_WAIT), null);
            default:
                if (!PERMANENT.contains(error) && status == 429) {
                    return new CrmUnavailableException(message, Optional.of(longer(rateLimitWait, retryAfter)), null);
                }
                if (!PERMANENT.contains(error) && (TRANSIENT.contains(error) || status >= 500)) {
                    return new CrmUnavailableException(message, retryAfter, null);
                }
                return new CrmRejectedException(message);
        }
    }

    private static Duration longer(Duration wait, Optional<Duration> hint) {
        return hint.filter(asked -> asked.compareTo(wait) > 0).orElse(wait);
    }
}

package org.jamescrm.zoho;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmUnavailableException;

/**
 * The one access token of a connector, shared by all its threads: refreshed by one thread at a time,
 * shortly before it expires or when Zoho called it invalid, never more than Zoho allows (ten tokens per
 * refresh token in ten minutes: more blocks the integration). Owned by the connector's client; no
 * static state, so two connectors in one JVM (tests) keep their own.
 */
final class ZohoTokens {
    /** Zoho's limit: access tokens per refresh token in {@link #WINDOW}. */
    static final int REFRESHES_PER_WINDOW = 10;
    static final Duration WINDOW = Duration.ofMinutes(10);
    /** A token is refreshed this long before it expires, so no request carries one about to expire. */
    static final Duration AHEAD = Duration.ofMinutes(5);

    /** An access token, the API base it works with and when it expires. */
    record Token(String accessToken, String apiDomain, Instant expiresAt) {
        @Override
        public String toString() {
            return "Token[apiDomain=" + apiDomain + ", expiresAt=" + expiresAt + "]";
        }
    }

    /** The refresh-token grant at the accounts host. */
    interface Grant {
        /** A new token, or the reason Zoho refused one. */
        Token refresh() throws CrmException;
    }

    private final Grant grant;
    private final Clock clock;
    private final Deque<Instant> refreshes = new ArrayDeque<>();
    private volatile Token current;
    private long refreshCount;

    ZohoTokens(Grant grant, Clock clock) {
        this.grant = grant;
        this.clock = clock;
    }

    /** A token valid for at least a few minutes more, refreshed first when needed (by one thread). */
    Token token() throws CrmException {
        Token token = current;
        if (fresh(token)) {
            return token;
        }
        synchronized (this) {
            if (fresh(current)) {
                return current;
            }
            Instant now = clock.instant();
            while (!refreshes.isEmpty() && !refreshes.peekFirst().plus(WINDOW).isAfter(now)) {
                refreshes.removeFirst();
            }
            if (refreshes.size() >= REFRESHES_PER_WINDOW) {
                Duration wait = Duration.between(now, refreshes.peekFirst().plus(WINDOW));
                throw new CrmUnavailableException("Zoho allows " + REFRESHES_PER_WINDOW + " access tokens per refresh token in "
                    + WINDOW.toMinutes() + " minutes and this connector has asked for them all; the next in " + wait.toSeconds() + " s",
                    Optional.of(wait), null);
            }
            refreshes.addLast(now);
            refreshCount++;
            current = grant.refresh();
            return current;
        }
    }

    /** Zoho answered {@code INVALID_TOKEN} to {@code token}: the next request refreshes, unless another thread already did. */
    synchronized void invalid(Token token) {
        if (current == token) {
            current = null;
        }
    }

    /** The token in use, if any. */
    Optional<Token> current() {
        return Optional.ofNullable(current);
    }

    /** How many tokens this connector asked for. */
    synchronized long refreshCount() {
        return refreshCount;
    }

    private boolean fresh(Token token) {
        return token != null && token.expiresAt().minus(AHEAD).isAfter(clock.instant());
    }
}

package org.jamescrm.zoho;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmUnavailableException;
import org.jamescrm.spi.TokenStore;
import org.jamescrm.store.StoreUnavailableException;

/**
 * The one access token of a connector, shared by all its threads and, through the capture store's
 * {@link TokenStore}, by every server of a cluster: refreshed by one thread of one server at a time,
 * shortly before it expires or when Zoho called it invalid, never more than Zoho allows (ten tokens
 * per refresh token in ten minutes: more blocks the integration). A server finds the token another
 * one got in the store and uses it; Zoho does not rotate the refresh token, so servers never lock
 * each other out, but each server minting its own token would spend the ten tokens of the window
 * together. No static state, so two connectors in one JVM (tests) keep their own.
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

        /** The token as the store keeps it: one line each for the token, the API base and the expiry. */
        String stored() {
            return accessToken + "\n" + apiDomain + "\n" + expiresAt.toEpochMilli();
        }

        /** A token the store kept; empty when what it kept is not one (another version's, damaged). */
        static Optional<Token> fromStored(String stored) {
            String[] lines = stored.split("\n", -1);
            if (lines.length != 3 || lines[0].isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(new Token(lines[0], lines[1], Instant.ofEpochMilli(Long.parseLong(lines[2]))));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
    }

    /** The refresh-token grant at the accounts host. */
    interface Grant {
        /** A new token, or the reason Zoho refused one. */
        Token refresh() throws CrmException;
    }

    private final Grant grant;
    private final Clock clock;
    private final TokenStore store;
    private final String account;
    private final String seed;
    private final Deque<Instant> refreshes = new ArrayDeque<>();
    private volatile Token current;
    /** The last token Zoho called invalid: not taken from the store again. */
    private String invalidated;
    private long refreshCount;

    /**
     * @param store   where the servers keep the token
     * @param account the application on the organisation's accounts host, as the store names it
     * @param seed    the configured refresh token
     */
    ZohoTokens(Grant grant, Clock clock, TokenStore store, String account, String seed) {
        this.grant = grant;
        this.clock = clock;
        this.store = store;
        this.account = account;
        this.seed = seed;
    }

    /** Tokens of this connector alone (tests). */
    ZohoTokens(Grant grant, Clock clock) {
        this(grant, clock, org.jamescrm.spi.ConnectorState.inMemory().tokens(), "zoho", "seed");
    }

    /**
     * A token valid for at least a few minutes more: this connector's, else the one another server
     * keeps in the store, else a new one (by one thread of one server).
     */
    Token token() throws CrmException {
        Token token = current;
        if (fresh(token)) {
            return token;
        }
        synchronized (this) {
            if (fresh(current)) {
                return current;
            }
            Optional<String> kept = StoreUnavailableException.orCrmUnavailable("the shared Zoho tokens", () -> store.current(account, seed))
                .flatMap(TokenStore.OAuthTokens::accessToken);
            Optional<Token> keptToken = kept.flatMap(Token::fromStored);
            if (keptToken.isPresent() && fresh(keptToken.get()) && !kept.get().equals(invalidated)) {
                current = keptToken.get();
                return current;
            }
            TokenStore.OAuthTokens refreshed = StoreUnavailableException.orCrmUnavailable("the shared Zoho tokens",
                () -> store.refresh(account, kept, seed, refreshToken -> new TokenStore.OAuthTokens(Optional.of(newToken().stored()),
                    refreshToken)));
            current = refreshed.accessToken().flatMap(Token::fromStored)
                .orElseThrow(() -> new CrmUnavailableException("the shared Zoho token cannot be read", Optional.empty(), null));
            return current;
        }
    }

    /** A token from Zoho's grant, within Zoho's limit of tokens per refresh token; called holding the lock. */
    private Token newToken() throws CrmException {
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
        return grant.refresh();
    }

    /** Zoho answered {@code INVALID_TOKEN} to {@code token}: the next request refreshes, unless another thread already did. */
    synchronized void invalid(Token token) {
        if (current == token) {
            current = null;
            invalidated = token.stored();
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

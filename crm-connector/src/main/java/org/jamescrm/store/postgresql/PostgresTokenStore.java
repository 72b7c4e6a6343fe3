package org.jamescrm.store.postgresql;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Optional;

import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.TokenStore;

/**
 * OAuth tokens in a row per account. A refresh locks the row ({@code SELECT … FOR UPDATE}) for the
 * one call of the token endpoint: a server that comes second waits, then finds the access token
 * already replaced and takes it, so a rotating refresh token is spent once. The row remembers a
 * digest of the configured refresh token it grew from: a newly configured one replaces it.
 */
final class PostgresTokenStore implements TokenStore {
    /** How long a server waits for another's refresh: beyond the token endpoint's own timeout. */
    private static final String LOCK_TIMEOUT = "SET LOCAL lock_timeout = '90s'";

    private final Jdbc jdbc;
    private final String node;

    PostgresTokenStore(Jdbc jdbc, String node) {
        this.jdbc = jdbc;
        this.node = node;
    }

    @Override
    public Optional<OAuthTokens> current(String account, String seed) {
        return jdbc.call("read the OAuth tokens of " + account, connection -> read(connection, account, seed, false));
    }

    @Override
    public OAuthTokens refresh(String account, Optional<String> expired, String seed, Refresher refresher) throws CrmException {
        return jdbc.<OAuthTokens, CrmException>transaction("refresh the OAuth tokens of " + account, connection -> {
            Jdbc.update(connection, LOCK_TIMEOUT);
            Jdbc.update(connection, "INSERT INTO crm_capture.oauth_tokens (account, seed_digest, refresh_token) VALUES (?, ?, ?) "
                + "ON CONFLICT DO NOTHING", account, digest(seed), seed);
            OAuthTokens kept = read(connection, account, seed, true).orElse(new OAuthTokens(Optional.empty(), seed));
            if (kept.accessToken().isPresent() && !kept.accessToken().equals(expired)) {
                return kept; // another server refreshed while this one waited for the row
            }
            OAuthTokens fresh = refresher.refresh(kept.refreshToken());
            Jdbc.update(connection, "UPDATE crm_capture.oauth_tokens SET seed_digest = ?, access_token = ?, refresh_token = ?, "
                + "refreshed_at = now(), node = ? WHERE account = ?", digest(seed), fresh.accessToken().orElse(null),
                fresh.refreshToken(), node, account);
            return fresh;
        });
    }

    /** The tokens of the account, when they grew from {@code seed}; locked for the transaction with {@code forUpdate}. */
    private static Optional<OAuthTokens> read(Connection connection, String account, String seed, boolean forUpdate) throws SQLException {
        try (PreparedStatement select = Jdbc.bind(connection.prepareStatement("SELECT seed_digest, access_token, refresh_token "
            + "FROM crm_capture.oauth_tokens WHERE account = ?" + (forUpdate ? " FOR UPDATE" : "")), account);
             ResultSet row = select.executeQuery()) {
            if (!row.next() || !row.getString("seed_digest").equals(digest(seed))) {
                return Optional.empty();
            }
            return Optional.of(new OAuthTokens(Optional.ofNullable(row.getString("access_token")), row.getString("refresh_token")));
        }
    }

    /** What tells which configured refresh token a row grew from. */
    private static String digest(String seed) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}

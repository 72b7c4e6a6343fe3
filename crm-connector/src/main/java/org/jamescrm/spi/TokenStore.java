package org.jamescrm.spi;

import java.util.Optional;


/**
 * The OAuth tokens of CRM accounts, refreshed once for every server: a CRM that rotates its refresh
 * token on each refresh (Bitrix24) locks out whoever refreshes with the old one, so a refresh takes
 * the account's tokens exclusively, and a server whose access token another one already replaced
 * takes the new one instead of refreshing again.
 */
public interface TokenStore {

    /**
     * The tokens kept for {@code account}; empty when none were kept yet, or when they were kept for
     * another configured refresh token (an administrator installed a new one: it wins).
     *
     * @param seed the refresh token of the settings
     */
    Optional<OAuthTokens> current(String account, String seed);

    /**
     * Refreshes the tokens of {@code account}, unless their access token is no longer {@code expired}
     * (another thread or server refreshed meanwhile): then the kept tokens are answered as they are.
     *
     * @param expired   the access token the CRM refused, empty when the caller has none yet
     * @param seed      the refresh token of the settings, used when none is kept for it yet
     * @param refresher exchanges a refresh token for new tokens (the CRM's token endpoint)
     * @throws CrmException what the refresher threw; the tokens kept are then unchanged
     */
    OAuthTokens refresh(String account, Optional<String> expired, String seed, Refresher refresher) throws CrmException;

    /** Exchanges a refresh token for new tokens. */
    @FunctionalInterface
    interface Refresher {
        OAuthTokens refresh(String refreshToken) throws CrmException;
    }

    /**
     * An access token and the refresh token that replaces it.
     *
     * @param accessToken  empty until the first refresh
     * @param refreshToken the refresh token to use next
     */
    record OAuthTokens(Optional<String> accessToken, String refreshToken) {

        public OAuthTokens {
            java.util.Objects.requireNonNull(accessToken, "accessToken");
            java.util.Objects.requireNonNull(refreshToken, "refreshToken");
        }

        @Override
        public String toString() {
            return "OAuthTokens[***]";
        }
    }
}

package org.jamescrm.spi;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;


/** The tokens of one server, in memory: refreshes are one at a time per store. */
final class InMemoryTokenStore implements TokenStore {
    private final Map<String, Kept> tokens = new HashMap<>();

    @Override
    public synchronized Optional<OAuthTokens> current(String account, String seed) {
        return Optional.ofNullable(tokens.get(account)).filter(kept -> kept.seed.equals(seed)).map(Kept::tokens);
    }

    @Override
    public synchronized OAuthTokens refresh(String account, Optional<String> expired, String seed, Refresher refresher)
            throws CrmException {
        OAuthTokens kept = current(account, seed).orElse(new OAuthTokens(Optional.empty(), seed));
        if (kept.accessToken().isPresent() && !kept.accessToken().equals(expired)) {
            return kept;
        }
        OAuthTokens fresh = refresher.refresh(kept.refreshToken());
        tokens.put(account, new Kept(seed, fresh));
        return fresh;
    }

    private record Kept(String seed, OAuthTokens tokens) {
    }
}

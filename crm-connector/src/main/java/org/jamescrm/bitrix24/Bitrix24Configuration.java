package org.jamescrm.bitrix24;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

import org.jamescrm.spi.ConnectorSettings;

/**
 * A validated Bitrix24 connection: the {@code <bitrix24>} element of {@code crm-capture.xml}.
 *
 * @param portal            the portal's base URL, e.g. {@code https://company.bitrix24.com} (emulators plug in here)
 * @param auth              webhook or OAuth
 * @param requestsPerSecond the portal's drain rate (2 on most plans, 5 on Enterprise)
 * @param burst             the portal's bucket size (50 on most plans, 250 on Enterprise)
 * @param timeout           the time one HTTP call may take (the portal itself stops at 60 s)
 * @param originatorId      written as ORIGINATOR_ID on everything created, with the capture key as ORIGIN_ID
 */
public record Bitrix24Configuration(String portal, Bitrix24Auth auth, double requestsPerSecond, int burst, Duration timeout,
                                    String originatorId) implements ConnectorSettings {

    public Bitrix24Configuration {
        Objects.requireNonNull(portal, "portal");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(originatorId, "originatorId");
        portal = portal.endsWith("/") ? portal.substring(0, portal.length() - 1) : portal;
        if (requestsPerSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("requestsPerSecond must be positive and burst at least 1");
        }
    }

    /** The webhook code, or the OAuth client secret and refresh token. */
    @Override
    public Set<String> secrets() {
        if (auth instanceof Bitrix24Auth.Webhook webhook) {
            return Set.of(webhook.code());
        }
        Bitrix24Auth.OAuth oauth = (Bitrix24Auth.OAuth) auth;
        return Set.of(oauth.clientSecret(), oauth.refreshToken());
    }

    /** The defaults of most plans: 2 requests per second, burst 50, 30 s timeout. */
    public static Bitrix24Configuration of(String portal, Bitrix24Auth auth) {
        return new Bitrix24Configuration(portal, auth, 2, 50, Duration.ofSeconds(30), "james-crm-capture");
    }
}

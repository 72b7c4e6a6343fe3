package org.jamescrm.zoho;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.jamescrm.spi.ConnectorSettings;

/**
 * A validated Zoho CRM connection: the {@code <zoho>} element of {@code crm-capture.xml}.
 *
 * @param dataCentre   the organisation's data centre: its accounts host refreshes the tokens
 * @param clientId     the Self Client's client id
 * @param clientSecret the Self Client's client secret
 * @param refreshToken the refresh token made for the Self Client at that data centre
 * @param accountsUrl  the accounts host, for testing or a private deployment; the data centre's when empty
 * @param apiUrl       the API base, for testing or a private deployment (a sandbox); the token answer's
 *                     {@code api_domain} when empty
 * @param concurrency  the most requests in flight at once, by all capture threads together: the
 *                     organisation's concurrency limit (10 for the Standard edition)
 * @param workflows    whether Zoho runs its workflows, approvals and blueprints on the records written
 *                     (Zoho's own default); off sends {@code "trigger": []}
 * @param timeout      the time one HTTP call may take
 */
public record ZohoConfiguration(ZohoDataCentre dataCentre, String clientId, String clientSecret, String refreshToken,
                                Optional<String> accountsUrl, Optional<String> apiUrl, int concurrency, boolean workflows,
                                Duration timeout) implements ConnectorSettings {

    /** Requests in flight unless {@code <concurrency>} says otherwise: the Standard edition's limit. */
    public static final int DEFAULT_CONCURRENCY = 10;
    /** The timeout unless {@code <timeout>} says otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public ZohoConfiguration {
        Objects.requireNonNull(dataCentre, "dataCentre");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
        Objects.requireNonNull(refreshToken, "refreshToken");
        accountsUrl = accountsUrl.map(ZohoConfiguration::withoutSlash);
        apiUrl = apiUrl.map(ZohoConfiguration::withoutSlash);
        Objects.requireNonNull(timeout, "timeout");
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
        }
    }

    /** A connection to {@code dataCentre} with the defaults. */
    public static ZohoConfiguration of(ZohoDataCentre dataCentre, String clientId, String clientSecret, String refreshToken) {
        return new ZohoConfiguration(dataCentre, clientId, clientSecret, refreshToken, Optional.empty(), Optional.empty(),
            DEFAULT_CONCURRENCY, true, DEFAULT_TIMEOUT);
    }

    /** The same connection refreshing its tokens at {@code url} (an emulator, a private deployment). */
    public ZohoConfiguration withAccountsUrl(String url) {
        return new ZohoConfiguration(dataCentre, clientId, clientSecret, refreshToken, Optional.of(url), apiUrl, concurrency, workflows,
            timeout);
    }

    /** The same connection with {@code concurrency} requests in flight at most. */
    public ZohoConfiguration withConcurrency(int requests) {
        return new ZohoConfiguration(dataCentre, clientId, clientSecret, refreshToken, accountsUrl, apiUrl, requests, workflows, timeout);
    }

    /** The accounts host in force: the configured one, else the data centre's. */
    public String accounts() {
        return accountsUrl.orElse(dataCentre.accountsUrl());
    }

    /** The client secret and the refresh token. */
    @Override
    public Set<String> secrets() {
        return Set.of(clientSecret, refreshToken);
    }

    /** Never prints a secret. */
    @Override
    public String toString() {
        return "ZohoConfiguration[dataCentre=" + dataCentre + ", accounts=" + accounts() + ", api=" + apiUrl.orElse("(api_domain)")
            + ", concurrency=" + concurrency + ", workflows=" + (workflows ? "on" : "off") + ", timeout=" + timeout + "]";
    }

    private static String withoutSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}

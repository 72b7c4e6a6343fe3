package org.jamescrm.espocrm;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.jamescrm.spi.ConnectorSettings;

/**
 * A validated EspoCRM connection: the {@code <espocrm>} element of {@code crm-capture.xml}.
 *
 * @param url              the site's base URL, e.g. {@code https://crm.company.example} (the API is under
 *                         {@code /api/v1/}; emulators plug in here)
 * @param apiKey           the API user's key
 * @param secretKey        the API user's secret key: HMAC authentication ({@code X-Hmac-Authorization}) when
 *                         present, the API key alone ({@code X-Api-Key}) when absent
 * @param requestsInFlight the most requests sent at once, by all capture threads together
 * @param timeout          the time one HTTP call may take
 */
public record EspoCrmConfiguration(String url, String apiKey, Optional<String> secretKey, int requestsInFlight, Duration timeout)
        implements ConnectorSettings {

    /** Requests in flight unless {@code <requestsInFlight>} says otherwise. */
    public static final int DEFAULT_REQUESTS_IN_FLIGHT = 4;
    /** The timeout unless {@code <timeout>} says otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public EspoCrmConfiguration {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(secretKey, "secretKey");
        Objects.requireNonNull(timeout, "timeout");
        url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        if (requestsInFlight < 1) {
            throw new IllegalArgumentException("requestsInFlight must be at least 1, got " + requestsInFlight);
        }
    }

    /** API-key authentication with the defaults. */
    public static EspoCrmConfiguration apiKey(String url, String apiKey) {
        return new EspoCrmConfiguration(url, apiKey, Optional.empty(), DEFAULT_REQUESTS_IN_FLIGHT, DEFAULT_TIMEOUT);
    }

    /** HMAC authentication with the defaults. */
    public static EspoCrmConfiguration hmac(String url, String apiKey, String secretKey) {
        return new EspoCrmConfiguration(url, apiKey, Optional.of(secretKey), DEFAULT_REQUESTS_IN_FLIGHT, DEFAULT_TIMEOUT);
    }

    /** The API key and, with HMAC, the secret key. */
    @Override
    public Set<String> secrets() {
        Set<String> secrets = new LinkedHashSet<>();
        secrets.add(apiKey);
        secretKey.ifPresent(secrets::add);
        return Set.copyOf(secrets);
    }

    /** Never prints a key. */
    @Override
    public String toString() {
        return "EspoCrmConfiguration[url=" + url + ", auth=" + (secretKey.isPresent() ? "hmac" : "apiKey") + ", requestsInFlight="
            + requestsInFlight + ", timeout=" + timeout + "]";
    }
}

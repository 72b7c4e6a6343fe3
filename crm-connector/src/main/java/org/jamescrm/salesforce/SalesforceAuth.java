package org.jamescrm.salesforce;

import java.io.IOException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

import org.jamescrm.spi.CrmAnswers;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmUnavailableException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The connector's Salesforce session (salesforce §1.1): a token from {@code /services/oauth2/token} by the JWT
 * bearer flow (a fresh signed assertion each time, no refresh token) or the client-credentials flow, with the
 * {@code instance_url} the REST calls go to. One session for every thread; on 401 {@code INVALID_SESSION_ID} the
 * first thread re-authenticates once and the others use its new session. Thread-safe.
 */
final class SalesforceAuth {
    private static final String JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private final SalesforceConfiguration configuration;
    private final OkHttpClient http;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Optional<JwtAssertion> assertion;
    private Session current;

    /** An access token and the org's REST host. */
    record Session(String accessToken, HttpUrl instanceUrl) {
        Session {
            Objects.requireNonNull(accessToken, "accessToken");
            Objects.requireNonNull(instanceUrl, "instanceUrl");
        }

        /** Never prints the token. */
        @Override
        public String toString() {
            return "Session[" + instanceUrl + "]";
        }
    }

    SalesforceAuth(SalesforceConfiguration configuration, OkHttpClient http, ObjectMapper mapper, Clock clock) {
        this.configuration = configuration;
        this.http = http;
        this.mapper = mapper;
        this.clock = clock;
        this.assertion = configuration.auth() instanceof SalesforceConfiguration.JwtBearer jwt
            ? Optional.of(new JwtAssertion(configuration.clientId(), jwt.username(), jwt.audience(), PemKeys.rsaPrivateKey(jwt.privateKeyPem()),
                mapper))
            : Optional.empty();
    }

    /** The session, authenticating first when there is none. */
    synchronized Session session() throws CrmException {
        if (current == null) {
            current = authenticate();
        }
        return current;
    }

    /** A new session after {@code refused} was refused; when another thread already renewed it, that one. */
    synchronized Session renew(Session refused) throws CrmException {
        if (current == null || current.equals(refused)) {
            current = null;
            current = authenticate();
        }
        return current;
    }

    /** The access token in use, to scrub from any text that leaves the connector. */
    synchronized Optional<String> token() {
        return current == null ? Optional.empty() : Optional.of(current.accessToken());
    }

    private Session authenticate() throws CrmException {
        FormBody.Builder form = new FormBody.Builder();
        if (assertion.isPresent()) {
            form.add("grant_type", JWT_GRANT).add("assertion", assertion.get().sign(clock.instant()));
        } else {
            SalesforceConfiguration.ClientCredentials credentials = (SalesforceConfiguration.ClientCredentials) configuration.auth();
            form.add("grant_type", "client_credentials").add("client_id", configuration.clientId())
                .add("client_secret", credentials.clientSecret());
        }
        Request request = new Request.Builder().url(configuration.tokenUrl()).post(form.build()).header("Accept", "application/json").build();
        try (Response response = http.newCall(request).execute()) {
            ResponseBody body = response.body();
            String text = CrmAnswers.text(body);
            if (!response.isSuccessful()) {
                throw SalesforceErrors.token(response.code(), text);
            }
            JsonNode answer = mapper.readTree(text);
            HttpUrl instance = HttpUrl.parse(answer.path("instance_url").asText(""));
            String token = answer.path("access_token").asText("");
            if (instance == null || token.isEmpty()) {
                throw new CrmUnavailableException("Salesforce's token answer has no access_token or instance_url", Optional.empty(), null);
            }
            return new Session(token, instance);
        } catch (IOException e) {
            throw SalesforceErrors.noAnswer("POST oauth2/token", e);
        }
    }
}

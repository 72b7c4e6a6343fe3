package org.jamescrm.bitrix24;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.jamescrm.spi.CrmAnswers;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmUnavailableException;
import org.jamescrm.spi.RetryAfter;
import org.jamescrm.spi.ConnectorState;
import org.jamescrm.spi.RequestBudget;
import org.jamescrm.store.StoreUnavailableException;
import org.jamescrm.spi.TokenStore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The only class that speaks HTTP to a Bitrix24 portal: POST with a JSON body, the webhook or OAuth
 * credentials, the client-side leaky bucket before every request, the response envelope and its
 * errors, one token refresh on {@code expired_token}. Retries are not done here: a failure is
 * classified and thrown, and the capture queue owns the retry. Thread-safe. The request budget and
 * the OAuth tokens are the store's: with a cluster's store, one bucket per portal and one refresh
 * for every server.
 */
public final class Bitrix24Client {
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    /** Rate-limit refusals of one request waited out before it fails as unavailable. */
    static final int RATE_LIMIT_RETRIES = 2;

    private final Bitrix24Configuration configuration;
    private final OkHttpClient http;
    private final RequestBudget bucket;
    private final LeakyBucket.Sleeper sleeper;
    private final Clock clock;
    private final ObjectMapper mapper = new ObjectMapper();
    private final TokenStore tokens;
    private final Object tokenLock = new Object();
    private String accessToken;

    /** A client whose budget and tokens are its own (one server). */
    public Bitrix24Client(Bitrix24Configuration configuration, Clock clock, LeakyBucket.Sleeper sleeper) {
        this(configuration, clock, sleeper, ConnectorState.inMemory());
    }

    /** A client whose request budget and OAuth tokens are kept in {@code store}. */
    public Bitrix24Client(Bitrix24Configuration configuration, Clock clock, LeakyBucket.Sleeper sleeper, ConnectorState store) {
        this.configuration = configuration;
        this.clock = clock;
        int burst = clientBurst(configuration.burst());
        // the portal's limit is the portal's, whatever the credentials: one budget per portal
        this.bucket = store.requestBudgets().budget("bitrix24 " + configuration.portal(), configuration.requestsPerSecond(), burst,
            () -> new LeakyBucket(configuration.requestsPerSecond(), burst, clock, sleeper));
        this.sleeper = sleeper;
        this.tokens = store.tokens();
        this.http = new OkHttpClient.Builder()
            .callTimeout(configuration.timeout())
            .retryOnConnectionFailure(false) // the capture queue retries, with its own delays
            .build();
    }

    /**
     * The burst the client allows itself: a tenth of the portal's (at least 2) below it, so that
     * requests counted in order here but arriving bunched at the portal (threads, network) still fit.
     */
    static int clientBurst(int portalBurst) {
        return Math.max(1, portalBurst - Math.max(2, portalBurst / 10));
    }

    /** The client-side request budget (the portal's leaky bucket) now. */
    java.util.Map<String, Object> budget() {
        return bucket.view();
    }

    /** A client that really sleeps when the bucket is full. */
    public static Bitrix24Client create(Bitrix24Configuration configuration) {
        return create(configuration, ConnectorState.inMemory());
    }

    /** A client that really sleeps when the budget is spent, its budget and tokens in {@code store}. */
    public static Bitrix24Client create(Bitrix24Configuration configuration, ConnectorState store) {
        return new Bitrix24Client(configuration, Clock.systemUTC(), duration -> Thread.sleep(duration.toMillis()), store);
    }

    /** One command of a {@code batch}. */
    public record Command(String method, ObjectNode params) {
    }

    /**
     * The outcome of a {@code batch}: each command's result, or its error.
     *
     * @param results the results by command id
     * @param totals  the {@code total} of list commands by command id
     * @param errors  the failures by command id, classified
     */
    public record BatchResult(Map<String, JsonNode> results, Map<String, Integer> totals, Map<String, CrmException> errors) {

        /** The result of {@code id}, or its error thrown. */
        public JsonNode get(String id) throws CrmException {
            CrmException error = errors.get(id);
            if (error != null) {
                throw error;
            }
            JsonNode result = results.get(id);
            return result == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : result;
        }
    }

    /**
     * How long until {@code requests} sent now cost the portal's budget nothing that waiting up to
     * {@code horizon} would save ({@link LeakyBucket#untilFree}); zero while the bucket has room.
     */
    public Duration untilFree(int requests, Duration horizon) {
        return bucket.untilFree(requests, horizon);
    }

    /**
     * How long until {@code requests} sent within the next {@code horizon} leave a tenth of the client's
     * burst unspent, at least {@code reserve} requests ({@link LeakyBucket#untilAffordable}): room for the
     * next round when mail comes bunched. A larger reserve made a quiet server's lone mails wait for
     * company while the burst still had room for them.
     */
    public Duration untilAffordable(int requests, Duration horizon, int reserve) {
        return bucket.untilAffordable(requests, horizon, Math.max(reserve, bucket.capacity() / 10));
    }

    /** A fresh JSON object for parameters. */
    public ObjectNode params() {
        return mapper.createObjectNode();
    }

    /** Calls {@code method}; returns the whole envelope ({@code result}, {@code total}, {@code next}). */
    public JsonNode call(String method, ObjectNode params) throws CrmException {
        JsonNode envelope = send(method, params, true);
        return envelope;
    }

    /**
     * Runs up to 50 commands in one HTTP request (one request for the portal's rate limit).
     *
     * @param halt stop at the first failing command
     */
    public BatchResult batch(Map<String, Command> commands, boolean halt) throws CrmException {
        if (commands.size() > 50) {
            throw new IllegalArgumentException("a batch holds at most 50 commands, got " + commands.size());
        }
        ObjectNode params = mapper.createObjectNode();
        params.put("halt", halt ? 1 : 0);
        ObjectNode cmd = params.putObject("cmd");
        commands.forEach((id, command) -> cmd.put(id, command.method() + "?" + PhpQuery.encode(command.params())));
        JsonNode result = send("batch", params, true).path("result");
        Map<String, JsonNode> results = new LinkedHashMap<>();
        Map<String, Integer> totals = new LinkedHashMap<>();
        Map<String, CrmException> errors = new LinkedHashMap<>();
        result.path("result").fields().forEachRemaining(entry -> results.put(entry.getKey(), entry.getValue()));
        result.path("result_total").fields().forEachRemaining(entry -> totals.put(entry.getKey(), entry.getValue().asInt()));
        result.path("result_error").fields().forEachRemaining(entry -> {
            String method = Optional.ofNullable(commands.get(entry.getKey())).map(Command::method).orElse("batch");
            errors.put(entry.getKey(), Bitrix24Errors.classify(method, 200, entry.getValue().path("error").asText(""),
                entry.getValue().path("error_description").asText(""), Optional.empty(), rateLimitWait()));
        });
        return new BatchResult(results, totals, errors);
    }

    private JsonNode send(String method, ObjectNode params, boolean mayRefresh) throws CrmException {
        for (int refusals = 0; ; refusals++) {
            try {
                return sendOnce(method, params, mayRefresh);
            } catch (RateLimitRefusal refusal) {
                // a request the portal refused for its rate limit was not run: waiting a drain step and
                // sending it again is safe, and spares a whole round of captures a trip through the queue
                if (refusals >= RATE_LIMIT_RETRIES) {
                    throw refusal.unavailable;
                }
                try {
                    sleeper.sleep(rateLimitWait().multipliedBy(2));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw refusal.unavailable;
                }
            }
        }
    }

    /** The portal's QUERY_LIMIT_EXCEEDED, before it is given up on. */
    private static final class RateLimitRefusal extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient CrmException unavailable;

        RateLimitRefusal(CrmException unavailable) {
            super(unavailable.getMessage(), null, false, false);
            this.unavailable = unavailable;
        }
    }

    private JsonNode sendOnce(String method, ObjectNode params, boolean mayRefresh) throws CrmException, RateLimitRefusal {
        try {
            Duration wait = bucket.reserve();
            if (!wait.isZero()) {
                sleeper.sleep(wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CrmUnavailableException("interrupted while waiting for the Bitrix24 rate limit", Optional.empty(), e);
        } catch (StoreUnavailableException e) {
            throw new CrmUnavailableException("the shared request budget is unavailable: " + e.getMessage(), Optional.empty(), e);
        }
        String token = configuration.auth() instanceof Bitrix24Auth.OAuth ? accessToken() : null;
        Request request = new Request.Builder()
            .url(url(method, token))
            .post(RequestBody.create(params.toString(), JSON))
            .build();
        int status;
        String body;
        Optional<Duration> retryAfter;
        try (Response response = http.newCall(request).execute()) {
            status = response.code();
            retryAfter = RetryAfter.parse(response.header("Retry-After"), clock);
            ResponseBody responseBody = response.body();
            body = CrmAnswers.text(responseBody);
        } catch (IOException e) {
            // no URL in the message: a webhook URL carries its secret
            throw new CrmUnavailableException("Bitrix24 " + method + " did not answer: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), Optional.empty(), null);
        }
        JsonNode envelope;
        try {
            envelope = mapper.readTree(body);
        } catch (IOException e) {
            // a proxy's or an overloaded portal's page: 5xx and 429 are for later, at the hint when there is one
            throw Bitrix24Errors.classify(method, status, status >= 500 || status == 429 ? "" : "NOT_JSON", "the answer is not JSON",
                Optional.empty(), rateLimitWait(), retryAfter);
        }
        if (envelope == null || !envelope.has("error")) {
            if (status >= 400 || envelope == null) {
                throw Bitrix24Errors.classify(method, status, "", "unexpected answer", Optional.empty(), rateLimitWait(), retryAfter);
            }
            return envelope;
        }
        String error = envelope.path("error").asText("");
        if (error.equals("expired_token") && mayRefresh && configuration.auth() instanceof Bitrix24Auth.OAuth) {
            refreshAccessToken(token);
            return send(method, params, false);
        }
        // the portal names the reset in "time", some versions also at the top level
        JsonNode reset = envelope.path("time").path("operating_reset_at");
        if (!reset.isNumber()) {
            reset = envelope.path("operating_reset_at");
        }
        Optional<Long> secondsToReset = reset.isNumber() ? Optional.of(reset.asLong() - clock.instant().getEpochSecond()) : Optional.empty();
        CrmException failure = Bitrix24Errors.classify(method, status, error, envelope.path("error_description").asText(""),
            secondsToReset, rateLimitWait(), retryAfter);
        if (error.equals("QUERY_LIMIT_EXCEEDED")) {
            throw new RateLimitRefusal(failure);
        }
        throw failure;
    }

    private Duration rateLimitWait() {
        return Duration.ofMillis((long) Math.ceil(1000 / configuration.requestsPerSecond()));
    }

    private HttpUrl url(String method, String token) throws CrmException {
        HttpUrl portal = HttpUrl.parse(configuration.portal());
        if (portal == null) {
            throw new org.jamescrm.spi.CrmRejectedException("the Bitrix24 portal URL '" + configuration.portal() + "' is not a URL");
        }
        if (configuration.auth() instanceof Bitrix24Auth.Webhook webhook) {
            return portal.newBuilder().addPathSegment("rest").addPathSegment(String.valueOf(webhook.userId()))
                .addPathSegment(webhook.code()).addPathSegment(method + ".json").build();
        }
        return portal.newBuilder().addPathSegment("rest").addPathSegment(method + ".json")
            .addQueryParameter("auth", token).build();
    }

    private String accessToken() throws CrmException {
        Bitrix24Auth.OAuth oauth = (Bitrix24Auth.OAuth) configuration.auth();
        synchronized (tokenLock) {
            if (accessToken == null) {
                // another server may have refreshed already: its access token serves this one too
                accessToken = storeCall(() -> tokens.current(tokenAccount(oauth), oauth.refreshToken())).flatMap(TokenStore.OAuthTokens::accessToken)
                    .orElse(null);
            }
            if (accessToken == null) {
                refreshAccessToken(null);
            }
            return accessToken;
        }
    }

    /**
     * Exchanges the refresh token for a new access token (and the refresh token the server rotates
     * in), unless another thread or server already replaced {@code expired}: one refresh per expiry,
     * whatever the number of servers.
     */
    private void refreshAccessToken(String expired) throws CrmException {
        Bitrix24Auth.OAuth oauth = (Bitrix24Auth.OAuth) configuration.auth();
        synchronized (tokenLock) {
            if (accessToken != null && !accessToken.equals(expired)) {
                return;
            }
            TokenStore.OAuthTokens fresh = storeCall(() -> tokens.refresh(tokenAccount(oauth), Optional.ofNullable(expired),
                oauth.refreshToken(), refreshToken -> exchange(oauth, refreshToken)));
            accessToken = fresh.accessToken().orElseThrow();
        }
    }

    /** The account the tokens are kept under: the application on the portal. */
    private String tokenAccount(Bitrix24Auth.OAuth oauth) {
        return "bitrix24 " + configuration.portal() + " " + oauth.clientId();
    }

    private static <T> T storeCall(StoreUnavailableException.StoreCall<T> call) throws CrmException {
        return StoreUnavailableException.orCrmUnavailable("the shared OAuth tokens", call);
    }

    /** One call of the OAuth server's token endpoint: new tokens for {@code refreshToken}. */
    private TokenStore.OAuthTokens exchange(Bitrix24Auth.OAuth oauth, String refreshToken) throws CrmException {
        HttpUrl endpoint = HttpUrl.parse(oauth.tokenEndpoint());
        if (endpoint == null) {
            throw new org.jamescrm.spi.CrmRejectedException("the OAuth token endpoint '" + oauth.tokenEndpoint() + "' is not a URL");
        }
        HttpUrl url = endpoint.newBuilder()
            .addQueryParameter("grant_type", "refresh_token")
            .addQueryParameter("client_id", oauth.clientId())
            .addQueryParameter("client_secret", oauth.clientSecret())
            .addQueryParameter("refresh_token", refreshToken)
            .build();
        try (Response response = http.newCall(new Request.Builder().url(url).get().build()).execute()) {
            ResponseBody body = response.body();
            JsonNode token = mapper.readTree(CrmAnswers.text(body));
            if (token == null || !token.hasNonNull("access_token")) {
                String error = token == null ? "" : token.path("error").asText("");
                throw Bitrix24Errors.classify("oauth/token", response.code(), error.isEmpty() ? "invalid_grant" : error,
                    token == null ? "" : token.path("error_description").asText(""), Optional.empty(), rateLimitWait());
            }
            return new TokenStore.OAuthTokens(Optional.of(token.get("access_token").asText()),
                token.hasNonNull("refresh_token") ? token.get("refresh_token").asText() : refreshToken);
        } catch (IOException e) {
            throw new CrmUnavailableException("the Bitrix24 OAuth server did not answer: " + e.getClass().getSimpleName(),
                Optional.empty(), null);
        }
    }
}

package org.jamescrm.zoho;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.jamescrm.spi.CrmAnswers;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmRejectedException;
import org.jamescrm.spi.CrmUnavailableException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The only class that speaks HTTP to Zoho: the refresh-token grant at the data centre's accounts host
 * (one refresher, {@link ZohoTokens}) and the API v8 under the token's {@code api_domain}, with
 * {@code Authorization: Zoho-oauthtoken}, at most {@code concurrency} requests in flight for every
 * thread of the product and the credits Zoho reports kept ({@link ZohoLimits}); every answer closed,
 * {@code 204} read as "nothing", errors classified by {@link ZohoErrors}. A request answered
 * {@code INVALID_TOKEN} is sent once more with a new token; no other retry here: the capture queue owns
 * them. Thread-safe.
 */
public final class ZohoClient {
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final String API = "crm/v8";
    private static final String[] WRAPPERS = {"data", "Emails", "__composite_requests"};
    /** A record id in a path: the operations of the logs and metrics name the kind of request, not the record. */
    private static final Pattern RECORD_ID = Pattern.compile("/\\d{6,}");

    private final ZohoConfiguration configuration;
    private final OkHttpClient http;
    private final ObjectMapper mapper = new ObjectMapper();
    private final ZohoTokens tokens;
    private final ZohoLimits limits;

    /** A client whose token is its own (one server, tests). */
    public ZohoClient(ZohoConfiguration configuration, Clock clock) {
        this(configuration, clock, org.jamescrm.spi.ConnectorState.inMemory());
    }

    /**
     * @param state where the servers of a cluster keep the access token: one token for all of them
     */
    public ZohoClient(ZohoConfiguration configuration, Clock clock, org.jamescrm.spi.ConnectorState state) {
        this.configuration = configuration;
        this.http = new OkHttpClient.Builder()
            .callTimeout(configuration.timeout())
            .retryOnConnectionFailure(false) // the capture queue retries, with its own delays
            .build();
        this.limits = new ZohoLimits(configuration.concurrency(), clock);
        this.tokens = new ZohoTokens(() -> grant(clock), clock, state.tokens(),
            "zoho " + configuration.accounts() + " " + configuration.clientId(), configuration.refreshToken());
        if (HttpUrl.parse(configuration.accounts()) == null) {
            throw new IllegalArgumentException("the Zoho accounts URL '" + configuration.accounts() + "' is not a URL");
        }
    }

    /** The settings this client was made with. */
    public ZohoConfiguration configuration() {
        return configuration;
    }

    /** The one JSON mapper of the connector. */
    public ObjectMapper mapper() {
        return mapper;
    }

    /** A fresh JSON object. */
    public ObjectNode object() {
        return mapper.createObjectNode();
    }

    /** A fresh JSON array. */
    public ArrayNode array() {
        return mapper.createArrayNode();
    }

    ZohoTokens tokens() {
        return tokens;
    }

    ZohoLimits limits() {
        return limits;
    }

    /** {@code GET /crm/v8/path} with query parameters as name, value pairs; a missing node for 204 (nothing found). */
    public JsonNode get(String path, String... query) throws CrmException {
        Map<String, String> parameters = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < query.length; i += 2) {
            parameters.put(query[i], query[i + 1]);
        }
        return expect(send("GET", path, parameters, null));
    }

    /**
     * {@code POST /crm/v8/path} with a JSON body: the answer's body, also for a 4xx whose wrapper
     * ({@code data}, {@code Emails}, {@code __composite_requests}) holds per-item results (the caller reads
     * each); a missing node for 204.
     */
    public JsonNode post(String path, JsonNode body) throws CrmException {
        return expect(send("POST", path, Map.of(), RequestBody.create(body.toString(), JSON)));
    }

    /** {@code POST /crm/v8/files}: the id of the uploaded file, for an e-mail's {@code attachments}. */
    public String upload(String fileName, String contentType, byte[] content) throws CrmException {
        MediaType type = MediaType.parse(contentType);
        RequestBody body = new MultipartBody.Builder().setType(MultipartBody.FORM)
            .addFormDataPart("file", fileName, RequestBody.create(content, type == null ? MediaType.get("application/octet-stream") : type))
            .build();
        JsonNode answer = expect(send("POST", "files", Map.of(), body));
        JsonNode item = answer.path("data").path(0);
        if (!ZohoErrors.success(item)) {
            throw ZohoErrors.item("POST files", 400, item);
        }
        return item.path("details").path("id").asText();
    }

    /** An answer: its status and body (a missing node when empty). */
    private record Answer(String operation, int status, JsonNode body) {
    }

    private JsonNode expect(Answer answer) throws CrmException {
        if (answer.status() < 300) {
            return answer.body();
        }
        for (String wrapper : WRAPPERS) {
            if (answer.status() < 500 && answer.body().path(wrapper).isArray() && !answer.body().path(wrapper).isEmpty()) {
                return answer.body();
            }
        }
        throw ZohoErrors.request(answer.operation(), answer.status(), answer.body(),
            answer.status() == 429 ? limits.throttled() : Duration.ZERO);
    }

    /** A request as the logs and metrics name it: its method and its path with the record ids made {@code {id}}. */
    static String operation(String method, String path) {
        return method + " " + RECORD_ID.matcher(path).replaceAll("/{id}");
    }

    private Answer send(String method, String path, Map<String, String> query, RequestBody body) throws CrmException {
        String operation = operation(method, path);
        ZohoTokens.Token token = tokens.token();
        Answer answer = call(operation, method, path, query, body, token);
        if (answer.status() == 401 && answer.body().path("code").asText("").equals("INVALID_TOKEN")) {
            tokens.invalid(token);
            answer = call(operation, method, path, query, body, tokens.token());
        }
        return answer;
    }

    private Answer call(String operation, String method, String path, Map<String, String> query, RequestBody body, ZohoTokens.Token token)
            throws CrmException {
        HttpUrl base = HttpUrl.parse(configuration.apiUrl().orElse(token.apiDomain()));
        if (base == null) {
            throw new CrmRejectedException("Zoho named the API domain '" + token.apiDomain() + "', which is not a URL; set <zoho><apiUrl>");
        }
        HttpUrl.Builder url = base.newBuilder().addPathSegments(API).addPathSegments(path);
        query.forEach(url::addQueryParameter);
        Request request = new Request.Builder().url(url.build()).method(method, body)
            .header("Authorization", "Zoho-oauthtoken " + token.accessToken())
            .header("Accept", "application/json")
            .build();
        limits.enter();
        try (Response response = http.newCall(request).execute()) {
            limits.credits(Optional.ofNullable(response.header("X-API-CREDITS-REMAINING")));
            return new Answer(operation, response.code(), json(operation, response));
        } catch (IOException e) {
            throw ZohoErrors.noAnswer(operation, e);
        } finally {
            limits.leave();
        }
    }

    private JsonNode json(String operation, Response response) throws IOException, CrmUnavailableException {
        ResponseBody body = response.body();
        String text = CrmAnswers.text(body);
        if (text.isBlank()) {
            return MissingNode.getInstance(); // 204: nothing found; never parsed
        }
        try {
            return mapper.readTree(text);
        } catch (IOException notJson) {
            if (response.isSuccessful()) {
                throw new CrmUnavailableException("Zoho " + operation + " answered " + response.code() + " with no JSON (a proxy's page?)",
                    Optional.empty(), null);
            }
            return MissingNode.getInstance();
        }
    }

    /**
     * {@code POST {accounts}/oauth/v2/token} with the refresh-token grant as form fields. Zoho answers a refusal
     * with HTTP 200 and {@code {"error": …}}: only an {@code access_token} is a success.
     */
    private ZohoTokens.Token grant(Clock clock) throws CrmException {
        HttpUrl url = HttpUrl.parse(configuration.accounts() + "/oauth/v2/token");
        if (url == null) {
            throw new CrmRejectedException("the Zoho accounts URL '" + configuration.accounts() + "' is not a URL");
        }
        Request request = new Request.Builder().url(url)
            .post(new FormBody.Builder()
                .add("grant_type", "refresh_token")
                .add("client_id", configuration.clientId())
                .add("client_secret", configuration.clientSecret())
                .add("refresh_token", configuration.refreshToken())
                .build())
            .build();
        try (Response response = http.newCall(request).execute()) {
            JsonNode answer = json("POST oauth/v2/token", response);
            String accessToken = answer.path("access_token").asText("");
            if (accessToken.isEmpty()) {
                throw ZohoErrors.token(configuration.dataCentre(), configuration.accounts(), response.code(), answer);
            }
            long seconds = answer.path("expires_in").asLong(3600); // sometimes missing: Zoho's tokens live an hour
            String apiDomain = answer.path("api_domain").asText(configuration.dataCentre().apiUrl());
            return new ZohoTokens.Token(accessToken, apiDomain, clock.instant().plusSeconds(seconds));
        } catch (IOException e) {
            throw ZohoErrors.noAnswer("POST oauth/v2/token", e);
        }
    }
}

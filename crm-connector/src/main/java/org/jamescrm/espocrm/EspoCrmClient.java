package org.jamescrm.espocrm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jamescrm.spi.CrmAnswers;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmRejectedException;
import org.jamescrm.spi.CrmUnavailableException;
import org.jamescrm.spi.RetryAfter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The only class that speaks HTTP to EspoCRM ({@code /api/v1/}): JSON in and out, the API key
 * ({@code X-Api-Key}) or the HMAC signature ({@code X-Hmac-Authorization}), at most
 * {@code requestsInFlight} requests at once for every thread of the product, every answer closed and
 * its errors classified by {@link EspoCrmErrors}. No retries here: the capture queue owns them.
 * Thread-safe.
 */
public final class EspoCrmClient {
    /** The largest page EspoCRM serves ({@code recordListMaxSizeLimit}); a larger {@code maxSize} is refused with 403. */
    public static final int MAX_SIZE = 200;
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final String API = "api/v1";
    /** A record id ending a resource: the operations of the logs and metrics name the kind of request, not the record. */
    private static final Pattern RECORD_ID = Pattern.compile("/[0-9a-zA-Z]{6,}$");

    private final EspoCrmConfiguration configuration;
    private final OkHttpClient http;
    private final Semaphore inFlight;
    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpUrl base;

    public EspoCrmClient(EspoCrmConfiguration configuration) {
        this.configuration = configuration;
        this.inFlight = new Semaphore(configuration.requestsInFlight(), true);
        this.http = new OkHttpClient.Builder()
            .callTimeout(configuration.timeout())
            .retryOnConnectionFailure(false) // the capture queue retries, with its own delays
            .build();
        HttpUrl parsed = HttpUrl.parse(configuration.url());
        if (parsed == null) {
            throw new IllegalArgumentException("the EspoCRM URL '" + configuration.url() + "' is not a URL");
        }
        this.base = parsed;
    }

    /** A client for the product. */
    public static EspoCrmClient create(EspoCrmConfiguration configuration) {
        return new EspoCrmClient(configuration);
    }

    /** The most requests this client sends at once. */
    public int requestsInFlight() {
        return configuration.requestsInFlight();
    }

    /** The one JSON mapper of the connector. */
    public ObjectMapper mapper() {
        return mapper;
    }

    /** A record that was created, or the one EspoCRM's duplicate check found instead. */
    public record Created(JsonNode record, boolean existed) {
        /** The record's id. */
        public String id() {
            return record.path("id").asText();
        }
    }

    /** {@code GET resource} with query parameters as name, value pairs. */
    public JsonNode get(String resource, String... query) throws CrmException {
        HttpUrl.Builder url = url(resource);
        for (int i = 0; i + 1 < query.length; i += 2) {
            url.addQueryParameter(query[i], query[i + 1]);
        }
        return expectSuccess("GET " + resource, send("GET", resource, url.build(), null, false));
    }

    /**
     * Every record of {@code entityType} matching {@code where}, page after page of {@link #MAX_SIZE}
     * ({@code searchParams} with {@code maxSize}, {@code offset}, {@code select}, {@code where}), with
     * {@code X-No-Total}: a page shorter than asked is the last.
     */
    public List<JsonNode> list(String entityType, ArrayNode where, String select) throws CrmException {
        List<JsonNode> records = new ArrayList<>();
        for (int offset = 0; ; offset += MAX_SIZE) {
            ObjectNode params = mapper.createObjectNode();
            params.put("maxSize", MAX_SIZE);
            params.put("offset", offset);
            params.put("select", select);
            params.put("orderBy", "createdAt");
            params.put("order", "asc");
            params.set("where", where);
            JsonNode page = get(entityType, "searchParams", params.toString());
            JsonNode list = page.path("list");
            list.forEach(records::add);
            if (list.size() < MAX_SIZE) {
                return records;
            }
        }
    }

    /**
     * {@code POST entityType}; a 409 duplicate answers the first record the duplicate check found.
     *
     * @param skipDuplicateCheck send {@code X-Skip-Duplicate-Check: true} (only a repeat lead asks for it)
     */
    public Created create(String entityType, ObjectNode attributes, boolean skipDuplicateCheck) throws CrmException {
        return create(entityType, attributes, skipDuplicateCheck, record -> true);
    }

    /**
     * {@code POST entityType}; a 409 duplicate answers the first record the duplicate check found that is
     * {@code same} as the one to create. When none is (EspoCRM also calls a namesake a duplicate), the
     * record is created with {@code X-Skip-Duplicate-Check}.
     */
    public Created create(String entityType, ObjectNode attributes, boolean skipDuplicateCheck, Predicate<JsonNode> same)
            throws CrmException {
        Answer answer = send("POST", entityType, url(entityType).build(), attributes, skipDuplicateCheck);
        if (answer.outcome() instanceof EspoCrmErrors.Duplicate duplicate) {
            Optional<JsonNode> existing = duplicate.existing().stream().filter(same).findFirst();
            if (existing.isPresent()) {
                return new Created(existing.get(), true);
            }
            return new Created(expectSuccess("POST " + entityType,
                send("POST", entityType, url(entityType).build(), attributes, true)), false);
        }
        return new Created(expectSuccess("POST " + entityType, answer), false);
    }

    /** {@code PUT entityType/id} with the changed attributes. */
    public JsonNode update(String entityType, String id, ObjectNode attributes) throws CrmException {
        String resource = entityType + "/" + id;
        return expectSuccess("PUT " + entityType, send("PUT", resource, url(entityType).addPathSegment(id).build(), attributes, false));
    }

    /** {@code POST entityType/id/link} with {@code ids}: links records without unlinking the others (e.g. teams). */
    public void relate(String entityType, String id, String link, List<String> ids) throws CrmException {
        ObjectNode body = mapper.createObjectNode();
        ids.forEach(body.putArray("ids")::add);
        String resource = entityType + "/" + id + "/" + link;
        expectSuccess("POST " + entityType + "/{id}/" + link, send("POST", resource, url(resource).build(), body, false));
    }

    /** What {@code POST Email/importEml} made of a message: its e-mail, or the one EspoCRM already held. */
    public record Imported(Optional<String> emailId, boolean already) {
    }

    /**
     * {@code POST Email/importEml} of an uploaded {@code ImportEml} attachment: the e-mail's id, or that
     * of the e-mail EspoCRM already holds with the same Message-ID (an idempotent retry); empty when this
     * EspoCRM has no importEml (before 8.4: 404).
     */
    public Optional<Imported> importEml(String fileId) throws CrmException {
        ObjectNode body = mapper.createObjectNode().put("fileId", fileId);
        Answer answer = send("POST", "Email/importEml", url("Email").addPathSegment("importEml").build(), body, false);
        if (answer.outcome() instanceof EspoCrmErrors.AlreadyImported imported) {
            return Optional.of(new Imported(imported.emailId(), true));
        }
        if (answer.status() == 404) {
            return Optional.empty();
        }
        return Optional.of(new Imported(Optional.of(expectSuccess("POST Email/importEml", answer).path("id").asText()), false));
    }

    /** A fresh JSON object. */
    public ObjectNode object() {
        return mapper.createObjectNode();
    }

    /** A fresh JSON array. */
    public ArrayNode array() {
        return mapper.createArrayNode();
    }

    /** A success, or what EspoCRM's error answer means. */
    private record Answer(int status, JsonNode body, EspoCrmErrors.Outcome outcome) {
    }

    private static JsonNode expectSuccess(String operation, Answer answer) throws CrmException {
        if (answer.outcome() == null) {
            return answer.body();
        }
        if (answer.outcome() instanceof EspoCrmErrors.Failure failure) {
            throw failure.exception();
        }
        throw new CrmRejectedException("EspoCRM " + operation + " answered an unexpected conflict: " + answer.outcome());
    }

    private HttpUrl.Builder url(String resource) {
        HttpUrl.Builder url = base.newBuilder().addPathSegments(API);
        for (String segment : resource.split("/")) {
            url.addPathSegment(segment);
        }
        return url;
    }

    private Answer send(String method, String resource, HttpUrl url, JsonNode body, boolean skipDuplicateCheck) throws CrmException {
        String operation = method + " " + RECORD_ID.matcher(resource).replaceAll("/{id}");
        Request.Builder request = new Request.Builder().url(url)
            .method(method, body == null ? null : RequestBody.create(body.toString(), JSON))
            .header("Accept", "application/json");
        authenticate(request, method, url);
        if (skipDuplicateCheck) {
            request.header("X-Skip-Duplicate-Check", "true");
        }
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CrmUnavailableException("interrupted while waiting for a request slot to EspoCRM", Optional.empty(), e);
        }
        try (Response response = http.newCall(request.build()).execute()) {
            ResponseBody responseBody = response.body();
            String text = CrmAnswers.text(responseBody);
            if (response.isSuccessful()) {
                try {
                    return new Answer(response.code(), text.isBlank() ? mapper.nullNode() : mapper.readTree(text), null);
                } catch (IOException notJson) {
                    throw new CrmUnavailableException("EspoCRM " + operation + " answered " + response.code() + " with no JSON (a proxy's page?)",
                        Optional.empty(), null);
                }
            }
            return new Answer(response.code(), null, EspoCrmErrors.classify(operation, response.code(),
                Optional.ofNullable(response.header("X-Status-Reason")).orElse(""), text, RetryAfter.parse(response.header("Retry-After"), java.time.Clock.systemUTC())));
        } catch (IOException e) {
            throw EspoCrmErrors.noAnswer(operation, e);
        } finally {
            inFlight.release();
        }
    }

    private void authenticate(Request.Builder request, String method, HttpUrl url) {
        if (configuration.secretKey().isEmpty()) {
            request.header("X-Api-Key", configuration.apiKey());
            return;
        }
        String encodedPath = url.encodedPath();
        String resourcePath = encodedPath.substring(encodedPath.indexOf("/" + API) + API.length() + 1);
        request.header("X-Hmac-Authorization", hmacAuthorization(configuration.apiKey(), configuration.secretKey().get(), method, resourcePath));
    }

    /**
     * The {@code X-Hmac-Authorization} value (espocrm-api §2): base64 of {@code apiKey:} and the lower-case
     * hex HMAC-SHA256, keyed with the secret key, of {@code METHOD /path} (the path after {@code /api/v1},
     * without the query string).
     */
    static String hmacAuthorization(String apiKey, String secretKey, String method, String resourcePath) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String digest = HexFormat.of().formatHex(mac.doFinal((method + " " + resourcePath).getBytes(StandardCharsets.UTF_8)));
            return Base64.getEncoder().encodeToString((apiKey + ":" + digest).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}

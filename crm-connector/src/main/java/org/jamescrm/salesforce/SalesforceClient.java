package org.jamescrm.salesforce;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

import org.jamescrm.spi.CrmAnswers;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmRejectedException;
import org.jamescrm.spi.CrmUnavailableException;
import org.jamescrm.spi.SecretScrubber;

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
 * The only class that speaks HTTP to Salesforce's REST API ({@code {instance_url}/services/data/vNN.N/}): the
 * session of {@link SalesforceAuth} (one re-authentication on {@code INVALID_SESSION_ID}), the daily budget of
 * {@link ApiBudget} read from every answer, at most {@code requestsInFlight} requests at once for every thread,
 * every answer closed and its errors classified by {@link SalesforceErrors}. Queries go in Composite requests
 * ({@value #COMPOSITE_QUERIES} queries, one API call each), records in sObject Collections
 * ({@value #COLLECTION_RECORDS} records a call). No retries here: the capture queue owns them. Thread-safe.
 */
public final class SalesforceClient {
    /** Records of one sObject Collections call. */
    public static final int COLLECTION_RECORDS = 200;
    /** Queries of one Composite request. */
    public static final int COMPOSITE_QUERIES = 5;
    /** Sub-requests of one Composite request. */
    public static final int COMPOSITE_SUBREQUESTS = 25;
    /** The body of one Composite request of creations, so that large attachments go a few at a time. */
    public static final int COMPOSITE_BYTES = 4_000_000;
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    private final SalesforceConfiguration configuration;
    private final OkHttpClient http;
    private final ObjectMapper mapper = new ObjectMapper();
    private final SalesforceAuth auth;
    private final ApiBudget budget;
    private final Semaphore inFlight;
    private final AtomicLong apiCalls = new AtomicLong();

    public SalesforceClient(SalesforceConfiguration configuration, Clock clock) {
        this.configuration = configuration;
        this.http = new OkHttpClient.Builder()
            .callTimeout(configuration.timeout())
            .retryOnConnectionFailure(false) // the capture queue retries, with its own delays
            .build();
        this.auth = new SalesforceAuth(configuration, http, mapper, clock);
        this.budget = new ApiBudget(clock, configuration.budgetShare());
        this.inFlight = new Semaphore(configuration.requestsInFlight(), true);
    }

    /** The one JSON mapper of the connector. */
    public ObjectMapper mapper() {
        return mapper;
    }

    ApiBudget budget() {
        return budget;
    }

    /** The REST calls sent so far (each counts against the daily budget), for the status view. */
    public long apiCalls() {
        return apiCalls.get();
    }

    /** What one record of a collection call became. */
    public sealed interface Saved permits Ok, Refused {
    }

    /** Written: its id; {@code created} false when an upsert found it. */
    public record Ok(String id, boolean created) implements Saved {
        public Ok {
            Objects.requireNonNull(id, "id");
        }
    }

    /** Not written: what Salesforce's error for this record means. */
    public record Refused(SalesforceErrors.Outcome outcome) implements Saved {
        public Refused {
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    /**
     * The records of each query, in order: Composite requests of {@value #COMPOSITE_QUERIES} queries each (one API
     * call), a query with more rows than a batch followed through {@code nextRecordsUrl}.
     */
    public List<List<JsonNode>> query(List<String> soql) throws CrmException {
        List<List<JsonNode>> results = new ArrayList<>();
        String prefix = "/services/data/v" + configuration.apiVersion();
        for (int from = 0; from < soql.size(); from += COMPOSITE_QUERIES) {
            List<String> part = soql.subList(from, Math.min(soql.size(), from + COMPOSITE_QUERIES));
            ObjectNode composite = mapper.createObjectNode().put("allOrNone", false);
            ArrayNode requests = composite.putArray("compositeRequest");
            for (int i = 0; i < part.size(); i++) {
                requests.addObject().put("method", "GET").put("referenceId", "q" + i)
                    .put("url", prefix + "/query?q=" + URLEncoder.encode(part.get(i), StandardCharsets.UTF_8));
            }
            JsonNode answer = send("POST", "composite", composite, "POST composite");
            JsonNode responses = answer.path("compositeResponse");
            for (int i = 0; i < part.size(); i++) {
                JsonNode response = responses.path(i);
                String operation = "query " + from(part.get(i));
                int status = response.path("httpStatusCode").asInt(0);
                if (status < 200 || status >= 300) {
                    JsonNode body = response.path("body");
                    throw failure(SalesforceErrors.classify(operation, status, body.isArray() && !body.isEmpty() ? body.get(0) : body));
                }
                results.add(records(response.path("body"), operation));
            }
        }
        return results;
    }

    private List<JsonNode> records(JsonNode page, String operation) throws CrmException {
        List<JsonNode> records = new ArrayList<>();
        page.path("records").forEach(records::add);
        while (!page.path("done").asBoolean(true) && page.hasNonNull("nextRecordsUrl")) {
            page = sendPath("GET", page.path("nextRecordsUrl").asText(), null, operation + " (more)");
            page.path("records").forEach(records::add);
        }
        return records;
    }

    /** {@code POST composite/sobjects}: each record (with {@code attributes.type}) created on its own, results in order. */
    public List<Saved> create(List<ObjectNode> records) throws CrmException {
        return collection("POST", "composite/sobjects", records, "POST composite/sobjects");
    }

    /**
     * {@code PATCH composite/sobjects/{sobject}/{field}}: each record upserted by the External ID {@code field} it
     * carries (never the value in a URL path), results in order with {@code created}.
     */
    public List<Saved> upsert(String sobject, String field, List<ObjectNode> records) throws CrmException {
        return collection("PATCH", "composite/sobjects/" + sobject + "/" + field, records, "PATCH composite/sobjects/" + sobject);
    }

    private List<Saved> collection(String method, String path, List<ObjectNode> records, String operation) throws CrmException {
        List<Saved> saved = new ArrayList<>();
        for (int from = 0; from < records.size(); from += COLLECTION_RECORDS) {
            ObjectNode body = mapper.createObjectNode().put("allOrNone", false);
            ArrayNode array = body.putArray("records");
            records.subList(from, Math.min(records.size(), from + COLLECTION_RECORDS)).forEach(array::add);
            JsonNode answer = send(method, path, body, operation);
            for (int i = 0; i < array.size(); i++) {
                JsonNode result = answer.path(i);
                if (result.path("success").asBoolean(false)) {
                    saved.add(new Ok(result.path("id").asText(), result.path("created").asBoolean(true)));
                } else {
                    JsonNode error = result.path("errors").path(0);
                    saved.add(new Refused(error.isMissingNode()
                        ? new SalesforceErrors.Failure(new CrmUnavailableException("Salesforce " + operation + " gave no result for record "
                            + (from + i + 1), Optional.empty(), null))
                        : scrubbed(SalesforceErrors.classify(operation, 0, error))));
                }
            }
        }
        return saved;
    }

    /**
     * Each record created by its own {@code POST sobjects/{type}} sub-request of Composite requests (25 a call, about
     * {@value #COMPOSITE_BYTES} bytes of body a call): for records with large fields, such as a ContentVersion's
     * base64 {@code VersionData}, which sObject Collections do not take. Results in order.
     */
    public List<Saved> createEach(List<ObjectNode> records) throws CrmException {
        String prefix = "/services/data/v" + configuration.apiVersion();
        List<Saved> saved = new ArrayList<>();
        int from = 0;
        while (from < records.size()) {
            ObjectNode composite = mapper.createObjectNode().put("allOrNone", false);
            ArrayNode requests = composite.putArray("compositeRequest");
            long bytes = 0;
            int to = from;
            while (to < records.size() && requests.size() < COMPOSITE_SUBREQUESTS
                && (requests.isEmpty() || bytes + records.get(to).toString().length() <= COMPOSITE_BYTES)) {
                ObjectNode record = records.get(to).deepCopy();
                String type = record.path("attributes").path("type").asText();
                record.remove("attributes");
                bytes += record.toString().length();
                requests.addObject().put("method", "POST").put("referenceId", "r" + (to - from))
                    .put("url", prefix + "/sobjects/" + type).set("body", record);
                to++;
            }
            JsonNode answer = send("POST", "composite", composite, "POST composite (create)");
            for (int i = 0; i < requests.size(); i++) {
                JsonNode response = answer.path("compositeResponse").path(i);
                int status = response.path("httpStatusCode").asInt(0);
                JsonNode body = response.path("body");
                saved.add(status == 201 || status == 200 ? new Ok(body.path("id").asText(), true)
                    : new Refused(scrubbed(SalesforceErrors.classify("create " + requests.get(i).path("url").asText().replaceAll(".*/", ""),
                        status, body.isArray() ? body.path(0) : body))));
            }
            from = to;
        }
        return saved;
    }

    /**
     * The describe of each sObject, by a Composite request of GET sub-requests (one API call); empty for an object the
     * org does not have (404 {@code NOT_FOUND} or {@code INVALID_TYPE}).
     */
    public Map<String, Optional<JsonNode>> describe(List<String> sobjects) throws CrmException {
        String prefix = "/services/data/v" + configuration.apiVersion();
        ObjectNode composite = mapper.createObjectNode().put("allOrNone", false);
        ArrayNode requests = composite.putArray("compositeRequest");
        for (String sobject : sobjects) {
            requests.addObject().put("method", "GET").put("referenceId", sobject).put("url", prefix + "/sobjects/" + sobject + "/describe");
        }
        JsonNode answer = send("POST", "composite", composite, "POST composite (describe)");
        Map<String, Optional<JsonNode>> described = new LinkedHashMap<>();
        for (int i = 0; i < sobjects.size(); i++) {
            JsonNode response = answer.path("compositeResponse").path(i);
            int status = response.path("httpStatusCode").asInt(0);
            if (status == 200) {
                described.put(sobjects.get(i), Optional.of(response.path("body")));
            } else if (status == 404) {
                described.put(sobjects.get(i), Optional.empty());
            } else {
                JsonNode body = response.path("body");
                throw failure(SalesforceErrors.classify("describe " + sobjects.get(i), status, body.isArray() ? body.path(0) : body));
            }
        }
        return described;
    }

    private JsonNode send(String method, String path, JsonNode body, String operation) throws CrmException {
        return sendPath(method, "/services/data/v" + configuration.apiVersion() + "/" + path, body, operation);
    }

    /** A call to {@code absolutePath} on the instance, replayed once with a new session after {@code INVALID_SESSION_ID}. */
    private JsonNode sendPath(String method, String absolutePath, JsonNode body, String operation) throws CrmException {
        budget.checkBeforeCall(operation);
        SalesforceAuth.Session session = auth.session();
        for (int attempt = 1; ; attempt++) {
            Answer answer = exchange(session, method, absolutePath, body, operation);
            if (answer.ok()) {
                return answer.body();
            }
            SalesforceErrors.Outcome outcome = SalesforceErrors.classify(operation, answer.status(), answer.text());
            if (outcome instanceof SalesforceErrors.SessionExpired expired) {
                if (attempt == 1) {
                    session = auth.renew(session);
                    continue;
                }
                throw new CrmRejectedException(scrub(expired.message()) + " after a new session: the run-as user's session is refused "
                    + "(IP ranges, session security level or the app's 'api' scope)");
            }
            throw failure(outcome);
        }
    }

    private record Answer(boolean ok, int status, JsonNode body, String text) {
    }

    private Answer exchange(SalesforceAuth.Session session, String method, String absolutePath, JsonNode body, String operation)
            throws CrmException {
        HttpUrl url = resolve(session.instanceUrl(), absolutePath);
        Request.Builder request = new Request.Builder().url(url)
            .method(method, body == null ? null : RequestBody.create(body.toString(), JSON))
            .header("Accept", "application/json")
            .header("Authorization", "Bearer " + session.accessToken())
            // the rules chose the owner: assignment rules must not overwrite it (the default is TRUE)
            .header("Sforce-Auto-Assign", "FALSE");
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CrmUnavailableException("interrupted while waiting for a request slot to Salesforce", Optional.empty(), e);
        }
        apiCalls.incrementAndGet();
        try (Response response = http.newCall(request.build()).execute()) {
            budget.read(response.header("Sforce-Limit-Info"));
            ResponseBody responseBody = response.body();
            String text = CrmAnswers.text(responseBody);
            if (response.isSuccessful()) {
                try {
                    return new Answer(true, response.code(), text.isBlank() ? mapper.nullNode() : mapper.readTree(text), text);
                } catch (IOException notJson) {
                    throw new CrmUnavailableException("Salesforce " + operation + " answered " + response.code()
                        + " with no JSON (a proxy's page?)", Optional.empty(), null);
                }
            }
            return new Answer(false, response.code(), null, text);
        } catch (IOException e) {
            throw SalesforceErrors.noAnswer(operation, e);
        } finally {
            inFlight.release();
        }
    }

    private static HttpUrl resolve(HttpUrl instance, String absolutePath) {
        HttpUrl url = instance.resolve(absolutePath);
        if (url == null) {
            throw new IllegalArgumentException("not a path on the instance: " + absolutePath);
        }
        return url;
    }

    private SalesforceErrors.Outcome scrubbed(SalesforceErrors.Outcome outcome) {
        if (outcome instanceof SalesforceErrors.Failure failure) {
            if (failure.budgetExhausted()) {
                budget.exhausted();
            }
            return new SalesforceErrors.Failure(scrubber().scrub(failure.exception()));
        }
        return outcome;
    }

    /** The exception of an outcome that is a failure here (a duplicate or an expired session where none is expected too). */
    private CrmException failure(SalesforceErrors.Outcome outcome) {
        SalesforceErrors.Outcome scrubbed = scrubbed(outcome);
        if (scrubbed instanceof SalesforceErrors.Failure failure) {
            return failure.exception();
        }
        if (scrubbed instanceof SalesforceErrors.SessionExpired expired) {
            return new CrmUnavailableException(scrub(expired.message()), Optional.empty(), null);
        }
        return new CrmRejectedException("Salesforce answered an unexpected duplicate: " + scrubbed);
    }

    private SecretScrubber scrubber() {
        return new SecretScrubber(auth.token().map(List::of).orElse(List.of()));
    }

    private String scrub(String text) {
        return scrubber().scrub(text);
    }

    /** The sObject a query reads, for messages. */
    static String from(String soql) {
        int from = soql.indexOf(" FROM ");
        if (from < 0) {
            return "?";
        }
        String rest = soql.substring(from + 6).strip();
        int space = rest.indexOf(' ');
        return space < 0 ? rest : rest.substring(0, space);
    }
}

package org.jamescrm.emulator.salesforce;

import static org.jamescrm.emulator.salesforce.SalesforceData.MAPPER;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jamescrm.emulator.ConcurrencyCap;
import org.jamescrm.emulator.CrmEndpoint;
import org.jamescrm.emulator.DailyCredits;
import org.jamescrm.emulator.EmulatorRequest;
import org.jamescrm.emulator.EmulatorServer;
import org.jamescrm.emulator.Fault;
import org.jamescrm.emulator.HttpEmulator;
import org.jamescrm.emulator.Reply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A strict, stateful Salesforce org (salesforce §1.11) on the emulator kit: the token endpoint
 * ({@code /services/oauth2/token}) with the JWT bearer grant (RS256 verified with the app's certificate, {@code iss},
 * {@code sub}, {@code aud}, {@code exp} at most three minutes ahead) and the client-credentials grant, its
 * {@code instance_url} pointing back here; sessions that expire (401 {@code INVALID_SESSION_ID}); the REST API under
 * {@code /services/data/vNN.N/}: SOQL queries (the subset the connector emits, anything else 400
 * {@code MALFORMED_QUERY}; 2,000 rows a batch, then {@code nextRecordsUrl}), Composite (25 sub-requests, 5 queries,
 * one API call, references {@code @{ref.field}}, 200 with each sub-request's own status), sObject Collections (200
 * records, each saved or refused on its own) and their External ID upsert, single creates and upserts
 * ({@code 201/200/300}), describes, limits; {@code Sforce-Limit-Info} on every answer, a rolling 24-hour API budget
 * that runs out (403 {@code REQUEST_LIMIT_EXCEEDED}), a cap of concurrent requests (403 too), the lead assignment
 * rule unless {@code Sforce-Auto-Assign: FALSE}, and an org with or without Enhanced Email.
 */
public final class SalesforceEmulator extends HttpEmulator {
    private static final Pattern API = Pattern.compile("/services/data/v(\\d+\\.\\d)(/.*)?");
    private static final Pattern REFERENCE = Pattern.compile("@\\{([A-Za-z0-9_]+)\\.([A-Za-z0-9_.\\[\\]]+)}");
    private static final String JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private final Builder settings;
    private final EmulatorServer server;
    private final SalesforceData data;
    private final DailyCredits budget;
    private final ConcurrencyCap concurrency;
    private final KeyPair appKey;
    private final Map<String, Instant> sessions = new ConcurrentHashMap<>();

    /** How an emulator starts. */
    public static final class Builder {
        private String clientId = "3MVG9emulatorConsumerKey";
        private String username = "capture@company.example";
        private String clientSecret = "emulator-client-secret-7a1b3c";
        private Optional<String> captureKeyField = Optional.of("Capture_Key__c");
        private boolean enhancedEmail = true;
        private boolean externalId;
        private boolean contactDuplicateRule;
        private long dailyApiRequests = 100_000;
        private int concurrentRequests = 25;
        private Duration sessionLifetime = Duration.ofHours(2);
        private Duration latency = Duration.ZERO;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** The connected app's consumer key (the JWT's {@code iss}, the client id). */
        public Builder clientId(String clientId) {
            this.clientId = Objects.requireNonNull(clientId, "clientId");
            return this;
        }

        /** The pre-authorized run-as user (the JWT's {@code sub}). */
        public Builder username(String username) {
            this.username = Objects.requireNonNull(username, "username");
            return this;
        }

        /** The client secret of the client-credentials flow. */
        public Builder clientSecret(String clientSecret) {
            this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
            return this;
        }

        /** The capture key field the administrator added (default {@code Capture_Key__c}); empty: none was added. */
        public Builder captureKeyField(Optional<String> field) {
            this.captureKeyField = Objects.requireNonNull(field, "field");
            return this;
        }

        /** Whether the org has Enhanced Email (EmailMessage; default yes): without it, e-mails are Tasks. */
        public Builder enhancedEmail(boolean enabled) {
            this.enhancedEmail = enabled;
            return this;
        }

        /** Whether the capture key field is an External ID (Unique) on EmailMessage and Task (default no). */
        public Builder externalId(boolean enabled) {
            this.externalId = enabled;
            return this;
        }

        /** An active duplicate rule blocking a second Contact of the same e-mail (default none). */
        public Builder contactDuplicateRule(boolean active) {
            this.contactDuplicateRule = active;
            return this;
        }

        /** The org's daily API requests, a rolling 24 hours (default 100,000: Enterprise Edition's base). */
        public Builder dailyApiRequests(long requests) {
            this.dailyApiRequests = requests;
            return this;
        }

        /** Requests in progress at once before 403 {@code REQUEST_LIMIT_EXCEEDED} (default 25). */
        public Builder concurrentRequests(int requests) {
            this.concurrentRequests = requests;
            return this;
        }

        /** How long an access token lives (default 2 hours, the org's session timeout). */
        public Builder sessionLifetime(Duration lifetime) {
            this.sessionLifetime = Objects.requireNonNull(lifetime, "lifetime");
            return this;
        }

        /** A constant delay of real time before every answer (default none), as across a network. */
        public Builder latency(Duration latency) {
            if (latency.isNegative()) {
                throw new IllegalArgumentException("latency must not be negative, got " + latency);
            }
            this.latency = latency;
            return this;
        }

        /** The emulator's clock (default the system's): sessions and the daily budget follow it. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Starts the emulator on a free loopback port. */
        public SalesforceEmulator start() {
            return new SalesforceEmulator(this);
        }
    }

    /** A builder of an Enterprise org with Enhanced Email and the capture key field, no External ID, no duplicate rule. */
    public static Builder builder() {
        return new Builder();
    }

    private SalesforceEmulator(Builder settings) {
        super(settings.clock);
        this.settings = settings;
        this.data = new SalesforceData(settings.clock, violations(), settings.captureKeyField, settings.enhancedEmail, settings.externalId,
            settings.contactDuplicateRule, Optional.empty());
        this.budget = DailyCredits.rolling24Hours(settings.dailyApiRequests, settings.clock);
        this.concurrency = new ConcurrencyCap(settings.concurrentRequests);
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            this.appKey = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        this.server = EmulatorServer.builder(new Endpoint()).name("salesforce-emulator").clock(settings.clock).start();
    }

    /** The server of the login host and the instance, both at {@link #baseUrl()}, {@code http://127.0.0.1:PORT/}. */
    @Override
    protected EmulatorServer server() {
        return server;
    }

    /** The login URL as the connector is configured with it (no trailing slash), also the JWT audience accepted. */
    public String loginUrl() {
        String url = baseUrl().toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public String clientId() {
        return settings.clientId;
    }

    public String username() {
        return settings.username;
    }

    public String clientSecret() {
        return settings.clientSecret;
    }

    /** The app's private key (PKCS#8 PEM) whose certificate the app holds: what an administrator gives the connector. */
    public String privateKeyPem() {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(appKey.getPrivate().getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
    }

    /** The org's records and administration. */
    public SalesforceData data() {
        return data;
    }

    /** Adds an active, standard user; returns its id. */
    public String addUser(String email, String name) {
        return data.insert("User", MAPPER.createObjectNode().put("Email", email).put("Name", name).put("Username", email));
    }

    /** Adds a record as a Salesforce user does by hand; returns its id. */
    public String add(String type, Map<String, Object> fields) {
        return data.insert(type, MAPPER.valueToTree(fields));
    }

    /** Changes a record as a Salesforce user does by hand. */
    public void update(String id, Map<String, Object> fields) {
        data.change(id, MAPPER.valueToTree(fields));
    }

    /** A record. */
    public JsonNode record(String id) {
        return data.get(id).orElseThrow(() -> new IllegalArgumentException("no record " + id));
    }

    /** Every record of a type, in creation order. */
    public List<ObjectNode> records(String type) {
        return data.all(type);
    }

    /** Converts a lead as a user does: a Contact (with an Account) and an Opportunity; returns the contact's id. */
    public String convertLead(String leadId, String accountName) {
        JsonNode lead = record(leadId);
        String account = add("Account", Map.of("Name", accountName));
        Map<String, Object> contact = new LinkedHashMap<>();
        contact.put("LastName", lead.path("LastName").asText());
        contact.put("Email", lead.path("Email").asText());
        contact.put("AccountId", account);
        String contactId = add("Contact", contact);
        String opportunity = add("Opportunity", Map.of("Name", accountName + " deal", "StageName", "Prospecting", "CloseDate", "2027-01-31",
            "AccountId", account));
        update(leadId, Map.of("IsConverted", true, "Status", "Closed - Converted", "ConvertedContactId", contactId, "ConvertedAccountId",
            account, "ConvertedOpportunityId", opportunity));
        return contactId;
    }

    /** Lead assignment rules: leads created without {@code Sforce-Auto-Assign: FALSE} go to this user. */
    public void assignLeadsTo(String userId) {
        data.assignLeadsTo(Optional.of(userId));
    }

    /** The next {@code rows} records written fail with {@code UNABLE_TO_LOCK_ROW}. */
    public void lockRows(int rows) {
        data.lockRows(rows);
    }

    /** Spends {@code requests} of the daily budget, as other integrations of the org do. */
    public void spendBudget(long requests) {
        if (requests > 0 && !budget.trySpend(requests)) {
            budget.trySpend(budget.remaining());
        }
    }

    /** The API requests left in the rolling 24 hours. */
    public long budgetRemaining() {
        return budget.remaining();
    }

    /** A fault of an org (or a proxy) that echoes the request in its error: the Authorization header, {@code more}, the body. */
    public record EchoingFault(String more) implements Fault.Custom {
    }

    /** An {@link EchoingFault}: a 400 whose message repeats the request's credentials and {@code more}. */
    public static Fault echoingFault(String more) {
        return new EchoingFault(more);
    }

    /** Every access token issued so far stops working (expired or revoked). */
    public void expireSessions() {
        sessions.clear();
    }

    /** The REST calls (each one against the budget): every call but the token endpoint's. */
    public long apiCalls() {
        return server.calls().matching(call -> !call.operation().equals("token")).size();
    }

    @Override
    protected void resetState() {
        data.reset();
        data.assignLeadsTo(Optional.empty());
        budget.reset();
        concurrency.reset();
        sessions.clear();
    }

    // ---- the endpoint ----

    /** An answer inside the emulator, before it becomes a {@link Reply} or a Composite sub-response. */
    private record Answer(int status, JsonNode body, String errorCode) {
        static Answer ok(int status, JsonNode body) {
            return new Answer(status, body, null);
        }

        static Answer error(int status, String errorCode, String message) {
            ArrayNode envelope = MAPPER.createArrayNode();
            envelope.addObject().put("message", message).put("errorCode", errorCode);
            return new Answer(status, envelope, errorCode);
        }

        static Answer refused(SalesforceData.Refused refused) {
            return new Answer(refused.status(), refused.asEnvelope(), refused.errorCode());
        }
    }

    private final class Endpoint implements CrmEndpoint {

        @Override
        public void prepare(EmulatorRequest request) {
            request.describe(operation(request.httpMethod(), request.path()), null);
        }

        @Override
        public Reply answer(EmulatorRequest request) {
            pause(settings.latency);
            if (request.path().equals("/services/oauth2/token")) {
                return token(request);
            }
            Matcher api = API.matcher(request.path());
            if (!api.matches()) {
                return limitInfo(reply(Answer.error(404, "NOT_FOUND", "The requested resource does not exist")));
            }
            if (!authenticated(request)) {
                return limitInfo(reply(Answer.error(401, "INVALID_SESSION_ID", "Session expired or invalid")))
                    .withHeader("WWW-Authenticate", "Token");
            }
            Optional<ConcurrencyCap.Permit> permit = concurrency.tryEnter();
            if (permit.isEmpty()) {
                return limitInfo(reply(Answer.error(403, "REQUEST_LIMIT_EXCEEDED", "ConcurrentPerOrgLongTxn Limit exceeded.")));
            }
            try (ConcurrencyCap.Permit held = permit.get()) {
                if (!budget.trySpend(1)) {
                    return limitInfo(reply(Answer.error(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")));
                }
                String version = api.group(1);
                String resource = api.group(2) == null ? "" : api.group(2);
                JsonNode body = request.bodyText().isBlank() ? null : parse(request.bodyText());
                boolean autoAssign = !request.header("Sforce-Auto-Assign").orElse("TRUE").equalsIgnoreCase("FALSE");
                Answer answer = body == null && !request.bodyText().isBlank()
                    ? Answer.error(400, "JSON_PARSER_ERROR", "The request body is not JSON")
                    : route(request.httpMethod(), version, resource, request.rawQuery().orElse(""), body, autoAssign, true);
                return limitInfo(reply(answer));
            }
        }

        @Override
        public Reply answerFault(Fault fault, EmulatorRequest request) {
            if (fault instanceof Fault.Status status) {
                return limitInfo(reply(Answer.error(status.status(), "SERVER_UNAVAILABLE", "Server temporarily unavailable")));
            }
            if (fault instanceof Fault.ExpiredToken) {
                return limitInfo(reply(Answer.error(401, "INVALID_SESSION_ID", "Session expired or invalid"))).withHeader("WWW-Authenticate",
                    "Token");
            }
            if (fault instanceof EchoingFault echoing) {
                String said = "cannot serve request Authorization: " + request.header("Authorization").orElse("") + " " + echoing.more()
                    + " " + request.bodyText();
                return limitInfo(reply(Answer.error(400, "UNKNOWN_EXCEPTION", said.length() > 2000 ? said.substring(0, 2000) : said)));
            }
            return CrmEndpoint.super.answerFault(fault, request);
        }
    }

    private Reply limitInfo(Reply reply) {
        return reply.withHeader("Sforce-Limit-Info", "api-usage=" + (budget.perDay() - budget.remaining()) + "/" + budget.perDay());
    }

    private static Reply reply(Answer answer) {
        byte[] body = answer.body() == null ? new byte[0] : answer.body().toString().getBytes(StandardCharsets.UTF_8);
        return Reply.json(answer.status(), body, answer.errorCode());
    }

    private static String operation(String method, String path) {
        if (path.equals("/services/oauth2/token")) {
            return "token";
        }
        Matcher api = API.matcher(path);
        if (!api.matches()) {
            return method + " " + path;
        }
        String resource = api.group(2) == null ? "" : api.group(2);
        if (resource.startsWith("/query/")) {
            return "query more";
        }
        if (resource.equals("/query")) {
            return "query";
        }
        if (resource.equals("/composite")) {
            return "composite";
        }
        if (resource.startsWith("/composite/sobjects")) {
            return method.equals("PATCH") ? "collections upsert" : "collections create";
        }
        if (resource.endsWith("/describe")) {
            return "describe";
        }
        return method + " " + resource.replaceAll("/[0-9a-zA-Z]{18}$", "/{id}");
    }

    // ---- the REST resources ----

    private Answer route(String method, String version, String resource, String rawQuery, JsonNode body, boolean autoAssign,
                         boolean topLevel) {
        String[] parts = resource.replaceFirst("^/", "").split("/");
        if (method.equals("GET") && parts[0].equals("query") && parts.length == 1) {
            Optional<String> soql = parameter(rawQuery, "q");
            if (soql.isEmpty()) {
                return Answer.error(400, "MALFORMED_QUERY", "A query string has to be specified");
            }
            try {
                return Answer.ok(200, data.query(soql.get(), version));
            } catch (SalesforceData.QueryError error) {
                return Answer.error(400, error.errorCode, error.getMessage());
            }
        }
        if (method.equals("GET") && parts[0].equals("query") && parts.length == 2) {
            return data.more(parts[1], version).map(page -> Answer.ok(200, page))
                .orElseGet(() -> Answer.error(400, "INVALID_QUERY_LOCATOR", "invalid query locator"));
        }
        if (method.equals("POST") && resource.equals("/composite") && topLevel) {
            return composite(version, body, autoAssign);
        }
        if (resource.startsWith("/composite/sobjects")) {
            return collection(method, parts, body, autoAssign);
        }
        if (method.equals("GET") && parts[0].equals("sobjects") && parts.length == 3 && parts[2].equals("describe")) {
            return describe(parts[1]);
        }
        if (method.equals("GET") && parts[0].equals("sobjects") && parts.length == 3) {
            return data.get(parts[2]).<Answer>map(record -> Answer.ok(200, record))
                .orElseGet(() -> Answer.error(404, "NOT_FOUND", "The requested resource does not exist"));
        }
        if (method.equals("POST") && parts[0].equals("sobjects") && parts.length == 2 && body instanceof ObjectNode record) {
            SalesforceData.Result result = data.create(parts[1], record, autoAssign, "create " + parts[1]);
            return result instanceof SalesforceData.Saved saved
                ? Answer.ok(201, MAPPER.createObjectNode().put("id", saved.id()).put("success", true).set("errors", MAPPER.createArrayNode()))
                : Answer.refused((SalesforceData.Refused) result);
        }
        if (method.equals("PATCH") && parts[0].equals("sobjects") && parts.length == 4 && body instanceof ObjectNode record) {
            return upsertOne(parts[1], parts[2], parts[3], record);
        }
        if (method.equals("GET") && parts[0].equals("limits")) {
            ObjectNode limits = MAPPER.createObjectNode();
            limits.putObject("DailyApiRequests").put("Max", budget.perDay()).put("Remaining", budget.remaining());
            return Answer.ok(200, limits);
        }
        return Answer.error(404, "NOT_FOUND", "The requested resource does not exist");
    }

    /** Composite: at most 25 sub-requests and 5 queries, one API call, 200 with each sub-request's own answer. */
    private Answer composite(String version, JsonNode body, boolean autoAssign) {
        JsonNode requests = body == null ? null : body.path("compositeRequest");
        if (requests == null || !requests.isArray() || requests.isEmpty()) {
            return Answer.error(400, "JSON_PARSER_ERROR", "compositeRequest is required");
        }
        if (requests.size() > 25) {
            return Answer.error(400, "LIMIT_EXCEEDED", "Composite request may only contain up to 25 subrequests");
        }
        long queries = 0;
        for (JsonNode sub : requests) {
            if (sub.path("url").asText("").contains("/query")) {
                queries++;
            }
            for (String header : List.of("Accept", "Authorization", "Content-Type")) {
                if (sub.path("httpHeaders").has(header)) {
                    return Answer.error(400, "INVALID_HEADER_TYPE", "Sub-request header " + header + " is not allowed");
                }
            }
        }
        if (queries > 5) {
            return Answer.error(400, "LIMIT_EXCEEDED", "Composite request may only contain up to 5 query operations");
        }
        boolean allOrNone = body.path("allOrNone").asBoolean(false);
        Map<String, JsonNode> answered = new LinkedHashMap<>();
        ObjectNode response = MAPPER.createObjectNode();
        ArrayNode responses = response.putArray("compositeResponse");
        boolean halted = false;
        for (JsonNode sub : requests) {
            String referenceId = sub.path("referenceId").asText("");
            Answer answer;
            if (halted) {
                answer = Answer.error(400, "PROCESSING_HALTED", "The transaction was rolled back since another operation in the same "
                    + "transaction failed.");
            } else {
                String url = resolve(sub.path("url").asText(""), answered);
                JsonNode subBody = sub.has("body") ? parse(resolve(sub.get("body").toString(), answered)) : null;
                int question = url.indexOf('?');
                String path = question < 0 ? url : url.substring(0, question);
                Matcher api = API.matcher(path);
                answer = api.matches()
                    ? route(sub.path("method").asText("GET"), api.group(1), api.group(2) == null ? "" : api.group(2),
                        question < 0 ? "" : url.substring(question + 1), subBody, autoAssign, false)
                    : Answer.error(404, "NOT_FOUND", "The requested resource does not exist");
                halted = allOrNone && answer.status() >= 400;
            }
            answered.put(referenceId, answer.body());
            ObjectNode one = responses.addObject();
            one.set("body", answer.body());
            one.putObject("httpHeaders");
            one.put("httpStatusCode", answer.status()).put("referenceId", referenceId);
        }
        return Answer.ok(200, response);
    }

    /** {@code @{ref.field}} and {@code @{ref.records[0].Id}} replaced by what the earlier sub-request answered. */
    private static String resolve(String text, Map<String, JsonNode> answered) {
        Matcher matcher = REFERENCE.matcher(text);
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            JsonNode value = answered.get(matcher.group(1));
            for (String step : matcher.group(2).split("\\.")) {
                if (value == null) {
                    break;
                }
                int bracket = step.indexOf('[');
                value = bracket < 0 ? value.path(step)
                    : value.path(step.substring(0, bracket)).path(Integer.parseInt(step.substring(bracket + 1, step.length() - 1)));
            }
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(value == null ? "" : value.asText()));
        }
        matcher.appendTail(resolved);
        return resolved.toString();
    }

    /** sObject Collections: at most 200 records, each with {@code attributes.type}, each saved or refused on its own. */
    private Answer collection(String method, String[] parts, JsonNode body, boolean autoAssign) {
        JsonNode records = body == null ? null : body.path("records");
        if (records == null || !records.isArray()) {
            return Answer.error(400, "JSON_PARSER_ERROR", "records is required");
        }
        if (records.size() > 200) {
            return Answer.error(400, "EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than 200 records into this call");
        }
        boolean upsert = method.equals("PATCH") && parts.length == 4;
        if (!upsert && !method.equals("POST")) {
            return Answer.error(405, "METHOD_NOT_ALLOWED", "HTTP Method '" + method + "' not allowed");
        }
        ArrayNode results = MAPPER.createArrayNode();
        for (JsonNode record : records) {
            String type = record.path("attributes").path("type").asText("");
            SalesforceData.Result result;
            if (type.isEmpty() || !(record instanceof ObjectNode object)) {
                result = new SalesforceData.Refused(400, "INVALID_TYPE", "Must send attributes.type on every record", List.of());
            } else if (upsert && !type.equals(parts[2])) {
                result = new SalesforceData.Refused(400, "INVALID_TYPE", "an upsert of " + parts[2] + " takes " + parts[2] + " records", List.of());
            } else {
                result = upsert ? data.upsert(type, parts[3], object, "collections upsert " + type)
                    : data.create(type, object, autoAssign, "collections create " + type);
            }
            ObjectNode one = results.addObject();
            if (result instanceof SalesforceData.Saved saved) {
                one.put("id", saved.id()).put("success", true).putArray("errors");
                if (upsert) {
                    one.put("created", saved.created());
                }
            } else {
                one.put("success", false).putArray("errors").add(((SalesforceData.Refused) result).asRecordError());
            }
        }
        return Answer.ok(200, results);
    }

    /** {@code PATCH sobjects/{type}/{field}/{value}}: 201 created, 200 updated, 300 ambiguous; a path-unsafe value is not found. */
    private Answer upsertOne(String type, String field, String value, ObjectNode record) {
        // Salesforce reads a tail that looks like a file extension or a domain as a format: such a value is never found
        if (value.matches(".*\\.[A-Za-z]{2,4}>?") || value.contains("<") || value.contains("@")) {
            return Answer.error(404, "NOT_FOUND", "The requested resource does not exist");
        }
        if (record.has(field)) {
            return Answer.error(400, "INVALID_FIELD", "The external id field must not be repeated in the body");
        }
        ObjectNode withKey = record.deepCopy();
        withKey.put(field, value);
        withKey.putObject("attributes").put("type", type);
        SalesforceData.Result result = data.upsert(type, field, withKey, "upsert " + type);
        if (result instanceof SalesforceData.Saved saved) {
            return Answer.ok(saved.created() ? 201 : 200, MAPPER.createObjectNode().put("id", saved.id()).put("success", true)
                .put("created", saved.created()).set("errors", MAPPER.createArrayNode()));
        }
        return Answer.refused((SalesforceData.Refused) result);
    }

    private Answer describe(String type) {
        if (!data.has(type)) {
            return Answer.error(404, "NOT_FOUND", "The requested resource does not exist");
        }
        ObjectNode describe = MAPPER.createObjectNode().put("name", type);
        ArrayNode fields = describe.putArray("fields");
        data.fields(type).forEach(field -> fields.addObject().put("name", field).put("externalId",
            settings.externalId && settings.captureKeyField.map(field::equals).orElse(false)));
        return Answer.ok(200, describe);
    }

    // ---- OAuth ----

    private Reply token(EmulatorRequest request) {
        Map<String, String> form = form(request.bodyText());
        String grant = form.getOrDefault("grant_type", "");
        Optional<String> refusal;
        if (grant.equals(JWT_GRANT)) {
            refusal = checkAssertion(form.getOrDefault("assertion", ""));
        } else if (grant.equals("client_credentials")) {
            refusal = settings.clientId.equals(form.get("client_id")) && settings.clientSecret.equals(form.get("client_secret"))
                ? Optional.empty() : Optional.of("invalid_client:invalid client credentials");
        } else {
            refusal = Optional.of("unsupported_grant_type:grant type not supported");
        }
        if (refusal.isPresent()) {
            String[] error = refusal.get().split(":", 2);
            return Reply.json(400, MAPPER.createObjectNode().put("error", error[0]).put("error_description", error[1]).toString()
                .getBytes(StandardCharsets.UTF_8), error[0]);
        }
        String token = "00Dxx0000001gPL!" + UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
        sessions.put(token, settings.clock.instant().plus(settings.sessionLifetime));
        ObjectNode answer = MAPPER.createObjectNode()
            .put("access_token", token)
            .put("scope", "api")
            .put("instance_url", loginUrl())
            .put("id", loginUrl() + "/id/00Dxx0000001gPLEAY/005xx000001Sv6wAAC")
            .put("token_type", "Bearer")
            .put("issued_at", String.valueOf(settings.clock.millis()));
        return Reply.json(200, answer.toString().getBytes(StandardCharsets.UTF_8), null);
    }

    /** Why the assertion is refused, as {@code error:description}; empty when it is valid. */
    private Optional<String> checkAssertion(String assertion) {
        String[] parts = assertion.split("\\.");
        if (parts.length != 3) {
            return Optional.of("invalid_grant:invalid assertion");
        }
        try {
            JsonNode header = MAPPER.readTree(Base64.getUrlDecoder().decode(parts[0]));
            JsonNode claims = MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initVerify(appKey.getPublic());
            signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!header.path("alg").asText("").equals("RS256") || !signature.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return Optional.of("invalid_grant:invalid assertion");
            }
            if (!claims.path("iss").asText("").equals(settings.clientId)) {
                return Optional.of("invalid_client_id:client identifier invalid");
            }
            if (!Set.of(loginUrl(), "https://login.salesforce.com", "https://test.salesforce.com").contains(claims.path("aud").asText(""))) {
                return Optional.of("invalid_grant:audience is invalid");
            }
            long now = settings.clock.instant().getEpochSecond();
            long exp = claims.path("exp").asLong(0);
            if (exp <= now || exp > now + 180 + 5) {
                return Optional.of("invalid_grant:invalid assertion (exp must be within 3 minutes)");
            }
            if (!claims.path("sub").asText("").equals(settings.username)) {
                return Optional.of("invalid_grant:user hasn't approved this consumer");
            }
            return Optional.empty();
        } catch (IOException | IllegalArgumentException | GeneralSecurityException e) {
            return Optional.of("invalid_grant:invalid assertion");
        }
    }

    private boolean authenticated(EmulatorRequest request) {
        String header = request.header("Authorization").orElse("");
        if (!header.startsWith("Bearer ")) {
            return false;
        }
        Instant expires = sessions.get(header.substring(7).strip());
        return expires != null && settings.clock.instant().isBefore(expires);
    }

    // ---- helpers ----

    private static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException notJson) {
            return null;
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                form.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static Optional<String> parameter(String rawQuery, String name) {
        return Optional.ofNullable(form(rawQuery).get(name));
    }
}

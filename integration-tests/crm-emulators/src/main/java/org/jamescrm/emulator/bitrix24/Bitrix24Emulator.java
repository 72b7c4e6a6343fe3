package org.jamescrm.emulator.bitrix24;

import static org.jamescrm.emulator.bitrix24.Php.NODES;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import org.jamescrm.emulator.Call;
import org.jamescrm.emulator.CallLog;
import org.jamescrm.emulator.CrmEndpoint;
import org.jamescrm.emulator.Emulator;
import org.jamescrm.emulator.EmulatorRequest;
import org.jamescrm.emulator.EmulatorServer;
import org.jamescrm.emulator.FaultPlan;
import org.jamescrm.emulator.LeakyBucket;
import org.jamescrm.emulator.Reply;
import org.jamescrm.emulator.Violation;
import org.jamescrm.emulator.ViolationLog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A strict, stateful Bitrix24 portal on loopback HTTP, for tests and benchmarks of the Bitrix24
 * connector. It is an independent implementation of the contract in
 * {@code shared/docs/crm-apis/bitrix24-api.md} (sections cited as "§n"), faithful to the portal's PHP
 * where the contract quotes its source, and refusing what a real portal refuses:
 * <ul>
 * <li>transport (§1): webhook {@code /rest/{userId}/{code}/{method}[.json]} and OAuth
 * {@code /rest/{method}[.json]} with {@code auth}; JSON bodies and PHP-bracket query/form encoding, read
 * with PHP's {@code parse_str}; the OAuth refresh endpoint of {@code oauth.bitrix.info} at
 * {@link #tokenEndpoint()}, with rotating, single-use refresh tokens;</li>
 * <li>the envelope (§2): {@code result}, {@code total}, {@code next}, {@code time}; PHP quirks ({@code []}
 * for empty maps, string ids in records, empty multifields omitted, HTTP 400 with an empty
 * {@code error});</li>
 * <li>limits (§3): one leaky bucket for the portal (503 {@code QUERY_LIMIT_EXCEEDED}; a batch is one
 * request) and a per-method operating budget per credential (429 {@code OPERATION_TIME_LIMIT});</li>
 * <li>paging (§4), {@code batch} (§5), leads, contacts, companies, deals, e-mail activities,
 * {@code crm.duplicate.findbycomm}, users and the helper methods (§6, §7).</li>
 * </ul>
 * Built on the emulator kit ({@code org.jamescrm.emulator}): its {@link EmulatorServer} carries the HTTP
 * side and the faults, its {@link LeakyBucket} is the portal's rate limit, its {@link CallLog} and
 * {@link ViolationLog} the records tests assert on (an outgoing e-mail the portal would send again is a
 * {@link Violation.Kind#EMAIL_SENT_TO_CLIENT} violation). Time comes from the configured {@link Clock}
 * (rate limit, token expiry, operating budget, dates), so tests step a clock instead of sleeping.
 * State, counters and faults are queryable and programmable; {@link Bitrix24EmulatorExtension} gives
 * one per test class. Thread-safe: requests are served by a pool of 16 threads and the portal's state
 * is kept under one lock.
 *
 * <pre>{@code
 * try (Bitrix24Emulator portal = Bitrix24Emulator.builder().rateLimit(50, 2.0).start()) {
 *     long contact = portal.addContact(Map.of("NAME", "Ann", "EMAIL", "ann@client.example"));
 *     // point the connector at portal.portalUrl() with webhook portal.webhookUserId()/portal.webhookCode()
 *     portal.faultNext(2, Bitrix24Emulator.Fault.queryLimit());
 * }
 * }</pre>
 */
public final class Bitrix24Emulator implements Emulator {
    private static final int THREADS = 16;
    private static final Duration REFRESH_TOKEN_LIFETIME = Duration.ofDays(180);

    private final Settings settings;
    private final Object lock = new Object();
    private final ObjectMapper mapper = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();
    private final PortalTime time;
    private final EmulatorServer server;
    private final URI portalUrl;
    private final ViolationLog violations;
    private final Portal portal;
    private final LeakyBucket bucket;
    private final OperatingBudget budget;
    private final RestApi api;
    private final Map<String, Instant> accessTokens = new LinkedHashMap<>();
    private final Map<String, Instant> refreshTokens = new LinkedHashMap<>();

    /** How a request carried its parameters. */
    public enum Transport {
        /** A {@code POST} with {@code Content-Type: application/json}. */
        JSON,
        /** A query string or a form body, PHP bracket encoding. */
        FORM
    }

    /**
     * One HTTP request as the emulator saw it.
     *
     * @param method        the REST method (lower case), {@code oauth/token} for the token endpoint, or the
     *                      unrecognized path
     * @param transport     how the parameters came
     * @param status        the HTTP status answered, 0 when no answer was sent (timeout and drop faults)
     * @param errorCode     the {@code error} of the answer, or {@code null} for a success ({@code ""} is the
     *                      empty code of CRM method failures)
     * @param arrivedAt     the emulator clock's time of arrival
     * @param batchCommands the number of commands of a {@code batch}, 0 otherwise
     */
    public record RecordedRequest(String method, Transport transport, int status, String errorCode, Instant arrivedAt,
                                  int batchCommands) {

        /** Whether the request was answered with an {@code error}. */
        public boolean failed() {
            return errorCode != null;
        }
    }

    /**
     * A file stored on an activity.
     *
     * @param id      the portal's file id
     * @param name    the file name
     * @param content the decoded bytes
     */
    public record StoredFile(long id, String name, byte[] content) {
    }

    /** A failure of an in-process {@link #call} or {@code add*}: the portal's error, as REST would answer it. */
    public static final class CallFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final String error;

        CallFailedException(int status, String error, String description) {
            super(description);
            this.status = status;
            this.error = error;
        }

        /** The HTTP status REST would answer. */
        public int status() {
            return status;
        }

        /** The {@code error} code ({@code ""} for CRM method failures). */
        public String error() {
            return error;
        }

        /** The {@code error_description}. */
        public String description() {
            return getMessage();
        }
    }

    /**
     * What the next requests get instead of (or before) their normal answer; see
     * {@link #faultNext(int, Fault)}. The kit's faults ({@link org.jamescrm.emulator.Fault}) answered in
     * the portal's shapes, plus the portal's own limits; {@link #kitFault()} gives the kit's fault for
     * the rules of {@link #faults()} ("every request matching ...").
     */
    public static final class Fault {
        private final org.jamescrm.emulator.Fault kitFault;

        private Fault(org.jamescrm.emulator.Fault kitFault) {
            this.kitFault = kitFault;
        }

        /** Answer normally, after {@code delay} of real time. */
        public static Fault latency(Duration delay) {
            return new Fault(org.jamescrm.emulator.Fault.latency(delay));
        }

        /** Answer HTTP {@code status} (5xx) with {@code INTERNAL_SERVER_ERROR}. */
        public static Fault status(int status) {
            return new Fault(org.jamescrm.emulator.Fault.status(status));
        }

        /** Answer exactly this, e.g. an HTML 502 page of a proxy in front of the portal. */
        public static Fault response(int status, String contentType, String body) {
            return new Fault(org.jamescrm.emulator.Fault.response(status, contentType, body));
        }

        /** Accept the request and never answer: the connection is held 60 s (or until reset/close), then closed. */
        public static Fault timeout() {
            return new Fault(org.jamescrm.emulator.Fault.timeout());
        }

        /** Accept the request and never answer; the connection is closed after {@code hold}. */
        public static Fault timeout(Duration hold) {
            return new Fault(org.jamescrm.emulator.Fault.timeout(hold));
        }

        /** Close the connection without any answer. */
        public static Fault drop() {
            return new Fault(org.jamescrm.emulator.Fault.drop());
        }

        /** Answer 401 {@code expired_token}, whatever the credentials. */
        public static Fault expiredToken() {
            return new Fault(org.jamescrm.emulator.Fault.expiredToken());
        }

        /** Answer 503 {@code QUERY_LIMIT_EXCEEDED}, without touching the portal's bucket. */
        public static Fault queryLimit() {
            return new Fault(new QueryLimit());
        }

        /** Answer 429 {@code OPERATION_TIME_LIMIT} with {@code operating_reset_at} ten minutes ahead. */
        public static Fault operationTimeLimit() {
            return operationTimeLimit(Duration.ofMinutes(10));
        }

        /** Answer 429 {@code OPERATION_TIME_LIMIT} with {@code operating_reset_at} {@code resetIn} ahead. */
        public static Fault operationTimeLimit(Duration resetIn) {
            if (resetIn == null || resetIn.isNegative() || resetIn.isZero()) {
                throw new IllegalArgumentException("resetIn must be positive, got " + resetIn);
            }
            return new Fault(new OperationTimeLimit(resetIn));
        }

        /** The kit's fault this one is. */
        public org.jamescrm.emulator.Fault kitFault() {
            return kitFault;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Fault fault && fault.kitFault.equals(kitFault);
        }

        @Override
        public int hashCode() {
            return kitFault.hashCode();
        }

        @Override
        public String toString() {
            return kitFault.toString();
        }
    }

    /** The portal's 503 {@code QUERY_LIMIT_EXCEEDED}; see {@link Fault#queryLimit()}. */
    private record QueryLimit() implements org.jamescrm.emulator.Fault.Custom {
    }

    /** The portal's 429 {@code OPERATION_TIME_LIMIT}, released {@code resetIn} later; see {@link Fault#operationTimeLimit()}. */
    private record OperationTimeLimit(Duration resetIn) implements org.jamescrm.emulator.Fault.Custom {
    }

    /** The emulator's configuration, frozen at {@link Builder#start()}. */
    private record Settings(int burst, double drainPerSecond, Duration operatingBudget, Duration methodCost, int webhookUserId,
                            String webhookCode, Optional<OAuthApp> oauth, Duration accessTokenLifetime, Clock clock,
                            boolean simpleMode, boolean requireHttps, long maxFileBytes) {
    }

    /** The OAuth application registered on the portal. */
    private record OAuthApp(String clientId, String clientSecret, String refreshToken) {
        @Override
        public String toString() {
            return "OAuthApp[clientId=" + clientId + ", clientSecret=***, refreshToken=***]";
        }
    }

    /**
     * Configures an emulator; every setter checks its argument at once and names it when it is wrong.
     * Defaults: rate limit 50 / 2.0 per second, operating budget 480 s per 10 minutes at 5 ms per call,
     * webhook 1 / {@code emulatorwebhookcode1}, no OAuth, access tokens valid 3600 s, system UTC clock,
     * classic CRM mode, plain HTTP accepted, files up to 24 MB.
     */
    public static final class Builder {
        private int burst = 50;
        private double drainPerSecond = 2.0;
        private Duration operatingBudget = Duration.ofSeconds(480);
        private Duration methodCost = Duration.ofMillis(5);
        private int webhookUserId = 1;
        private String webhookCode = "emulatorwebhookcode1";
        private OAuthApp oauth;
        private Duration accessTokenLifetime = Duration.ofSeconds(3600);
        private Clock clock = Clock.systemUTC();
        private boolean simpleMode;
        private boolean requireHttps;
        private long maxFileBytes = 24L * 1024 * 1024;

        private Builder() {
        }

        /** The portal's leaky bucket: {@code burst} requests at once, draining {@code drainPerSecond}. */
        public Builder rateLimit(int burst, double drainPerSecond) {
            if (burst < 1) {
                throw new IllegalArgumentException("rateLimit burst must be at least 1, got " + burst);
            }
            if (!(drainPerSecond > 0) || Double.isInfinite(drainPerSecond)) {
                throw new IllegalArgumentException("rateLimit drainPerSecond must be positive, got " + drainPerSecond);
            }
            this.burst = burst;
            this.drainPerSecond = drainPerSecond;
            return this;
        }

        /** The execution time each method may use per credential in a sliding 10 minutes. */
        public Builder operatingLimit(Duration budgetPer10Minutes) {
            this.operatingBudget = positive(budgetPer10Minutes, "operatingLimit");
            return this;
        }

        /** The execution time one call of any method costs against the operating budget. */
        public Builder methodCost(Duration perCall) {
            Objects.requireNonNull(perCall, "methodCost");
            if (perCall.isNegative()) {
                throw new IllegalArgumentException("methodCost must not be negative, got " + perCall);
            }
            this.methodCost = perCall;
            return this;
        }

        /** The inbound webhook: its owner's user id and its secret code. */
        public Builder webhook(int userId, String code) {
            if (userId < 1) {
                throw new IllegalArgumentException("webhook userId must be at least 1, got " + userId);
            }
            if (code == null || !code.matches("[A-Za-z0-9]+")) {
                throw new IllegalArgumentException("webhook code must be letters and digits");
            }
            this.webhookUserId = userId;
            this.webhookCode = code;
            return this;
        }

        /** Registers an OAuth application and its initial refresh token; enables OAuth calls. */
        public Builder oauth(String clientId, String clientSecret, String refreshToken) {
            for (Map.Entry<String, String> value : Map.of("clientId", String.valueOf(clientId), "clientSecret", String.valueOf(clientSecret),
                "refreshToken", String.valueOf(refreshToken)).entrySet()) {
                if (value.getValue().isBlank() || value.getValue().equals("null")) {
                    throw new IllegalArgumentException("oauth " + value.getKey() + " must not be blank");
                }
            }
            this.oauth = new OAuthApp(clientId, clientSecret, refreshToken);
            return this;
        }

        /** How long an access token is valid (on the emulator's clock). */
        public Builder accessTokenLifetime(Duration lifetime) {
            this.accessTokenLifetime = positive(lifetime, "accessTokenLifetime");
            return this;
        }

        /** The clock of rate limit, token expiry, operating budget and dates; its zone is the portal's. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** {@code classic} (with leads) or {@code simple} (leadless: REST leads become deals at once). */
        public Builder crmMode(String mode) {
            if (!"classic".equals(mode) && !"simple".equals(mode)) {
                throw new IllegalArgumentException("crmMode must be 'classic' or 'simple', got '" + mode + "'");
            }
            this.simpleMode = mode.equals("simple");
            return this;
        }

        /**
         * Whether webhook calls over plain HTTP are refused with {@code INVALID_REQUEST} "Https required."
         * as on a cloud portal; a request with {@code X-Forwarded-Proto: https} counts as HTTPS.
         */
        public Builder requireHttps(boolean require) {
            this.requireHttps = require;
            return this;
        }

        /** The largest file an activity may carry. */
        public Builder maxFileSize(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxFileSize must be at least 1 byte, got " + bytes);
            }
            this.maxFileBytes = bytes;
            return this;
        }

        private static Duration positive(Duration duration, String name) {
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + duration);
            }
            return duration;
        }

        /** Binds 127.0.0.1 on an ephemeral port and starts serving. */
        public Bitrix24Emulator start() {
            return new Bitrix24Emulator(new Settings(burst, drainPerSecond, operatingBudget, methodCost, webhookUserId, webhookCode,
                Optional.ofNullable(oauth), accessTokenLifetime, clock, simpleMode, requireHttps, maxFileBytes));
        }
    }

    /** A builder with the defaults of most plans. */
    public static Builder builder() {
        return new Builder();
    }

    private Bitrix24Emulator(Settings settings) {
        this.settings = settings;
        this.time = new PortalTime(settings.clock());
        this.server = EmulatorServer.builder(new Endpoint()).name("bitrix24-emulator").threads(THREADS).clock(settings.clock()).start();
        this.portalUrl = server.baseUrl();
        this.violations = new ViolationLog(settings.clock());
        this.portal = new Portal(time, settings.webhookUserId(), settings.simpleMode(), settings.maxFileBytes(), portalUrl.toString(),
            violations);
        this.bucket = new LeakyBucket(settings.burst(), settings.drainPerSecond(), settings.clock());
        this.budget = new OperatingBudget(settings.operatingBudget());
        this.api = new RestApi(portal, budget, time, settings.methodCost());
        resetTokens();
    }

    // ------------------------------------------------------------------ addresses

    /** The portal's base URL, {@code http://127.0.0.1:PORT/}. */
    public URI portalUrl() {
        return portalUrl;
    }

    /** The portal's base URL, as {@link #portalUrl()}. */
    @Override
    public URI baseUrl() {
        return portalUrl;
    }

    /** The inbound webhook's URL, {@code http://127.0.0.1:PORT/rest/{userId}/{code}/}. */
    public URI webhookUrl() {
        return portalUrl.resolve("rest/" + settings.webhookUserId() + "/" + settings.webhookCode() + "/");
    }

    /** The webhook owner's user id. */
    public int webhookUserId() {
        return settings.webhookUserId();
    }

    /** The webhook's secret code. */
    public String webhookCode() {
        return settings.webhookCode();
    }

    /** The OAuth token endpoint (the emulated {@code https://oauth.bitrix.info/oauth/token/}). */
    public URI tokenEndpoint() {
        return portalUrl.resolve("oauth/token/");
    }

    // ------------------------------------------------------------------ OAuth

    /** A currently valid access token of the OAuth application. */
    public String issueAccessToken() {
        requireOAuth();
        synchronized (lock) {
            return newAccessToken();
        }
    }

    /** Makes every access token issued so far expired: their next call gets 401 {@code expired_token}. */
    public void expireAccessTokens() {
        synchronized (lock) {
            accessTokens.replaceAll((token, expiry) -> Instant.MIN);
        }
    }

    private void requireOAuth() {
        if (settings.oauth().isEmpty()) {
            throw new IllegalStateException("OAuth is not enabled: configure it with Builder.oauth(clientId, clientSecret, refreshToken)");
        }
    }

    private String newAccessToken() {
        String token = randomToken();
        accessTokens.put(token, time.now().plus(settings.accessTokenLifetime()));
        return token;
    }

    private String randomToken() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private void resetTokens() {
        accessTokens.clear();
        refreshTokens.clear();
        settings.oauth().ifPresent(app -> refreshTokens.put(app.refreshToken(), time.now().plus(REFRESH_TOKEN_LIFETIME)));
    }

    // ------------------------------------------------------------------ data set-up and inspection

    /**
     * Adds a portal user. Fields: {@code ID} (optional, else the next free), {@code NAME},
     * {@code LAST_NAME}, {@code SECOND_NAME}, {@code EMAIL}, {@code ACTIVE} ("Y"/"N" or boolean, default
     * active), {@code UF_DEPARTMENT} (ids, default [1] for employees), {@code USER_TYPE} ({@code employee}
     * default, {@code extranet}, {@code email}, {@code bot}), {@code WORK_POSITION}.
     *
     * @return the user's ID
     */
    public long addUser(Map<String, Object> fields) {
        synchronized (lock) {
            return portal.addUser(tree(fields));
        }
    }

    /**
     * Adds a lead through the same code as {@code crm.lead.add}, as the webhook owner, so the portal's
     * checks apply. For convenience {@code EMAIL}/{@code PHONE} may also be a string or a list of
     * strings (WORK values), and {@code FM} a map of type to items; {@code DATE_CREATE},
     * {@code DATE_MODIFY} and {@code CREATED_BY_ID} may be set for seeding.
     *
     * @return the lead's ID
     * @throws CallFailedException when the portal refuses the fields
     */
    public long addLead(Map<String, Object> fields) {
        return seed(EntityType.LEAD, fields);
    }

    /** Adds a contact like {@code crm.contact.add}; the conveniences of {@link #addLead}. */
    public long addContact(Map<String, Object> fields) {
        return seed(EntityType.CONTACT, fields);
    }

    /** Adds a company like {@code crm.company.add}; the conveniences of {@link #addLead}. */
    public long addCompany(Map<String, Object> fields) {
        return seed(EntityType.COMPANY, fields);
    }

    /** Adds a deal like {@code crm.deal.add} (STAGE_ID and CATEGORY_ID decide its semantics). */
    public long addDeal(Map<String, Object> fields) {
        return seed(EntityType.DEAL, fields);
    }

    private long seed(EntityType type, Map<String, Object> fields) {
        ObjectNode node = tree(fields);
        JsonNode fm = node.remove("FM");
        if (fm != null && fm.isObject()) {
            fm.fields().forEachRemaining(entry -> node.set(entry.getKey(), entry.getValue()));
        }
        for (String multi : Portal.MULTI_TYPES) {
            JsonNode value = node.get(multi);
            if (value != null && value.isTextual()) {
                node.set(multi, NODES.arrayNode().add(workValue(value.textValue())));
            } else if (value != null && value.isArray()) {
                ArrayNode items = NODES.arrayNode();
                value.forEach(item -> items.add(item.isTextual() ? workValue(item.textValue()) : item));
                node.set(multi, items);
            }
        }
        synchronized (lock) {
            try {
                return portal.addEntity(type, node, owner(), true);
            } catch (RestError error) {
                throw new CallFailedException(error.status(), error.code(), error.description());
            }
        }
    }

    private static ObjectNode workValue(String value) {
        ObjectNode item = NODES.objectNode();
        item.put("VALUE", value);
        item.put("VALUE_TYPE", "WORK");
        return item;
    }

    private ObjectNode tree(Map<String, Object> fields) {
        JsonNode node = mapper.valueToTree(fields == null ? Map.of() : fields);
        return node.isObject() ? (ObjectNode) node : NODES.objectNode();
    }

    private Caller owner() {
        return new Caller(settings.webhookUserId(), "webhook:" + settings.webhookUserId(), true);
    }

    /**
     * Calls a method in process, as the webhook owner, without HTTP, authentication or limits (for set-up
     * and inspection); {@code batch} works too.
     *
     * @return the {@code result} the REST answer would carry
     * @throws CallFailedException with the portal's error
     */
    public JsonNode call(String method, Map<String, Object> params) {
        synchronized (lock) {
            String name = method.toLowerCase(Locale.ROOT);
            if (!api.knows(name)) {
                throw new CallFailedException(404, "ERROR_METHOD_NOT_FOUND", "Method not found!");
            }
            try {
                return api.call(name, tree(params), owner(), false).get("result");
            } catch (RestError error) {
                throw new CallFailedException(error.status(), error.code(), error.description());
            }
        }
    }

    /** Every lead, as {@code crm.lead.get} returns it. */
    public List<Map<String, Object>> leads() {
        return snapshots(portal -> portal.snapshot(EntityType.LEAD));
    }

    /** Every contact, as {@code crm.contact.get} returns it. */
    public List<Map<String, Object>> contacts() {
        return snapshots(portal -> portal.snapshot(EntityType.CONTACT));
    }

    /** Every company, as {@code crm.company.get} returns it. */
    public List<Map<String, Object>> companies() {
        return snapshots(portal -> portal.snapshot(EntityType.COMPANY));
    }

    /** Every deal, as {@code crm.deal.get} returns it. */
    public List<Map<String, Object>> deals() {
        return snapshots(portal -> portal.snapshot(EntityType.DEAL));
    }

    /**
     * Every activity as {@code crm.activity.get} returns it, plus {@code COMMUNICATIONS} (as
     * {@code crm.activity.list} selects them), {@code BINDINGS} ({@code OWNER_TYPE_ID}, {@code OWNER_ID})
     * and {@code FILES} ({@code id}, {@code name}, {@code size}).
     */
    public List<Map<String, Object>> activities() {
        return snapshots(Portal::activitySnapshots);
    }

    /** The activities whose ORIGIN_ID is {@code originId} (an integration's idempotency key). */
    public List<Map<String, Object>> activitiesWithOrigin(String originId) {
        return activities().stream().filter(activity -> originId.equals(activity.get("ORIGIN_ID"))).toList();
    }

    /** The leads whose ORIGIN_ID is {@code originId}. */
    public List<Map<String, Object>> leadsWithOrigin(String originId) {
        return leads().stream().filter(lead -> originId.equals(lead.get("ORIGIN_ID"))).toList();
    }

    /** Every user, as {@code user.get} returns it (including users {@code user.get} hides, e.g. bots). */
    public List<Map<String, Object>> users() {
        return snapshots(Portal::userSnapshots);
    }

    /** Every timeline comment added with {@code crm.timeline.comment.add}. */
    public List<Map<String, Object>> timelineComments() {
        return snapshots(Portal::comments);
    }

    /** One activity as {@link #activities()} shows it; {@link IllegalArgumentException} when there is none. */
    public Map<String, Object> activity(long id) {
        synchronized (lock) {
            return portal.activitySnapshot(id).map(this::asMap)
                .orElseThrow(() -> new IllegalArgumentException("no activity with ID " + id));
        }
    }

    /** The files of an activity, with their bytes. */
    public List<StoredFile> files(long activityId) {
        synchronized (lock) {
            return portal.files(activityId);
        }
    }

    /**
     * Every outgoing e-mail activity ({@code TYPE_ID} 4, {@code DIRECTION} 2) created with
     * {@code COMPLETED=Y}: a real portal sends such an e-mail to the client again (§7.6). Tests assert this
     * stays empty.
     */
    public List<Map<String, Object>> resentOutgoingEmails() {
        return violations.of(Violation.Kind.EMAIL_SENT_TO_CLIENT).stream().map(Violation::evidence).toList();
    }

    private List<Map<String, Object>> snapshots(Function<Portal, List<ObjectNode>> source) {
        synchronized (lock) {
            List<Map<String, Object>> rows = new ArrayList<>();
            source.apply(portal).forEach(node -> rows.add(asMap(node)));
            return rows;
        }
    }

    private Map<String, Object> asMap(ObjectNode node) {
        return mapper.convertValue(node, new TypeReference<LinkedHashMap<String, Object>>() {
        });
    }

    // ------------------------------------------------------------------ observation and faults

    /** The HTTP requests received, including refused, faulted and token requests. */
    public long requestCount() {
        return server.requestCount();
    }

    /** How many requests were answered with {@code errorCode} (e.g. {@code QUERY_LIMIT_EXCEEDED}). */
    public long refusedCount(String errorCode) {
        return server.calls().countErrors(errorCode);
    }

    /**
     * The requests received so far, in the order they were answered; a request is recorded just before
     * its answer is sent, so a client holding an answer always finds its request here.
     */
    public List<RecordedRequest> requests() {
        return server.calls().all().stream().map(Bitrix24Emulator::recorded).toList();
    }

    private static RecordedRequest recorded(Call call) {
        CallNote note = call.detail(CallNote.class).orElse(new CallNote(Transport.FORM, 0));
        return new RecordedRequest(call.operation(), note.transport(), call.status(), call.errorCode(), call.arrivedAt(), note.batchCommands());
    }

    /** The highest number of requests in flight at once. */
    public int maxConcurrentRequests() {
        return server.maxConcurrentRequests();
    }

    /** The next {@code count} HTTP requests (REST and token) get {@code fault}, after any faults queued before. */
    public void faultNext(int count, Fault fault) {
        Objects.requireNonNull(fault, "fault");
        server.faults().next(count, fault.kitFault());
    }

    /**
     * The kit's fault plan, for rules {@link #faultNext} does not cover ("every {@code crm.activity.add}");
     * a request's operation is its REST method in lower case ({@code oauth/token} for the token endpoint).
     */
    @Override
    public FaultPlan faults() {
        return server.faults();
    }

    /** The kit's call log: every request with its REST method, timing, status and error code. */
    @Override
    public CallLog calls() {
        return server.calls();
    }

    /** What a real portal would have done that a user would regret, e.g. an outgoing e-mail sent again. */
    @Override
    public ViolationLog violations() {
        return violations;
    }

    /**
     * Back to the state just after {@link Builder#start()}: no data but the webhook owner, id sequences
     * at 1, counters, records and violations cleared, faults dropped, held connections closed, the bucket
     * and the operating budget empty, OAuth back to the initial refresh token.
     */
    @Override
    public void reset() {
        synchronized (lock) {
            portal.reset();
            bucket.reset();
            budget.reset();
            violations.clear();
            resetTokens();
        }
        server.reset();
    }

    /** Stops serving and closes held connections. */
    @Override
    public void close() {
        server.close();
    }

    // ------------------------------------------------------------------ HTTP

    /** A parsed request. */
    private record Request(String path, String method, Route route, Transport transport, ObjectNode params, boolean unsupportedBody,
                           boolean https, Instant arrivedAt) {
    }

    /** What the call log keeps of a request besides the kit's fields: how its parameters came, the size of a batch. */
    private record CallNote(Transport transport, int batchCommands) {
    }

    private enum Route {
        WEBHOOK, OAUTH, TOKEN, BAD_REST, XML, OTHER
    }

    /** The portal behind the kit's server: parses each request once, answers it and the faults in the portal's shapes. */
    private final class Endpoint implements CrmEndpoint {

        @Override
        public void prepare(EmulatorRequest raw) {
            Request request = read(raw);
            raw.attach(Request.class, request);
            raw.describe(request.method(), new CallNote(request.transport(), batchCommands(request)));
        }

        @Override
        public Reply answer(EmulatorRequest raw) {
            return Bitrix24Emulator.this.answer(parsed(raw));
        }

        @Override
        public Reply answerFault(org.jamescrm.emulator.Fault fault, EmulatorRequest raw) {
            return faultAnswer(fault, parsed(raw));
        }

        /** An emulator bug must show up in the test, as a 500 naming it. */
        @Override
        public Reply failure(RuntimeException bug, EmulatorRequest request) {
            ObjectNode body = NODES.objectNode();
            body.put("error", "INTERNAL_SERVER_ERROR");
            body.put("error_description", "emulator failure: " + bug);
            return json(500, body, "INTERNAL_SERVER_ERROR");
        }

        private Request parsed(EmulatorRequest raw) {
            return raw.attachment(Request.class).orElseThrow(() -> new IllegalStateException("request not prepared: " + raw));
        }
    }

    private Request read(EmulatorRequest raw) {
        byte[] body = raw.body();
        String path = raw.path();
        ObjectNode params = Php.parseStr(raw.rawQuery().orElse(null));
        boolean post = raw.httpMethod().equals("POST");
        String contentType = raw.mediaType();
        Transport transport = post && contentType.equals("application/json") ? Transport.JSON : Transport.FORM;
        boolean unsupported = false;
        if (post && body.length > 0) {
            if (transport == Transport.JSON) {
                mergeJson(params, body);
            } else if (contentType.startsWith("multipart/")) {
                unsupported = true;
            } else {
                // PHP parses any other body as a query string (bitrix24-api §1.3; CRestUtil::getRequestData)
                params.setAll(Php.parseStr(new String(body, StandardCharsets.ISO_8859_1)));
            }
        }
        boolean https = raw.header("X-Forwarded-Proto").map("https"::equalsIgnoreCase).orElse(false);
        Route route;
        String method;
        if (path.equals("/oauth/token") || path.equals("/oauth/token/")) {
            route = Route.TOKEN;
            method = "oauth/token";
        } else if (path.startsWith("/rest/")) {
            List<String> segments = new ArrayList<>();
            for (String segment : path.substring("/rest/".length()).split("/")) {
                if (!segment.isEmpty()) {
                    segments.add(segment);
                }
            }
            String last = segments.isEmpty() ? "" : segments.get(segments.size() - 1);
            method = last.toLowerCase(Locale.ROOT);
            if (method.endsWith(".json")) {
                method = method.substring(0, method.length() - ".json".length());
            }
            if (segments.size() == 3 && segments.get(0).matches("\\d{1,9}")) {
                route = Route.WEBHOOK;
            } else if (segments.size() == 1) {
                route = Route.OAUTH;
            } else {
                route = Route.BAD_REST;
            }
            if (route != Route.BAD_REST && method.endsWith(".xml")) {
                route = Route.XML;
            }
        } else {
            route = Route.OTHER;
            method = path;
        }
        return new Request(path, method, route, transport, params, unsupported, https, raw.arrivedAt());
    }

    /** A JSON body replaces the query's top-level keys; a body that is not JSON gives no parameters, as in PHP. */
    private void mergeJson(ObjectNode params, byte[] body) {
        try {
            JsonNode json = mapper.readTree(body);
            if (json != null && json.isObject()) {
                params.setAll((ObjectNode) json);
            } else if (json != null && json.isArray()) {
                for (int i = 0; i < json.size(); i++) {
                    params.set(Integer.toString(i), json.get(i));
                }
            }
        } catch (IOException notJson) {
            // Json::decode failed: the portal goes on with an empty body
        }
    }

    private Reply answer(Request request) {
        synchronized (lock) {
            switch (request.route()) {
                case TOKEN:
                    return token(request);
                case OTHER:
                    return error(404, "NOT_FOUND", "The emulator serves /rest/... and /oauth/token/ only.");
                default:
                    break;
            }
            if (!bucket.tryAcquire(request.arrivedAt())) {
                return error(503, "QUERY_LIMIT_EXCEEDED", "Too many requests");
            }
            if (request.route() == Route.XML) {
                return error(501, "EMULATOR_XML_UNSUPPORTED", "The emulator answers the .json transport only.");
            }
            if (request.route() == Route.BAD_REST || !api.knows(request.method())) {
                return error(404, "ERROR_METHOD_NOT_FOUND", "Method not found!");
            }
            if (request.unsupportedBody()) {
                return error(415, "EMULATOR_MULTIPART_UNSUPPORTED", "The emulator reads JSON, query strings and form bodies only.");
            }
            ObjectNode params = request.params();
            Caller caller;
            try {
                caller = authenticate(request);
            } catch (RestError refused) {
                return error(refused);
            }
            params.remove("auth");
            try {
                return json(200, api.call(request.method(), params, caller, true), null);
            } catch (RestError failure) {
                return error(failure);
            }
        }
    }

    private Caller authenticate(Request request) {
        if (request.route() == Route.WEBHOOK) {
            if (settings.requireHttps() && !request.https()) {
                throw new RestError(400, "INVALID_REQUEST", "Https required.");
            }
            String[] segments = request.path().substring("/rest/".length()).split("/+");
            if (!segments[0].equals(Integer.toString(settings.webhookUserId())) || !segments[1].equals(settings.webhookCode())) {
                throw new RestError(401, "INVALID_CREDENTIALS", "Invalid request credentials");
            }
            return owner();
        }
        JsonNode auth = request.params().get("auth");
        if (!Php.isset(auth) || Php.string(auth).isEmpty()) {
            throw new RestError(401, "NO_AUTH_FOUND", "Wrong authorization data");
        }
        Instant expiry = accessTokens.get(Php.string(auth));
        if (expiry == null || settings.oauth().isEmpty()) {
            throw new RestError(401, "invalid_token", "The access token provided is invalid.");
        }
        if (!time.now().isBefore(expiry)) {
            throw new RestError(401, "expired_token", "The access token provided has expired.");
        }
        return new Caller(settings.webhookUserId(), "app:" + settings.oauth().get().clientId(), false);
    }

    /** The emulated {@code oauth.bitrix.info/oauth/token/}: refresh grants only, refresh tokens single-use. */
    private Reply token(Request request) {
        ObjectNode params = request.params();
        String grant = Php.string(params.get("grant_type"));
        if (settings.oauth().isEmpty()) {
            return tokenError(401, "invalid_client", "No OAuth application is registered on this portal.");
        }
        OAuthApp app = settings.oauth().get();
        if (grant.isEmpty()) {
            return tokenError(400, "invalid_request", "The grant_type parameter is missing.");
        }
        if (!app.clientId().equals(Php.string(params.get("client_id"))) || !app.clientSecret().equals(Php.string(params.get("client_secret")))) {
            return tokenError(401, "invalid_client", "Invalid client_id or client_secret.");
        }
        if (grant.equals("authorization_code")) {
            return tokenError(400, "invalid_grant", "Invalid authorization code.");
        }
        if (!grant.equals("refresh_token")) {
            return tokenError(400, "invalid_request", "Unsupported grant_type '" + grant + "'.");
        }
        String refreshToken = Php.string(params.get("refresh_token"));
        Instant refreshExpiry = refreshTokens.get(refreshToken);
        if (refreshExpiry == null || !time.now().isBefore(refreshExpiry)) {
            return tokenError(400, "invalid_grant", "Invalid or expired refresh token.");
        }
        refreshTokens.remove(refreshToken);
        String nextRefresh = randomToken();
        refreshTokens.put(nextRefresh, time.now().plus(REFRESH_TOKEN_LIFETIME));
        String accessToken = newAccessToken();
        ObjectNode body = NODES.objectNode();
        body.put("access_token", accessToken);
        body.put("expires", time.now().plus(settings.accessTokenLifetime()).getEpochSecond());
        body.put("expires_in", settings.accessTokenLifetime().toSeconds());
        body.put("scope", "crm,user_basic");
        body.put("domain", portalUrl.getAuthority());
        body.put("server_endpoint", portalUrl.resolve("oauth/rest/").toString());
        body.put("status", "L");
        body.put("client_endpoint", portalUrl.resolve("rest/").toString());
        body.put("member_id", "emulator" + portalUrl.getPort());
        body.put("user_id", settings.webhookUserId());
        body.put("refresh_token", nextRefresh);
        return json(200, body, null);
    }

    private Reply tokenError(int status, String error, String description) {
        ObjectNode body = NODES.objectNode();
        body.put("error", error);
        body.put("error_description", description);
        return json(status, body, error);
    }

    /** The portal's shapes of the faults the kit marks (the transport faults the kit carries out itself). */
    private Reply faultAnswer(org.jamescrm.emulator.Fault fault, Request request) {
        if (fault instanceof org.jamescrm.emulator.Fault.Status status) {
            return error(status.status(), "INTERNAL_SERVER_ERROR", "Internal server error");
        }
        if (fault instanceof org.jamescrm.emulator.Fault.ExpiredToken) {
            return error(401, "expired_token", "The access token provided has expired.");
        }
        if (fault instanceof QueryLimit) {
            return error(503, "QUERY_LIMIT_EXCEEDED", "Too many requests");
        }
        if (!(fault instanceof OperationTimeLimit limit)) {
            throw new IllegalStateException("the Bitrix24 emulator does not answer the fault " + fault);
        }
        ObjectNode body = NODES.objectNode();
        body.put("error", "OPERATION_TIME_LIMIT");
        body.put("error_description", "Method is blocked due to operation time limit.");
        long resetAt = request.arrivedAt().plus(limit.resetIn()).getEpochSecond();
        body.put("operating_reset_at", resetAt);
        ObjectNode timeBlock;
        synchronized (lock) {
            timeBlock = api.timeBlock(request.arrivedAt(), "fault", request.method(), false);
        }
        timeBlock.put("operating_reset_at", resetAt);
        body.set("time", timeBlock);
        return json(429, body, "OPERATION_TIME_LIMIT");
    }

    private Reply error(int status, String code, String description) {
        return error(new RestError(status, code, description));
    }

    private Reply error(RestError error) {
        return json(error.status(), error.body(), error.code());
    }

    private Reply json(int status, ObjectNode body, String errorCode) {
        return Reply.json(status, bytes(body), errorCode);
    }

    private byte[] bytes(JsonNode body) {
        try {
            return mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON answer", e);
        }
    }

    /** The number of commands of a {@code batch}, 0 for any other method: the call log keeps it. */
    private static int batchCommands(Request request) {
        int commands = 0;
        if (request.method().equals("batch")) {
            for (Map.Entry<String, JsonNode> entry : iterable(request.params())) {
                if (entry.getKey().equalsIgnoreCase("cmd")) {
                    commands = RestApi.commandsOf(entry.getValue()).size();
                }
            }
        }
        return commands;
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(ObjectNode node) {
        return node::fields;
    }
}

package org.jamescrm.emulator.bitrix24;

import static org.jamescrm.emulator.bitrix24.Php.NODES;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

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
 * Time comes from the configured {@link Clock} (rate limit, token expiry, operating budget, dates), so
 * tests step a clock instead of sleeping. State, counters and faults are queryable and programmable;
 * {@link Bitrix24EmulatorExtension} gives one per test class. Thread-safe: requests are served by a
 * pool of 16 threads and the portal's state is kept under one lock.
 *
 * <pre>{@code
 * try (Bitrix24Emulator portal = Bitrix24Emulator.builder().rateLimit(50, 2.0).start()) {
 *     long contact = portal.addContact(Map.of("NAME", "Ann", "EMAIL", "ann@client.example"));
 *     // point the connector at portal.portalUrl() with webhook portal.webhookUserId()/portal.webhookCode()
 *     portal.faultNext(2, Bitrix24Emulator.Fault.queryLimit());
 * }
 * }</pre>
 */
public final class Bitrix24Emulator implements AutoCloseable {
    private static final int THREADS = 16;
    private static final Duration REFRESH_TOKEN_LIFETIME = Duration.ofDays(180);

    private final Settings settings;
    private final Object lock = new Object();
    private final ObjectMapper mapper = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();
    private final PortalTime time;
    private final HttpServer server;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private final URI portalUrl;
    private final Portal portal;
    private final PortalRateLimit bucket;
    private final OperatingBudget budget;
    private final RestApi api;
    private final Map<String, Instant> accessTokens = new LinkedHashMap<>();
    private final Map<String, Instant> refreshTokens = new LinkedHashMap<>();
    private final List<RecordedRequest> recorded = new ArrayList<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final Map<HttpExchange, Flight> held = new LinkedHashMap<>();
    private final AtomicLong received = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile boolean closed;

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
     * {@link #faultNext(int, Fault)}.
     */
    public sealed interface Fault {

        /** Answer normally, after {@code delay} of real time. */
        static Fault latency(Duration delay) {
            return new Latency(requirePositive(delay, "delay"));
        }

        /** Answer HTTP {@code status} (5xx) with {@code INTERNAL_SERVER_ERROR}. */
        static Fault status(int status) {
            if (status < 500 || status > 599) {
                throw new IllegalArgumentException("status must be a 5xx status, got " + status);
            }
            return new Status(status);
        }

        /** Answer exactly this, e.g. an HTML 502 page of a proxy in front of the portal. */
        static Fault response(int status, String contentType, String body) {
            return new Raw(status, Objects.requireNonNull(contentType, "contentType"), Objects.requireNonNull(body, "body"));
        }

        /** Accept the request and never answer: the connection is held 60 s (or until reset/close), then closed. */
        static Fault timeout() {
            return new Timeout(Duration.ofSeconds(60));
        }

        /** Accept the request and never answer; the connection is closed after {@code hold}. */
        static Fault timeout(Duration hold) {
            return new Timeout(requirePositive(hold, "hold"));
        }

        /** Close the connection without any answer. */
        static Fault drop() {
            return new Drop();
        }

        /** Answer 401 {@code expired_token}, whatever the credentials. */
        static Fault expiredToken() {
            return new ExpiredToken();
        }

        /** Answer 503 {@code QUERY_LIMIT_EXCEEDED}. */
        static Fault queryLimit() {
            return new QueryLimit();
        }

        /** Answer 429 {@code OPERATION_TIME_LIMIT} with {@code operating_reset_at} ten minutes ahead. */
        static Fault operationTimeLimit() {
            return new OperationTimeLimit(Duration.ofMinutes(10));
        }

        /** Answer 429 {@code OPERATION_TIME_LIMIT} with {@code operating_reset_at} {@code resetIn} ahead. */
        static Fault operationTimeLimit(Duration resetIn) {
            return new OperationTimeLimit(requirePositive(resetIn, "resetIn"));
        }

        private static Duration requirePositive(Duration duration, String name) {
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + duration);
            }
            return duration;
        }

        /** A normal answer after a delay of real time; see {@link #latency(Duration)}. */
        record Latency(Duration delay) implements Fault {
        }

        /** A 5xx answer with {@code INTERNAL_SERVER_ERROR}; see {@link #status(int)}. */
        record Status(int status) implements Fault {
        }

        /** A verbatim answer; see {@link #response(int, String, String)}. */
        record Raw(int status, String contentType, String body) implements Fault {
        }

        /** No answer, the connection held for {@code hold}; see {@link #timeout()}. */
        record Timeout(Duration hold) implements Fault {
        }

        /** The connection closed without an answer; see {@link #drop()}. */
        record Drop() implements Fault {
        }

        /** 401 {@code expired_token}; see {@link #expiredToken()}. */
        record ExpiredToken() implements Fault {
        }

        /** 503 {@code QUERY_LIMIT_EXCEEDED}; see {@link #queryLimit()}. */
        record QueryLimit() implements Fault {
        }

        /** 429 {@code OPERATION_TIME_LIMIT} released {@code resetIn} later; see {@link #operationTimeLimit()}. */
        record OperationTimeLimit(Duration resetIn) implements Fault {
        }
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
        try {
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind the Bitrix24 emulator on 127.0.0.1", e);
        }
        this.portalUrl = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        this.portal = new Portal(time, settings.webhookUserId(), settings.simpleMode(), settings.maxFileBytes(), portalUrl.toString());
        this.bucket = new PortalRateLimit(settings.burst(), settings.drainPerSecond());
        this.budget = new OperatingBudget(settings.operatingBudget());
        this.api = new RestApi(portal, budget, time, settings.methodCost());
        resetTokens();
        this.workers = Executors.newFixedThreadPool(THREADS, threads("bitrix24-emulator-"));
        this.timer = Executors.newSingleThreadScheduledExecutor(threads("bitrix24-emulator-timer-"));
        server.createContext("/", this::handle);
        server.setExecutor(workers);
        server.start();
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    // ------------------------------------------------------------------ addresses

    /** The portal's base URL, {@code http://127.0.0.1:PORT/}. */
    public URI portalUrl() {
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
        return snapshots(Portal::resentOutgoing);
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
        return received.get();
    }

    /** How many requests were answered with {@code errorCode} (e.g. {@code QUERY_LIMIT_EXCEEDED}). */
    public long refusedCount(String errorCode) {
        synchronized (lock) {
            return recorded.stream().filter(request -> errorCode.equals(request.errorCode())).count();
        }
    }

    /**
     * The requests received so far, in the order they were answered; a request is recorded just before
     * its answer is sent, so a client holding an answer always finds its request here.
     */
    public List<RecordedRequest> requests() {
        synchronized (lock) {
            return List.copyOf(recorded);
        }
    }

    /** The highest number of requests in flight at once. */
    public int maxConcurrentRequests() {
        return maxInFlight.get();
    }

    /** The next {@code count} HTTP requests (REST and token) get {@code fault}, after any faults queued before. */
    public void faultNext(int count, Fault fault) {
        Objects.requireNonNull(fault, "fault");
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, got " + count);
        }
        synchronized (lock) {
            for (int i = 0; i < count; i++) {
                faults.add(fault);
            }
        }
    }

    /**
     * Back to the state just after {@link Builder#start()}: no data but the webhook owner, id sequences
     * at 1, counters and records cleared, faults dropped, held connections closed, the bucket and the
     * operating budget empty, OAuth back to the initial refresh token.
     */
    public void reset() {
        List<HttpExchange> release;
        synchronized (lock) {
            portal.reset();
            bucket.reset();
            budget.reset();
            faults.clear();
            recorded.clear();
            resetTokens();
            release = new ArrayList<>(held.keySet());
        }
        release.forEach(this::release);
        received.set(0);
        maxInFlight.set(0);
    }

    /** Stops serving and closes held connections. */
    @Override
    public void close() {
        closed = true;
        List<HttpExchange> release;
        synchronized (lock) {
            release = new ArrayList<>(held.keySet());
        }
        release.forEach(this::release);
        server.stop(0);
        timer.shutdownNow();
        workers.shutdownNow();
    }

    // ------------------------------------------------------------------ HTTP

    /** A parsed request. */
    private record Request(String path, String method, Route route, Transport transport, ObjectNode params, boolean unsupportedBody,
                           boolean https, Instant arrivedAt) {
    }

    private enum Route {
        WEBHOOK, OAUTH, TOKEN, BAD_REST, XML, OTHER
    }

    /** An answer ready to send. */
    private record Answer(int status, byte[] body, String contentType, String errorCode) {
    }

    /** One request in flight; it lands once, when its answer is about to leave (or its connection closes). */
    private final class Flight {
        private final java.util.concurrent.atomic.AtomicBoolean landed = new java.util.concurrent.atomic.AtomicBoolean();

        Flight() {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        }

        void land() {
            if (landed.compareAndSet(false, true)) {
                inFlight.decrementAndGet();
            }
        }
    }

    private void handle(HttpExchange exchange) {
        received.incrementAndGet();
        Flight flight = new Flight();
        boolean keep = false;
        try {
            keep = serve(exchange, flight);
        } catch (IOException e) {
            // the client went away: nothing to answer
        } catch (RuntimeException e) {
            // an emulator bug must show up in the test, as a 500 naming it
            ObjectNode body = NODES.objectNode();
            body.put("error", "INTERNAL_SERVER_ERROR");
            body.put("error_description", "emulator failure: " + e);
            try {
                send(exchange, new Answer(500, bytes(body), "application/json; charset=utf-8", "INTERNAL_SERVER_ERROR"));
            } catch (IOException ignored) {
                // the client went away
            }
        } finally {
            if (!keep) {
                flight.land();
                exchange.close();
            }
        }
    }

    /** Serves one exchange; true when the exchange is held open (timeout fault). */
    private boolean serve(HttpExchange exchange, Flight flight) throws IOException {
        Request request = read(exchange);
        Fault fault;
        synchronized (lock) {
            fault = faults.poll();
        }
        if (fault instanceof Fault.Latency) {
            sleep(((Fault.Latency) fault).delay());
        } else if (fault instanceof Fault.Timeout) {
            record(request, 0, null);
            hold(exchange, flight, ((Fault.Timeout) fault).hold());
            return true;
        } else if (fault instanceof Fault.Drop) {
            record(request, 0, null);
            return false; // closed by the caller without an answer
        } else if (fault != null) {
            Answer answer = faultAnswer(fault, request);
            // recorded before the answer leaves: a client that has its answer finds its request recorded
            record(request, answer.status(), answer.errorCode());
            flight.land();
            send(exchange, answer);
            return false;
        }
        Answer answer = answer(request);
        record(request, answer.status(), answer.errorCode());
        flight.land();
        send(exchange, answer);
        return false;
    }

    private Request read(HttpExchange exchange) throws IOException {
        Instant arrivedAt = time.now();
        byte[] body = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        ObjectNode params = Php.parseStr(exchange.getRequestURI().getRawQuery());
        boolean post = exchange.getRequestMethod().equalsIgnoreCase("POST");
        String contentType = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type")).orElse("")
            .replaceAll(";.*$", "").strip().toLowerCase(Locale.ROOT);
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
        boolean https = "https".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("X-Forwarded-Proto"));
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
        return new Request(path, method, route, transport, params, unsupported, https, arrivedAt);
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

    private Answer answer(Request request) {
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
    private Answer token(Request request) {
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

    private Answer tokenError(int status, String error, String description) {
        ObjectNode body = NODES.objectNode();
        body.put("error", error);
        body.put("error_description", description);
        return json(status, body, error);
    }

    private Answer faultAnswer(Fault fault, Request request) {
        if (fault instanceof Fault.Status) {
            return error(((Fault.Status) fault).status(), "INTERNAL_SERVER_ERROR", "Internal server error");
        }
        if (fault instanceof Fault.Raw) {
            Fault.Raw raw = (Fault.Raw) fault;
            return new Answer(raw.status(), raw.body().getBytes(StandardCharsets.UTF_8), raw.contentType(), null);
        }
        if (fault instanceof Fault.ExpiredToken) {
            return error(401, "expired_token", "The access token provided has expired.");
        }
        if (fault instanceof Fault.QueryLimit) {
            return error(503, "QUERY_LIMIT_EXCEEDED", "Too many requests");
        }
        Fault.OperationTimeLimit limit = (Fault.OperationTimeLimit) fault;
        ObjectNode body = NODES.objectNode();
        body.put("error", "OPERATION_TIME_LIMIT");
        body.put("error_description", "Method is blocked due to operation time limit.");
        long resetAt = request.arrivedAt().plus(limit.resetIn()).getEpochSecond();
        body.put("operating_reset_at", resetAt);
        ObjectNode timeBlock = api.timeBlock(request.arrivedAt(), "fault", request.method(), false);
        timeBlock.put("operating_reset_at", resetAt);
        body.set("time", timeBlock);
        return json(429, body, "OPERATION_TIME_LIMIT");
    }

    private Answer error(int status, String code, String description) {
        return error(new RestError(status, code, description));
    }

    private Answer error(RestError error) {
        return json(error.status(), error.body(), error.code());
    }

    private Answer json(int status, ObjectNode body, String errorCode) {
        return new Answer(status, bytes(body), "application/json; charset=utf-8", errorCode);
    }

    private byte[] bytes(JsonNode body) {
        try {
            return mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON answer", e);
        }
    }

    private static void send(HttpExchange exchange, Answer answer) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
        if (answer.body().length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        }
    }

    private void record(Request request, int status, String errorCode) {
        int commands = 0;
        if (request.method().equals("batch")) {
            for (Map.Entry<String, JsonNode> entry : iterable(request.params())) {
                if (entry.getKey().equalsIgnoreCase("cmd")) {
                    commands = RestApi.commandsOf(entry.getValue()).size();
                }
            }
        }
        synchronized (lock) {
            recorded.add(new RecordedRequest(request.method(), request.transport(), status, errorCode, request.arrivedAt(), commands));
        }
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(ObjectNode node) {
        return node::fields;
    }

    private void hold(HttpExchange exchange, Flight flight, Duration hold) {
        synchronized (lock) {
            held.put(exchange, flight);
        }
        if (closed) {
            release(exchange);
            return;
        }
        try {
            timer.schedule(() -> release(exchange), hold.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            release(exchange);
        }
    }

    /** Closes a held exchange without an answer, once. */
    private void release(HttpExchange exchange) {
        Flight flight;
        synchronized (lock) {
            flight = held.remove(exchange);
        }
        if (flight != null) {
            flight.land();
            exchange.close();
        }
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

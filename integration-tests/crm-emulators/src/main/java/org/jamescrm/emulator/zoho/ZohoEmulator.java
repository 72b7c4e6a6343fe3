package org.jamescrm.emulator.zoho;

import static org.jamescrm.emulator.zoho.ZohoReply.MAPPER;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jamescrm.emulator.ConcurrencyCap;
import org.jamescrm.emulator.CrmEndpoint;
import org.jamescrm.emulator.DailyCredits;
import org.jamescrm.emulator.EmulatorRequest;
import org.jamescrm.emulator.EmulatorServer;
import org.jamescrm.emulator.Fault;
import org.jamescrm.emulator.HttpEmulator;
import org.jamescrm.emulator.Reply;
import org.jamescrm.emulator.zoho.ZohoReply.Refusal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A strict, stateful Zoho CRM (API v8, zoho-api §2.11) on the emulator kit. Its accounts hosts, one per
 * data centre, are paths of the same loopback server ({@link #accountsUrl(String)}); only the
 * organisation's own data centre knows the Self Client (any other answers {@code invalid_client}), and
 * every refusal is an HTTP 200 with {@code {"error": …}}, as Zoho answers it. At most ten tokens per
 * refresh token in ten minutes (then {@code Access Denied}); tokens live an hour. The API under
 * {@code /crm/v8/} takes {@code Authorization: Zoho-oauthtoken}, answers {@code INVALID_TOKEN} to an
 * expired or unknown token and {@code OAUTH_SCOPE_MISMATCH} for a scope left out; a concurrency gate
 * refuses the request over the organisation's limit with 429 {@code TOO_MANY_REQUESTS} (no Retry-After),
 * and a daily credit counter (composite one credit, inserts one per ten records, the rest one) refuses
 * with 429 when spent and reports {@code X-API-CREDITS-REMAINING} once half is spent.
 * <p>
 * Violations: a second record of one capture key, a second contact of one address, a second e-mail of one
 * {@code original_message_id}.
 */
public final class ZohoEmulator extends HttpEmulator {
    /** Zoho's limit of access tokens per refresh token and window. */
    static final int TOKENS_PER_WINDOW = 10;
    static final Duration TOKEN_WINDOW = Duration.ofMinutes(10);
    static final Duration TOKEN_LIFETIME = Duration.ofHours(1);
    static final List<String> DATA_CENTRES = List.of("US", "EU", "IN", "AU", "JP", "CN", "CA", "SA");

    private final Builder settings;
    private final EmulatorServer server;
    private final ZohoData data;
    private final ZohoApi api;
    private final ConcurrencyCap gate;
    private final DailyCredits credits;
    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
    private final Deque<Instant> refreshes = new ArrayDeque<>();
    private final AtomicLong tokensIssued = new AtomicLong();
    private final AtomicLong creditsSpent = new AtomicLong();
    private final AtomicLong creditRefusals = new AtomicLong();
    private final Set<String> missingScopes = ConcurrentHashMap.newKeySet();

    /** How an emulator starts. */
    public static final class Builder {
        private String dataCentre = "US";
        private String clientId = "1000.EMULATEDCLIENT42";
        private String clientSecret = "zoho-client-secret-3f9a61";
        private String refreshToken = "1000.zoho-refresh-token-8d2c4e";
        private int concurrency = 10;
        private long creditsPerDay = 50_000;
        private Duration indexDelay = Duration.ofMinutes(1);
        private Duration latency = Duration.ZERO;
        private String emailAvailableParameter = "original_message_id";
        private final Set<String> missingScopes = new HashSet<>();
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** The organisation's data centre (default US): only its accounts host knows the Self Client. */
        public Builder dataCentre(String dataCentre) {
            if (!DATA_CENTRES.contains(dataCentre)) {
                throw new IllegalArgumentException("dataCentre must be one of " + DATA_CENTRES + ", got " + dataCentre);
            }
            this.dataCentre = dataCentre;
            return this;
        }

        /** The Self Client and its refresh token. */
        public Builder selfClient(String clientId, String clientSecret, String refreshToken) {
            this.clientId = Objects.requireNonNull(clientId, "clientId");
            this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
            this.refreshToken = Objects.requireNonNull(refreshToken, "refreshToken");
            return this;
        }

        /** The organisation's concurrency limit (default 10, the Standard edition's). */
        public Builder concurrency(int concurrency) {
            this.concurrency = concurrency;
            return this;
        }

        /** The API credits of a rolling day (default 50,000). */
        public Builder creditsPerDay(long credits) {
            this.creditsPerDay = credits;
            return this;
        }

        /** How long a new record stays invisible to the search API (default one minute); COQL sees it at once. */
        public Builder indexDelay(Duration delay) {
            this.indexDelay = Objects.requireNonNull(delay, "delay");
            return this;
        }

        /** A constant delay of real time before every API answer (default none), holding the request's place in the concurrency gate. */
        public Builder latency(Duration latency) {
            if (latency.isNegative()) {
                throw new IllegalArgumentException("latency must not be negative, got " + latency);
            }
            this.latency = latency;
            return this;
        }

        /** The query parameter {@code email_available} reads: {@code original_message_id} (default) or the OAS's {@code orginal_message_id}. */
        public Builder emailAvailableParameter(String name) {
            this.emailAvailableParameter = Objects.requireNonNull(name, "name");
            return this;
        }

        /** A scope the refresh token was made without, e.g. {@code ZohoCRM.coql.READ}. */
        public Builder withoutScope(String scope) {
            missingScopes.add(scope);
            return this;
        }

        /** The emulator's clock (default the system's): token expiry, credits, record times, index delay. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Starts the emulator on a free loopback port. */
        public ZohoEmulator start() {
            return new ZohoEmulator(this);
        }
    }

    /** A builder of an organisation in the US data centre, concurrency 10, 50,000 credits a day. */
    public static Builder builder() {
        return new Builder();
    }

    private ZohoEmulator(Builder settings) {
        super(settings.clock);
        this.settings = settings;
        this.data = new ZohoData(settings.clock, violations(), settings.indexDelay);
        this.api = new ZohoApi(data, settings.emailAvailableParameter);
        this.gate = new ConcurrencyCap(settings.concurrency);
        this.credits = DailyCredits.rolling24Hours(settings.creditsPerDay, settings.clock);
        this.missingScopes.addAll(settings.missingScopes);
        this.server = EmulatorServer.builder(new Endpoint()).name("zoho-emulator").threads(Math.max(16, settings.concurrency * 2))
            .clock(settings.clock).start();
    }

    /** The accounts host of a data centre ({@code US}, {@code EU} …) on this loopback server. */
    public String accountsUrl(String dataCentre) {
        return server.baseUrl() + "accounts/" + dataCentre.toLowerCase(Locale.ROOT);
    }

    /** The accounts host of the organisation's own data centre. */
    public String accountsUrl() {
        return accountsUrl(settings.dataCentre);
    }

    /** The organisation's data centre. */
    public String dataCentre() {
        return settings.dataCentre;
    }

    public String clientId() {
        return settings.clientId;
    }

    public String clientSecret() {
        return settings.clientSecret;
    }

    public String refreshToken() {
        return settings.refreshToken;
    }

    /** The organisation's records, users, e-mails and files. */
    public ZohoData data() {
        return data;
    }

    /** Adds an active user; returns its id. */
    public String addUser(String email, String name) {
        return data.addUser(email, name);
    }

    /** Adds a record as a CRM user does by hand (no check); returns its id. */
    public String add(String module, Map<String, Object> fields) {
        return data.insert(module, MAPPER.valueToTree(fields));
    }

    /** Changes a record as a CRM user does by hand. */
    public void update(String module, String id, Map<String, Object> fields) {
        data.change(module, id, MAPPER.valueToTree(fields));
    }

    /** A record as the API reads it. */
    public JsonNode record(String module, String id) {
        return data.get(module, id).orElseThrow(() -> new IllegalArgumentException("no " + module + " " + id));
    }

    /** Every record of a module, in creation order. */
    public List<ObjectNode> records(String module) {
        return data.all(module);
    }

    /** Associates an e-mail with a record as Zoho's own mail integration would (no check); returns its message id. */
    public String addEmail(String module, String recordId, Map<String, Object> email) {
        return data.associate(module, recordId, MAPPER.valueToTree(email));
    }

    /** The e-mail associated under an {@code original_message_id}, if any. */
    public Optional<ObjectNode> email(String originalMessageId) {
        return data.email(originalMessageId);
    }

    /** Every e-mail associated, in order. */
    public List<ObjectNode> emails() {
        return data.emails();
    }

    /** Expires every access token now, as an hour passing would. */
    public void expireTokens() {
        tokens.replaceAll((token, expiry) -> Instant.EPOCH);
    }

    /** How many access tokens the accounts host issued since start or reset. */
    public long tokensIssued() {
        return tokensIssued.get();
    }

    /** The credits left of the rolling day. */
    public long creditsRemaining() {
        return credits.remaining();
    }

    /** The credits spent since start or reset. */
    public long creditsSpent() {
        return creditsSpent.get();
    }

    /**
     * How many calls were refused since start or reset because the day's credits did not cover them: an
     * insert of many records can be refused while a few credits remain, so {@link #creditsRemaining()} need
     * never reach zero for the credits to run out.
     */
    public long creditRefusals() {
        return creditRefusals.get();
    }

    /** Spends credits as the organisation's other integrations do; fewer when fewer remain. */
    public void spendCredits(long spent) {
        long left = Math.min(spent, credits.remaining());
        if (left > 0 && credits.trySpend(left)) {
            creditsSpent.addAndGet(left);
        }
    }

    /** Gives the day's credits back, as a day passing would. */
    public void renewCredits() {
        credits.reset();
    }

    /** The most requests that were in progress at once behind the gate. */
    public int peakConcurrency() {
        return gate.peak();
    }

    /** The server of the API domain ({@link #baseUrl()}, as token answers name it) and the accounts hosts. */
    @Override
    protected EmulatorServer server() {
        return server;
    }

    @Override
    protected void resetState() {
        data.reset();
        tokens.clear();
        synchronized (refreshes) {
            refreshes.clear();
        }
        tokensIssued.set(0);
        creditsSpent.set(0);
        creditRefusals.set(0);
        credits.reset();
        gate.reset();
        missingScopes.clear();
        missingScopes.addAll(settings.missingScopes);
    }

    // ---- the accounts hosts

    private Reply token(EmulatorRequest request, String dataCentre) {
        Map<String, String> form = new LinkedHashMap<>(query(request.rawQuery().orElse("")));
        if (request.mediaType().equals("application/x-www-form-urlencoded")) {
            form.putAll(query(request.bodyText()));
        }
        if (!dataCentre.equalsIgnoreCase(settings.dataCentre)) {
            return tokenError("invalid_client"); // the client and its refresh token exist only at their own data centre
        }
        if (!"refresh_token".equals(form.get("grant_type"))) {
            return tokenError("unsupported_grant_type");
        }
        if (!settings.clientId.equals(form.get("client_id"))) {
            return tokenError("invalid_client");
        }
        if (!settings.clientSecret.equals(form.get("client_secret"))) {
            return tokenError("invalid_client_secret");
        }
        if (!settings.refreshToken.equals(form.get("refresh_token"))) {
            return tokenError("invalid_code");
        }
        Instant now = settings.clock.instant();
        synchronized (refreshes) {
            while (!refreshes.isEmpty() && !refreshes.peekFirst().plus(TOKEN_WINDOW).isAfter(now)) {
                refreshes.removeFirst();
            }
            if (refreshes.size() >= TOKENS_PER_WINDOW) {
                ObjectNode body = MAPPER.createObjectNode().put("error_description",
                    "You have made too many requests continuously. Please try again after some time.").put("error", "Access Denied")
                    .put("status", "failure");
                return Reply.json(400, body.toString().getBytes(StandardCharsets.UTF_8), "Access Denied");
            }
            refreshes.addLast(now);
        }
        tokensIssued.incrementAndGet();
        String token = "1000." + java.util.UUID.randomUUID().toString().replace("-", "");
        tokens.put(token, now.plus(TOKEN_LIFETIME));
        String apiDomain = server.baseUrl().toString().replaceAll("/$", "");
        ObjectNode body = MAPPER.createObjectNode().put("access_token", token).put("scope", "ZohoCRM.modules.ALL ZohoCRM.coql.READ")
            .put("api_domain", apiDomain).put("token_type", "Bearer").put("expires_in", TOKEN_LIFETIME.toSeconds());
        return ZohoReply.json(200, body);
    }

    /** Zoho's refusal of a token request: HTTP 200 with an error member. */
    private static Reply tokenError(String error) {
        return Reply.json(200, MAPPER.createObjectNode().put("error", error).toString().getBytes(StandardCharsets.UTF_8), error);
    }

    // ---- the API

    private Reply api(EmulatorRequest request, String path) {
        Optional<String> authorization = request.header("Authorization");
        String token = authorization.filter(value -> value.startsWith("Zoho-oauthtoken ")).map(value -> value.substring(16).strip())
            .orElse("");
        Instant expiry = tokens.get(token);
        if (expiry == null || !expiry.isAfter(settings.clock.instant())) {
            return ZohoReply.error(401, "INVALID_TOKEN", "invalid oauth token");
        }
        Optional<ConcurrencyCap.Permit> permit = gate.tryEnter();
        if (permit.isEmpty()) {
            return ZohoReply.error(429, "TOO_MANY_REQUESTS", "too many concurrent requests");
        }
        try (ConcurrencyCap.Permit held = permit.get()) {
            pause(settings.latency);
            String scope = scopeOf(request.httpMethod(), path);
            if (missingScopes.contains(scope)) {
                return ZohoReply.error(401, "OAUTH_SCOPE_MISMATCH", "invalid oauth scope to access this URL");
            }
            long cost = cost(request, path);
            if (!credits.trySpend(cost)) {
                creditRefusals.incrementAndGet();
                return ZohoReply.error(429, "TOO_MANY_REQUESTS", "the API credits of the day are spent")
                    .withHeader("X-API-CREDITS-REMAINING", "0");
            }
            creditsSpent.addAndGet(cost);
            Reply reply = path.equals("__composite_requests") && request.httpMethod().equals("POST")
                ? composite(request) : api.answer(request.httpMethod(), path, query(request.rawQuery().orElse("")), request.body());
            long remaining = credits.remaining();
            return remaining * 2 <= credits.perDay() ? reply.withHeader("X-API-CREDITS-REMAINING", String.valueOf(remaining)) : reply;
        }
    }

    private Reply composite(EmulatorRequest request) {
        try {
            JsonNode body = MAPPER.readTree(request.body());
            if (body == null || !body.isObject()) {
                throw new Refusal(400, "INVALID_DATA", "the body is not a JSON object");
            }
            return api.composite((ObjectNode) body, (method, path, params, subBody) -> {
                if (missingScopes.contains(scopeOf(method, path))) {
                    return ZohoReply.error(401, "OAUTH_SCOPE_MISMATCH", "invalid oauth scope to access this URL");
                }
                return api.answer(method, path, params, subBody);
            });
        } catch (IOException notJson) {
            return ZohoReply.error(400, "INVALID_DATA", "the body is not JSON");
        } catch (Refusal refusal) {
            return refusal.reply();
        }
    }

    /** Credits of a call: an insert one per ten records, the rest one (a composite one for all its sub-requests). */
    private static long cost(EmulatorRequest request, String path) {
        String[] parts = path.split("/");
        if (request.httpMethod().equals("POST") && parts.length == 1 && ZohoData.MODULES.contains(parts[0])) {
            try {
                int records = MAPPER.readTree(request.body()).path("data").size();
                return Math.max(1, (records + 9) / 10);
            } catch (IOException notJson) {
                return 1;
            }
        }
        return 1;
    }

    /** The scope a request needs. */
    static String scopeOf(String method, String path) {
        if (path.startsWith("coql")) {
            return "ZohoCRM.coql.READ";
        }
        if (path.startsWith("users")) {
            return "ZohoCRM.users.READ";
        }
        if (path.startsWith("settings")) {
            return "ZohoCRM.settings.fields.READ";
        }
        if (path.startsWith("__composite_requests")) {
            return "ZohoCRM.composite_requests.CUSTOM";
        }
        if (path.startsWith("files")) {
            return "ZohoCRM.files.CREATE";
        }
        if (path.contains("associate_email") || path.contains("email_available")) {
            return "ZohoCRM.modules.emails.ALL";
        }
        if (path.contains("/search")) {
            return "ZohoSearch.securesearch.READ";
        }
        return "ZohoCRM.modules." + path.split("/")[0].toLowerCase(Locale.ROOT) + (method.equals("GET") ? ".READ" : ".ALL");
    }

    private final class Endpoint implements CrmEndpoint {

        @Override
        public void prepare(EmulatorRequest request) {
            String path = request.path();
            if (path.startsWith("/accounts/")) {
                request.describe("token", null);
            } else if (path.startsWith("/crm/v8/")) {
                request.describe(request.httpMethod() + " " + path.substring("/crm/v8/".length()).replaceAll("/\\d{19}", "/{id}"), null);
            }
        }

        @Override
        public Reply answer(EmulatorRequest request) {
            String path = request.path();
            if (path.startsWith("/accounts/") && path.endsWith("/oauth/v2/token") && request.httpMethod().equals("POST")) {
                String dataCentre = path.substring("/accounts/".length(), path.length() - "/oauth/v2/token".length());
                return token(request, dataCentre);
            }
            if (path.startsWith("/crm/v8/")) {
                return api(request, path.substring("/crm/v8/".length()));
            }
            if (path.matches("/crm/v\\d+/.*")) {
                return ZohoReply.error(400, "INVALID_URL_PATTERN", "this emulator serves API v8 only");
            }
            return ZohoReply.error(400, "INVALID_HOST", "Please check if the URL trying to access is a correct one");
        }

        @Override
        public Reply answerFault(Fault fault, EmulatorRequest request) {
            if (fault instanceof Fault.Status status) {
                return ZohoReply.error(status.status(), "INTERNAL_ERROR", "Internal Server Error");
            }
            if (fault instanceof Fault.ExpiredToken) {
                return ZohoReply.error(401, "INVALID_TOKEN", "invalid oauth token");
            }
            return CrmEndpoint.super.answerFault(fault, request);
        }
    }

    /** Query or form parameters, decoded. */
    static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            query.put(name, equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return query;
    }
}

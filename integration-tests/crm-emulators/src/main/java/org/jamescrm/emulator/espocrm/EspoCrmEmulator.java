package org.jamescrm.emulator.espocrm;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jamescrm.emulator.CrmEndpoint;
import org.jamescrm.emulator.EmulatorRequest;
import org.jamescrm.emulator.EmulatorServer;
import org.jamescrm.emulator.FixedWindow;
import org.jamescrm.emulator.HttpEmulator;
import org.jamescrm.emulator.Reply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A strict, stateful EspoCRM (espocrm-api.md) on the emulator kit: the REST API under {@code /api/v1/}
 * with an API user authenticating by API key ({@code X-Api-Key}) or HMAC ({@code X-Hmac-Authorization}),
 * the error contract (reason in {@code X-Status-Reason}, body empty or a JSON string), CRUD and list
 * search ({@code searchParams} or PHP-style {@code where[..]}, {@code maxSize} at most 200, {@code offset},
 * {@code select}), the duplicate check (409 with the records), the {@code Email} entity with its read-only
 * fields ({@code messageId} is {@code dummy:<id>} after {@code POST Email}), {@code Email/importEml} with its
 * Message-ID de-duplication, attachments, users, Cases (auto-increment {@code number}, status, links to
 * Account, Contact and Lead; an e-mail's parent), teams ({@code GET Team}, {@code teamsIds} on every record,
 * {@code POST {Entity}/{id}/teams} adding teams), the failed-login block, and optionally a reverse proxy's
 * rate limit. The custom fields the connector's setup adds ({@code cCaptureKey} on the CRM's records,
 * {@code cCaptureItems} on Email) exist unless the builder leaves them out.
 * <p>
 * Violations: an e-mail created with {@code status=Sending} (EspoCRM sends it to the client), a second
 * record of the same type with the same capture key, a second Contact of the same address, a second Email of
 * the same Message-ID.
 */
public final class EspoCrmEmulator extends HttpEmulator {
    static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
    static final ObjectMapper MAPPER = new ObjectMapper();

    private final Builder settings;
    private final EmulatorServer server;
    private final EspoData data;
    private final Api api;
    private int failedLogins;

    /** How an emulator starts. */
    public static final class Builder {
        private String apiKey = "espo-api-key-7c1e9b";
        private Optional<String> secretKey = Optional.empty();
        private boolean importScope = true;
        private boolean captureFields = true;
        private boolean importEml = true;
        private int maxFailedLogins = 10;
        private Optional<FixedWindow> proxyLimit = Optional.empty();
        private int proxyLimitCount;
        private Duration proxyLimitWindow;
        private Clock clock = Clock.systemUTC();
        private Duration latency = Duration.ZERO;

        private Builder() {
        }

        /** The API user's key (default {@code espo-api-key-7c1e9b}); authentication by {@code X-Api-Key}. */
        public Builder apiKey(String apiKey) {
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
            return this;
        }

        /** The API user authenticates by HMAC with this secret key (an HMAC user's key alone is refused). */
        public Builder hmac(String secretKey) {
            this.secretKey = Optional.of(secretKey);
            return this;
        }

        /** Whether the API user's role gives access to the Import scope (default yes). */
        public Builder importScope(boolean importScope) {
            this.importScope = importScope;
            return this;
        }

        /** Whether the administrator added the capture key fields (default yes). */
        public Builder captureFields(boolean captureFields) {
            this.captureFields = captureFields;
            return this;
        }

        /** Whether {@code Email/importEml} exists (EspoCRM 8.4 and later; default yes). */
        public Builder importEml(boolean importEml) {
            this.importEml = importEml;
            return this;
        }

        /** Failed logins after which the site answers 403 to this server (default 10). */
        public Builder maxFailedLogins(int count) {
            this.maxFailedLogins = count;
            return this;
        }

        /** A reverse proxy in front of EspoCRM allowing {@code limit} requests a {@code window} (429 with Retry-After beyond). */
        public Builder proxyRateLimit(int limit, Duration window) {
            this.proxyLimitCount = limit;
            this.proxyLimitWindow = window;
            return this;
        }

        /**
         * A constant delay of real time before every answer (default none), as of a site across a network
         * and its PHP start-up: each request holds its connection that long, so a client's requests in
         * flight, not the emulator, bound its throughput. Programmed faults still apply (a latency fault adds to it).
         */
        public Builder latency(Duration latency) {
            if (latency.isNegative()) {
                throw new IllegalArgumentException("latency must not be negative, got " + latency);
            }
            this.latency = latency;
            return this;
        }

        /** The emulator's clock (default the system's). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Starts the emulator on a free loopback port. */
        public EspoCrmEmulator start() {
            if (proxyLimitWindow != null) {
                proxyLimit = Optional.of(new FixedWindow(proxyLimitCount, proxyLimitWindow, clock));
            }
            return new EspoCrmEmulator(this);
        }
    }

    /** A builder with an API-key user that has the Import scope, the capture fields, importEml. */
    public static Builder builder() {
        return new Builder();
    }

    private EspoCrmEmulator(Builder settings) {
        super(settings.clock);
        this.settings = settings;
        this.data = new EspoData(settings.clock, violations(), settings.captureFields);
        this.data.importScope(settings.importScope);
        this.api = new Api(data, settings.importEml);
        this.server = EmulatorServer.builder(new Endpoint()).name("espocrm-emulator").clock(settings.clock).start();
    }

    /** The site's server: its URL, {@link #baseUrl()}, is {@code http://127.0.0.1:PORT/} (the API is under {@code api/v1/}). */
    @Override
    protected EmulatorServer server() {
        return server;
    }

    /** The API user's key. */
    public String apiKey() {
        return settings.apiKey;
    }

    /** The API user's secret key, with HMAC. */
    public Optional<String> secretKey() {
        return settings.secretKey;
    }

    /** The site's records and administration. */
    public EspoData data() {
        return data;
    }

    /** Adds a team, as an administrator does in Administration &gt; Teams; returns its id. */
    public String addTeam(String name) {
        return data.addTeam(name);
    }

    /** Adds a regular, active user; returns its id. */
    public String addUser(String email, String name) {
        return data.addUser(email, name);
    }

    /** Adds a record as a CRM user does by hand (no duplicate check); returns its id. */
    public String add(String entityType, Map<String, Object> attributes) {
        return data.insert(entityType, MAPPER.valueToTree(attributes));
    }

    /** Changes a record as a CRM user does by hand. */
    public void update(String entityType, String id, Map<String, Object> attributes) {
        data.change(entityType, id, MAPPER.valueToTree(attributes));
    }

    /** A record, as the API reads it. */
    public JsonNode record(String entityType, String id) {
        return data.get(entityType, id).orElseThrow(() -> new IllegalArgumentException("no " + entityType + " " + id));
    }

    /** Every record of a type, in creation order. */
    public List<JsonNode> records(String entityType) {
        return data.all(entityType);
    }

    /** The e-mails of a capture key. */
    public List<JsonNode> emailsWithCaptureKey(String key) {
        return data.all("Email").stream().filter(email -> key.equals(email.path("cCaptureKey").asText(null))).toList();
    }

    /** The e-mails of a Message-ID (as EspoCRM stores it, with angle brackets). */
    public List<JsonNode> emailsWithMessageId(String messageId) {
        return data.all("Email").stream().filter(email -> messageId.equals(email.path("messageId").asText(null))).toList();
    }

    /** Gives or takes the Import scope of the API user's role. */
    public void importScope(boolean granted) {
        data.importScope(granted);
    }

    @Override
    protected void resetState() {
        data.reset();
        data.importScope(settings.importScope);
        failedLogins = 0;
    }

    private synchronized boolean blocked() {
        return failedLogins >= settings.maxFailedLogins;
    }

    private synchronized void failedLogin() {
        failedLogins++;
    }

    /** The HMAC of {@code METHOD /path} keyed with the secret key, lower-case hex. */
    static String hmac(String secretKey, String string) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(string.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean authenticated(EmulatorRequest request, String resourcePath) {
        if (settings.secretKey.isEmpty()) {
            return request.header("X-Api-Key").map(settings.apiKey::equals).orElse(false);
        }
        Optional<String> header = request.header("X-Hmac-Authorization");
        if (header.isEmpty()) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.get()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        int colon = decoded.indexOf(':');
        return colon > 0 && decoded.substring(0, colon).equals(settings.apiKey)
            && decoded.substring(colon + 1).equals(hmac(settings.secretKey.get(), request.httpMethod() + " " + resourcePath));
    }

    private final class Endpoint implements CrmEndpoint {

        @Override
        public void prepare(EmulatorRequest request) {
            String resource = resourcePath(request);
            request.describe(request.httpMethod() + " " + resource.replaceFirst("^/", "").replaceAll("/[0-9a-f]{17}", "/{id}"), null);
        }

        @Override
        public Reply answer(EmulatorRequest request) {
            pause(settings.latency);
            if (settings.proxyLimit.isPresent() && !settings.proxyLimit.get().tryAcquire()) {
                return Reply.text(429, "text/html", "<html><body><h1>429 Too Many Requests</h1></body></html>")
                    .withHeader("Retry-After", "1");
            }
            String resource = resourcePath(request);
            if (!request.path().startsWith("/api/v1/")) {
                return Reply.text(404, "text/html", "<html>Not Found</html>");
            }
            if (blocked()) {
                return EspoReply.error(403, "Max failed login attempts exceeded for IP address 127.0.0.1.", "");
            }
            if (!authenticated(request, resource)) {
                failedLogin();
                return EspoReply.error(401, null, "");
            }
            Map<String, String> query = query(request.rawQuery().orElse(""));
            return api.answer(request.httpMethod(), resource.substring(1), query, request);
        }

        private String resourcePath(EmulatorRequest request) {
            String path = request.path();
            return path.startsWith("/api/v1") ? path.substring("/api/v1".length()) : path;
        }
    }

    /** The query parameters, decoded (PHP-style names such as {@code where[0][type]} kept as they are). */
    static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw.isEmpty()) {
            return query;
        }
        List<String> arrayKeys = new ArrayList<>();
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            if (name.endsWith("[]")) {
                String base = name.substring(0, name.length() - 2);
                int index = (int) arrayKeys.stream().filter(base::equals).count();
                arrayKeys.add(base);
                name = base + "[" + index + "]";
            }
            query.put(name, value);
        }
        return query;
    }

    /** An object for tests: a JSON object from a map. */
    static ObjectNode object(Map<String, Object> map) {
        return MAPPER.valueToTree(map);
    }
}

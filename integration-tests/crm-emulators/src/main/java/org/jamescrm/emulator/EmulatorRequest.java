package org.jamescrm.emulator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One HTTP request as an {@link EmulatorServer} received it: the raw request (method, path, query,
 * headers, body), its arrival on the emulator's clock, and what the emulator made of it.
 * <p>
 * The HTTP part is immutable. The {@link CrmEndpoint} names the call in
 * {@link CrmEndpoint#prepare(EmulatorRequest) prepare} ({@link #describe}: the CRM's operation, shown in
 * the call log and matched by fault rules, and a small detail kept in the log) and may
 * {@link #attach} what it parsed, so the request is parsed once although faults, the answer and the
 * log all need it. Attachments live as long as the exchange; the log keeps only the description, so a
 * long load test does not keep every body.
 */
public final class EmulatorRequest {
    private final long sequence;
    private final String httpMethod;
    private final String path;
    private final String rawQuery;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final Instant arrivedAt;
    private final Map<Class<?>, Object> attachments = new ConcurrentHashMap<>();
    private volatile String operation;
    private volatile Object detail;

    /**
     * @param sequence   the request's number since the emulator started or was reset, from 1
     * @param httpMethod the HTTP method, upper case
     * @param path       the decoded path
     * @param rawQuery   the raw query string, {@code null} when there is none
     * @param headers    the headers; names are matched case-insensitively
     * @param body       the body, empty when there is none
     * @param arrivedAt  the emulator clock's time of arrival
     */
    public EmulatorRequest(long sequence, String httpMethod, String path, String rawQuery, Map<String, List<String>> headers, byte[] body,
                           Instant arrivedAt) {
        this.sequence = sequence;
        this.httpMethod = Objects.requireNonNull(httpMethod, "httpMethod").toUpperCase(Locale.ROOT);
        this.path = Objects.requireNonNull(path, "path");
        this.rawQuery = rawQuery;
        Map<String, List<String>> lower = new ConcurrentHashMap<>();
        headers.forEach((name, values) -> lower.merge(name.toLowerCase(Locale.ROOT), List.copyOf(values), (a, b) -> {
            List<String> both = new java.util.ArrayList<>(a);
            both.addAll(b);
            return List.copyOf(both);
        }));
        this.headers = Map.copyOf(lower);
        this.body = body.clone();
        this.arrivedAt = Objects.requireNonNull(arrivedAt, "arrivedAt");
        this.operation = path;
    }

    /** The request's number since the emulator started or was reset, from 1. */
    public long sequence() {
        return sequence;
    }

    /** The HTTP method, upper case. */
    public String httpMethod() {
        return httpMethod;
    }

    /** The decoded path, e.g. {@code /rest/1/code/crm.lead.add.json}. */
    public String path() {
        return path;
    }

    /** The raw (still encoded) query string, empty when there is none. */
    public Optional<String> rawQuery() {
        return Optional.ofNullable(rawQuery);
    }

    /** The first value of a header (case-insensitive name). */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Every header, names in lower case. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The media type of the body, lower case and without parameters; empty when none was sent. */
    public String mediaType() {
        return header("Content-Type").orElse("").replaceAll(";.*$", "").strip().toLowerCase(Locale.ROOT);
    }

    /** The body's bytes (a copy). */
    public byte[] body() {
        return body.clone();
    }

    /** The body decoded as UTF-8. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The emulator clock's time of arrival. */
    public Instant arrivedAt() {
        return arrivedAt;
    }

    /** The CRM operation the emulator named the request after (e.g. {@code crm.lead.add}); the path until it does. */
    public String operation() {
        return operation;
    }

    /** The small detail the emulator keeps in the call log, if any. */
    public Optional<Object> detail() {
        return Optional.ofNullable(detail);
    }

    /**
     * Names the call: {@code operation} is the CRM's name for it (fault rules match it, the call log shows
     * it) and {@code detail} (nullable) a small, immutable summary the call log keeps, e.g. how the
     * parameters came or how many commands a batch held.
     */
    public void describe(String operation, Object detail) {
        this.operation = Objects.requireNonNull(operation, "operation");
        this.detail = detail;
    }

    /** Keeps what the emulator parsed from the request, for the rest of this exchange. */
    public <T> void attach(Class<T> type, T value) {
        attachments.put(type, type.cast(Objects.requireNonNull(value, "value")));
    }

    /** What was {@link #attach attached} under {@code type}. */
    public <T> Optional<T> attachment(Class<T> type) {
        return Optional.ofNullable(type.cast(attachments.get(type)));
    }

    @Override
    public String toString() {
        return "EmulatorRequest[#" + sequence + " " + httpMethod + " " + path + " (" + operation + ")]";
    }
}

package org.jamescrm.emulator;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An answer ready to send: status, content type, body, extra headers, and the CRM's error code the
 * call log records ({@code null} for a success).
 *
 * @param status      the HTTP status
 * @param contentType the {@code Content-Type}
 * @param body        the body, empty for none
 * @param headers     extra headers (e.g. {@code Retry-After})
 * @param errorCode   the CRM's error code carried by the answer, {@code null} for a success; the call log
 *                    keeps it so tests count refusals by the CRM's own code
 */
public record Reply(int status, String contentType, byte[] body, Map<String, String> headers, String errorCode) {

    /** Checks the status and freezes the headers. */
    public Reply {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be an HTTP status, got " + status);
        }
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers);
    }

    /** A JSON answer (UTF-8) carrying {@code errorCode} ({@code null} for a success). */
    public static Reply json(int status, byte[] body, String errorCode) {
        return new Reply(status, "application/json; charset=utf-8", body, Map.of(), errorCode);
    }

    /** Exactly this text, e.g. the HTML error page of a proxy in front of the CRM; no error code. */
    public static Reply text(int status, String contentType, String body) {
        return new Reply(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of(), null);
    }

    /** The same answer with one more header. */
    public Reply withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return new Reply(status, contentType, body, more, errorCode);
    }

    @Override
    public String toString() {
        return "Reply[" + status + " " + contentType + ", " + body.length + " bytes" + (errorCode == null ? "" : ", error " + errorCode) + "]";
    }
}

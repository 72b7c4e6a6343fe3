package org.jamescrm.zoho;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmRejectedException;
import org.jamescrm.spi.CrmUnavailableException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Classifies every Zoho error in one place (zoho-api §2.8), as a table by status and code, in both
 * envelopes: request-level ({@code {"code","details","message","status":"error"}}) and per item inside
 * the resource wrapper ({@code data[]}, {@code Emails[]}, {@code __composite_requests[]}). Transient
 * (429 {@code TOO_MANY_REQUESTS}, 5xx, {@code INTERNAL_ERROR}, {@code RECORD_LOCKED}, no answer) is
 * retried later; the rest is parked with Zoho's words and what to fix. Messages name the operation,
 * never a token or secret.
 */
public final class ZohoErrors {
    /** Codes that mean "try again later" whatever the status. */
    private static final Set<String> TRANSIENT = Set.of("TOO_MANY_REQUESTS", "INTERNAL_ERROR", "RECORD_LOCKED", "REQUEST_TIMEOUT",
        "PROCESSING_STOPPED");

    private ZohoErrors() {
    }

    /**
     * A request-level error.
     *
     * @param operation the call, e.g. {@code POST coql}
     * @param status    the HTTP status
     * @param body      the body as JSON, a missing node when none or not JSON
     * @param throttled what to wait after a 429 (Zoho sends no Retry-After)
     */
    public static CrmException request(String operation, int status, JsonNode body, Duration throttled) {
        String code = body.path("code").asText("");
        String message = "Zoho " + operation + " answered " + status + words(body);
        if (status == 429 || code.equals("TOO_MANY_REQUESTS")) {
            return new CrmUnavailableException(message, Optional.of(throttled), null);
        }
        if (status >= 500 || status == 408 || TRANSIENT.contains(code)) {
            return new CrmUnavailableException(message, Optional.empty(), null);
        }
        return switch (code) {
            case "OAUTH_SCOPE_MISMATCH" -> new CrmRejectedException(message + ": the refresh token lacks the scope "
                + scopeOf(operation) + "; make a new grant code with it for the Self Client (docs/configuration.md lists every scope)");
            case "AUTHENTICATION_FAILURE", "INVALID_TOKEN" -> new CrmRejectedException(message
                + ": check <zoho><clientId>, <clientSecret>, <refreshToken> and that the user who made the token is active");
            case "NO_PERMISSION" -> new CrmRejectedException(message + ": the user who made the refresh token lacks the permission");
            case "INVALID_HOST", "INVALID_URL_PATTERN" -> new CrmRejectedException(message + ": check <zoho><apiUrl> and <dataCentre>");
            default -> new CrmRejectedException(message);
        };
    }

    /** A refused item inside a wrapper ({@code data[i]}, {@code Emails[i]}); {@code status} is the answer's. */
    public static CrmException item(String operation, int status, JsonNode item) {
        String code = item.path("code").asText("");
        String message = "Zoho " + operation + " refused an item" + words(item);
        if (TRANSIENT.contains(code) || status >= 500) {
            return new CrmUnavailableException(message, Optional.empty(), null);
        }
        return new CrmRejectedException(message);
    }

    /** Whether an item is a success ({@code "status":"success"} or code {@code SUCCESS}). */
    public static boolean success(JsonNode item) {
        return item.path("status").asText("").equalsIgnoreCase("success") || item.path("code").asText("").equals("SUCCESS");
    }

    /** The record a {@code DUPLICATE_DATA} item names as existing, if it is one. */
    public static Optional<String> duplicateOf(JsonNode item) {
        if (!item.path("code").asText("").equals("DUPLICATE_DATA")) {
            return Optional.empty();
        }
        JsonNode id = item.path("details").path("duplicate_record").path("id");
        return id.isMissingNode() || id.asText("").isEmpty() ? Optional.empty() : Optional.of(id.asText());
    }

    /**
     * A refused refresh at the accounts host: Zoho answers it with HTTP 200 and {@code {"error": …}}. A wrong
     * data centre answers {@code invalid_client}: named with the host asked, so the administrator sees it.
     */
    public static CrmException token(ZohoDataCentre dataCentre, String accountsUrl, int status, JsonNode body) {
        String error = body.path("error").asText("");
        String at = "the Zoho accounts host " + accountsUrl + " (data centre " + dataCentre + ")";
        if (error.equalsIgnoreCase("Access Denied") || status == 429) {
            return new CrmUnavailableException(at + " refused a new access token for now (too many requests): "
                + body.path("error_description").asText(error), Optional.of(ZohoTokens.WINDOW), null);
        }
        if (status >= 500) {
            return new CrmUnavailableException(at + " answered " + status, Optional.empty(), null);
        }
        return switch (error) {
            case "invalid_client" -> new CrmRejectedException(at + " does not know the client (invalid_client): a Self Client and its "
                + "refresh token work only at the data centre where they were made; check <zoho><dataCentre> (" + dataCentre
                + ") and <clientId>");
            case "invalid_code" -> new CrmRejectedException(at + " refused the refresh token (invalid_code): it was revoked or is "
                + "mistyped; make a new one and set <zoho><refreshToken>");
            case "invalid_client_secret" -> new CrmRejectedException(at + " refused the client secret; check <zoho><clientSecret>");
            case "" -> new CrmRejectedException(at + " answered " + status + " without an access token");
            default -> new CrmRejectedException(at + " refused a new access token: " + error);
        };
    }

    /** A request that got no answer: refused connection, dropped connection, timeout. */
    public static CrmUnavailableException noAnswer(String operation, IOException failure) {
        return new CrmUnavailableException("Zoho " + operation + " did not answer: " + failure.getClass().getSimpleName()
            + (failure.getMessage() == null ? "" : " (" + failure.getMessage() + ")"), Optional.empty(), null);
    }

    /** The scope an operation needs, for an {@code OAUTH_SCOPE_MISMATCH}. */
    static String scopeOf(String operation) {
        String path = operation.substring(operation.indexOf(' ') + 1);
        String method = operation.substring(0, Math.max(0, operation.indexOf(' ')));
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
        String module = path.split("/")[0].toLowerCase(Locale.ROOT);
        return "ZohoCRM.modules." + module + (method.equals("GET") ? ".READ" : ".ALL");
    }

    /** Zoho's code, message and the details that say what to fix (the field, the allowed values). */
    private static String words(JsonNode body) {
        if (body == null || !body.isObject()) {
            return "";
        }
        StringBuilder words = new StringBuilder();
        String code = body.path("code").asText("");
        if (!code.isEmpty()) {
            words.append(": ").append(code);
        }
        String message = body.path("message").asText("");
        if (!message.isEmpty()) {
            words.append(code.isEmpty() ? ": " : " ").append(message.length() > 300 ? message.substring(0, 300) + "…" : message);
        }
        JsonNode details = body.path("details");
        String field = details.path("api_name").asText("");
        if (!field.isEmpty()) {
            words.append(" (field ").append(field).append(')');
        }
        JsonNode supported = details.path("supported_values");
        if (supported.isArray() && !supported.isEmpty()) {
            words.append(" (supported values: ");
            for (int i = 0; i < supported.size() && i < 20; i++) {
                words.append(i == 0 ? "" : ", ").append(supported.get(i).asText());
            }
            words.append(')');
        }
        return words.toString();
    }
}

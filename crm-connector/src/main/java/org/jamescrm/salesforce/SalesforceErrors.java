package org.jamescrm.salesforce;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmRejectedException;
import org.jamescrm.spi.CrmUnavailableException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Classifies every Salesforce error in one place (salesforce §1.8): the REST envelope, a JSON array of
 * {@code {message, errorCode, fields}}; the per-record errors of Composite and sObject Collections
 * ({@code {statusCode, message, fields}}), each judged on its own; the token endpoint's
 * {@code {error, error_description}}. Transient: {@code REQUEST_LIMIT_EXCEEDED} (HTTP 403, not 429),
 * {@code UNABLE_TO_LOCK_ROW}, 5xx, timeouts. {@code DUPLICATES_DETECTED} is no failure: it names the
 * record to use. Everything else is permanent, with the fields Salesforce named. Messages never carry a
 * credential.
 */
public final class SalesforceErrors {
    /** The access token was refused: re-authenticate once and replay. */
    static final String INVALID_SESSION_ID = "INVALID_SESSION_ID";
    /** The daily API budget (or the concurrent long requests) ran out: HTTP 403. */
    static final String REQUEST_LIMIT_EXCEEDED = "REQUEST_LIMIT_EXCEEDED";
    static final String UNABLE_TO_LOCK_ROW = "UNABLE_TO_LOCK_ROW";
    static final String DUPLICATES_DETECTED = "DUPLICATES_DETECTED";
    /** How long to hold requests after the budget ran out before one request tries again. */
    static final Duration BUDGET_HOLD = Duration.ofMinutes(15);
    private static final Set<String> TRANSIENT = Set.of(UNABLE_TO_LOCK_ROW, "SERVER_UNAVAILABLE", "API_CURRENTLY_DISABLED_TEMPORARILY",
        "QUERY_TIMEOUT", "TXN_SECURITY_NO_ACCESS_TEMPORARILY");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SalesforceErrors() {
    }

    /** What an error means for the connector. */
    public sealed interface Outcome permits Duplicate, SessionExpired, Failure {
    }

    /** {@code DUPLICATES_DETECTED}: a duplicate rule found {@code existingId}, to use instead of a second record. */
    public record Duplicate(String existingId) implements Outcome {
        public Duplicate {
            Objects.requireNonNull(existingId, "existingId");
        }
    }

    /** 401 {@code INVALID_SESSION_ID}: the token expired or was revoked. */
    public record SessionExpired(String message) implements Outcome {
    }

    /** Retry later ({@link CrmUnavailableException}) or park ({@link CrmRejectedException}). */
    public record Failure(CrmException exception) implements Outcome {
        public Failure {
            Objects.requireNonNull(exception, "exception");
        }

        /** Whether the daily API budget ran out. */
        public boolean budgetExhausted() {
            return exception.getMessage().contains(REQUEST_LIMIT_EXCEEDED);
        }
    }

    /**
     * A whole answer that failed.
     *
     * @param operation the call, e.g. {@code POST composite}
     * @param status    the HTTP status (4xx or 5xx)
     * @param body      the body, empty when none
     */
    public static Outcome classify(String operation, int status, String body) {
        JsonNode json = json(body);
        JsonNode first = json != null && json.isArray() && !json.isEmpty() ? json.get(0) : json;
        if (first != null && first.isObject() && (first.has("errorCode") || first.has("statusCode"))) {
            return classify(operation, status, first);
        }
        String words = first == null ? shortText(body) : first.isTextual() ? first.asText() : shortText(body);
        String message = "Salesforce " + operation + " answered " + status + (words.isEmpty() ? "" : ": " + words);
        if (status == 401) {
            return new SessionExpired(message);
        }
        if (status >= 500 || status == 408 || status == 429) {
            return new Failure(new CrmUnavailableException(message, Optional.empty(), null));
        }
        return new Failure(new CrmRejectedException(message));
    }

    /**
     * One error of the envelope or one sub-request's or record's error: {@code errorCode} or {@code statusCode},
     * {@code message}, {@code fields}, and with a duplicate rule's block the {@code duplicateResult}.
     */
    public static Outcome classify(String operation, int status, JsonNode error) {
        String code = error.path("errorCode").asText(error.path("statusCode").asText(""));
        String said = error.path("message").asText("");
        List<String> fields = new ArrayList<>();
        error.path("fields").forEach(field -> fields.add(field.asText()));
        String message = "Salesforce " + operation + " answered " + (status > 0 ? status + " " : "") + code
            + (said.isEmpty() ? "" : ": " + said) + (fields.isEmpty() ? "" : " (fields " + String.join(", ", fields) + ")");
        if (code.equals(DUPLICATES_DETECTED)) {
            Optional<String> existing = duplicateOf(error);
            if (existing.isPresent()) {
                return new Duplicate(existing.get());
            }
        }
        if (code.equals(INVALID_SESSION_ID)) {
            return new SessionExpired(message);
        }
        if (code.equals(REQUEST_LIMIT_EXCEEDED)) {
            return new Failure(new CrmUnavailableException(message + " (the org's daily API budget or its cap of long requests; "
                + "captures wait in the queue)", Optional.of(BUDGET_HOLD), null));
        }
        if (TRANSIENT.contains(code) || status >= 500) {
            return new Failure(new CrmUnavailableException(message, Optional.empty(), null));
        }
        return new Failure(new CrmRejectedException(message + hint(code)));
    }

    /** The token endpoint's refusal, {@code {"error":…,"error_description":…}}: a configuration error unless 5xx. */
    public static CrmException token(int status, String body) {
        JsonNode json = json(body);
        String error = json == null ? shortText(body) : json.path("error").asText("") + " (" + json.path("error_description").asText("") + ")";
        String message = "Salesforce refused the access token (" + status + "): " + error;
        if (status >= 500 || status == 408 || status == 429) {
            return new CrmUnavailableException(message, Optional.empty(), null);
        }
        return new CrmRejectedException(message + "; check <salesforce><loginUrl> (the My Domain for the client-credentials flow), "
            + "<clientId>, and the run-as user (pre-authorized on the app, active) with its key or secret");
    }

    /** A request that got no answer: refused connection, dropped connection, timeout. */
    public static CrmUnavailableException noAnswer(String operation, IOException failure) {
        return new CrmUnavailableException("Salesforce " + operation + " did not answer: " + failure.getClass().getSimpleName()
            + (failure.getMessage() == null ? "" : " (" + failure.getMessage() + ")"), Optional.empty(), null);
    }

    private static String hint(String code) {
        return switch (code) {
            case "INSUFFICIENT_ACCESS_OR_READONLY" -> " (the run-as user's profile or permission sets lack access)";
            case "INVALID_FIELD", "INVALID_FIELD_FOR_INSERT_UPDATE" -> " (does the org have the field? the capture key field is set "
                + "by <salesforce><captureKeyField>)";
            case "REQUIRED_FIELD_MISSING" -> " (a field the org made required)";
            case "FIELD_CUSTOM_VALIDATION_EXCEPTION" -> " (a validation rule of the org refused the record)";
            default -> "";
        };
    }

    private static Optional<String> duplicateOf(JsonNode error) {
        for (JsonNode match : error.path("duplicateResult").path("matchResults")) {
            for (JsonNode record : match.path("matchRecords")) {
                String id = record.path("record").path("Id").asText("");
                if (!id.isEmpty()) {
                    return Optional.of(id);
                }
            }
        }
        return Optional.empty();
    }

    private static String shortText(String body) {
        String text = body == null ? "" : body.strip();
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }

    static JsonNode json(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return MAPPER.readTree(body);
        } catch (IOException notJson) {
            return null;
        }
    }
}

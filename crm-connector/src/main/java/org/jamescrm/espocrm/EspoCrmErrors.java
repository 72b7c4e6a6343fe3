package org.jamescrm.espocrm;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmRejectedException;
import org.jamescrm.spi.CrmUnavailableException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Classifies every EspoCRM error answer (espocrm-api §3) in one place. The reason is in the
 * {@code X-Status-Reason} header; the body is empty or a JSON string (a validation failure's
 * {@code messageTranslation}, a duplicate check's list of records). Two conflicts are not failures: a
 * duplicate (409 {@code duplicate}: the records that exist are used instead of creating a second) and
 * an e-mail already imported (409 {@code Email is already imported.}: an idempotent retry). Messages name
 * the operation and EspoCRM's words, never a key.
 */
public final class EspoCrmErrors {
    /** The reason EspoCRM gives for a duplicate on create. */
    static final String DUPLICATE = "duplicate";
    /** The reason of importEml for a Message-ID it already holds. */
    static final String ALREADY_IMPORTED = "Email is already imported.";
    /** The reason of POST Email for a {@code from} address the API user may not use (no Import scope). */
    static final String FROM_NOT_ALLOWED = "Not allowed 'from' address.";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EspoCrmErrors() {
    }

    /** What an error answer means for the connector. */
    public sealed interface Outcome permits Duplicate, AlreadyImported, Failure {
    }

    /** 409 duplicate: the records of the same type that already exist, in EspoCRM's order. */
    public record Duplicate(List<JsonNode> existing) implements Outcome {
        public Duplicate {
            existing = List.copyOf(existing);
        }
    }

    /** 409 on importEml: the message is already in the CRM, as the e-mail {@code emailId} when EspoCRM named it. */
    public record AlreadyImported(Optional<String> emailId) implements Outcome {
        public AlreadyImported {
            Objects.requireNonNull(emailId, "emailId");
        }
    }

    /** Any other error: retry later ({@link CrmUnavailableException}) or park ({@link CrmRejectedException}). */
    public record Failure(CrmException exception) implements Outcome {
        public Failure {
            Objects.requireNonNull(exception, "exception");
        }
    }

    /**
     * @param operation  the call, e.g. {@code POST Lead}
     * @param status     the HTTP status (4xx or 5xx)
     * @param reason     the {@code X-Status-Reason} header, empty when absent
     * @param body       the body, empty when none
     * @param retryAfter the {@code Retry-After} header in seconds, when sent (a reverse proxy's rate limit)
     */
    public static Outcome classify(String operation, int status, String reason, String body, Optional<Duration> retryAfter) {
        String words = words(reason, body);
        String message = "EspoCRM " + operation + " answered " + status + (words.isEmpty() ? "" : ": " + words);
        if (status == 409 && reason.equalsIgnoreCase(DUPLICATE)) {
            return new Duplicate(records(body));
        }
        if (status == 409 && reason.equalsIgnoreCase(ALREADY_IMPORTED)) {
            return new AlreadyImported(importedId(body));
        }
        if (status >= 500 || status == 408 || status == 429) {
            return new Failure(new CrmUnavailableException(message, retryAfter, null));
        }
        if (status == 401) {
            return new Failure(new CrmRejectedException("EspoCRM " + operation + " answered 401: the API key (or the HMAC signature) "
                + "was refused; check <espocrm><apiKey> (and <secretKey>) and that the API user is active"));
        }
        if (status == 403 && reason.toLowerCase(Locale.ROOT).contains("max failed login attempts")) {
            return new Failure(new CrmRejectedException("EspoCRM " + operation + " answered 403: " + reason
                + " EspoCRM blocks this server after too many failed logins: fix the API key, then wait for the block to expire"));
        }
        if (status == 403 && (reason.equals(FROM_NOT_ALLOWED) || operation.endsWith("importEml"))) {
            return new Failure(new CrmRejectedException(message + " (the API user needs access to the Import scope to archive mail "
                + "of any sender)"));
        }
        if (status == 409 && reason.toLowerCase(Locale.ROOT).contains("lock")) {
            return new Failure(new CrmUnavailableException(message, retryAfter, null));
        }
        return new Failure(new CrmRejectedException(message));
    }

    /** A request that got no answer: refused connection, dropped connection, timeout. */
    public static CrmUnavailableException noAnswer(String operation, IOException failure) {
        return new CrmUnavailableException("EspoCRM " + operation + " did not answer: " + failure.getClass().getSimpleName()
            + (failure.getMessage() == null ? "" : " (" + failure.getMessage() + ")"), Optional.empty(), null);
    }

    /** The reason header and what the body says, e.g. {@code validationFailure (field lastName: required)}. */
    private static String words(String reason, String body) {
        String said = "";
        JsonNode json = json(body);
        if (json != null && json.has("messageTranslation")) {
            JsonNode translation = json.get("messageTranslation");
            JsonNode data = translation.path("data");
            said = translation.path("label").asText("")
                + (data.has("field") ? " (field " + data.path("field").asText() + ": " + data.path("type").asText() + ")" : "");
        } else if (json != null && json.isTextual()) {
            said = json.asText();
        } else if (json == null && !body.isBlank() && body.length() < 300) {
            said = body.strip();
        }
        if (reason.isEmpty()) {
            return said;
        }
        return said.isEmpty() ? reason : said.startsWith(reason) ? said : reason + " " + said;
    }

    private static List<JsonNode> records(String body) {
        JsonNode json = json(body);
        if (json != null && json.isTextual()) {
            json = json(json.asText());
        }
        List<JsonNode> records = new ArrayList<>();
        if (json != null && json.isArray()) {
            json.forEach(records::add);
        }
        return records;
    }

    private static Optional<String> importedId(String body) {
        JsonNode json = json(body);
        if (json == null) {
            return Optional.empty();
        }
        JsonNode id = json.path("messageTranslation").path("data").path("id");
        return id.isTextual() ? Optional.of(id.asText()) : Optional.empty();
    }

    private static JsonNode json(String body) {
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

package org.jamescrm.emulator.espocrm;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.jamescrm.emulator.Reply;

import com.fasterxml.jackson.databind.JsonNode;

/** EspoCRM's answers: JSON on success; on error the reason in {@code X-Status-Reason}, the body empty or a JSON string. */
final class EspoReply {

    private EspoReply() {
    }

    static Reply ok(JsonNode body) {
        return Reply.json(200, body.toString().getBytes(StandardCharsets.UTF_8), null);
    }

    /**
     * @param reason the {@code X-Status-Reason}, {@code null} for none (401)
     * @param body   the body, empty for none
     */
    static Reply error(int status, String reason, String body) {
        Map<String, String> headers = reason == null ? Map.of() : Map.of("X-Status-Reason", reason);
        return new Reply(status, "application/json", body.getBytes(StandardCharsets.UTF_8), headers,
            reason == null ? String.valueOf(status) : reason);
    }

    /** A failure of a request, thrown where it is found and answered by the API. */
    static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String reason;
        final String body;

        Refusal(int status, String reason, String body) {
            super(status + " " + reason, null, false, false);
            this.status = status;
            this.reason = reason;
            this.body = body;
        }

        Refusal(int status, String reason) {
            this(status, reason, "");
        }

        Reply reply() {
            return error(status, reason, body);
        }
    }

    /** 400 validationFailure with EspoCRM's messageTranslation body. */
    static Refusal validation(String field, String type) {
        return new Refusal(400, "validationFailure", "{\"messageTranslation\":{\"label\":\"validationFailure\",\"scope\":null,"
            + "\"data\":{\"field\":\"" + field + "\",\"type\":\"" + type + "\"}}}");
    }
}

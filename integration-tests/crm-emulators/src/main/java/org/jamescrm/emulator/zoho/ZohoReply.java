package org.jamescrm.emulator.zoho;

import java.nio.charset.StandardCharsets;

import org.jamescrm.emulator.Reply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Zoho's answers: JSON, errors in the request-level envelope {@code {"code","details","message","status":"error"}}. */
final class ZohoReply {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private ZohoReply() {
    }

    static Reply json(int status, JsonNode body) {
        return Reply.json(status, body.toString().getBytes(StandardCharsets.UTF_8), null);
    }

    /** 204 with an empty body: Zoho's "nothing found". */
    static Reply noContent() {
        return new Reply(204, "application/json", new byte[0], java.util.Map.of(), null);
    }

    /** The request-level error envelope. */
    static ObjectNode envelope(String code, String message, ObjectNode details) {
        ObjectNode body = MAPPER.createObjectNode().put("code", code);
        body.set("details", details == null ? MAPPER.createObjectNode() : details);
        return body.put("message", message).put("status", "error");
    }

    static Reply error(int status, String code, String message) {
        return error(status, code, message, null);
    }

    static Reply error(int status, String code, String message, ObjectNode details) {
        return Reply.json(status, envelope(code, message, details).toString().getBytes(StandardCharsets.UTF_8), code);
    }

    /** A failure found while serving a request, answered in the request-level envelope. */
    static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String code;
        final transient ObjectNode details;

        Refusal(int status, String code, String message, ObjectNode details) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
            this.details = details;
        }

        Refusal(int status, String code, String message) {
            this(status, code, message, null);
        }

        Reply reply() {
            return error(status, code, getMessage(), details);
        }
    }
}

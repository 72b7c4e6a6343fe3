package org.jamescrm.emulator.bitrix24;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A failure the portal answers with {@code {"error": code, "error_description": description}} plus
 * optional additional keys (bitrix24-api §2.3, source {@code CRestServer::outputError}). CRM method
 * failures use an empty code and HTTP 400, as {@code RestException} does by default. No stack trace:
 * it is an answer, not a bug.
 */
final class RestError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final transient ObjectNode additional;

    RestError(int status, String code, String description) {
        this(status, code, description, Php.NODES.objectNode());
    }

    RestError(int status, String code, String description, ObjectNode additional) {
        super(description, null, false, false);
        this.status = status;
        this.code = code;
        this.additional = additional;
    }

    /** A CRM legacy-method failure: HTTP 400 with an empty code. */
    static RestError crm(String description) {
        return new RestError(400, "", description);
    }

    /** Unknown method: 404 {@code ERROR_METHOD_NOT_FOUND}. */
    static RestError methodNotFound() {
        return new RestError(404, "ERROR_METHOD_NOT_FOUND", "Method not found!");
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    String description() {
        return getMessage();
    }

    /** The error body as the portal writes it. */
    ObjectNode body() {
        ObjectNode body = Php.NODES.objectNode();
        body.put("error", code);
        body.put("error_description", getMessage());
        body.setAll(additional);
        return body;
    }
}

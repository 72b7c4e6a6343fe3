package org.jamescrm.emulator.bitrix24;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Real HTTP calls to an emulator for its tests (java.net.http, HTTP/1.1), with JSON helpers. */
final class EmulatorHttp {
    final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build();
    private final Bitrix24Emulator portal;

    EmulatorHttp(Bitrix24Emulator portal) {
        this.portal = portal;
    }

    /** An answer: status, body as JSON (null when it is not JSON) and as text. */
    record Reply(int status, JsonNode body, String text) {

        JsonNode result() {
            return body.get("result");
        }

        String error() {
            return body.path("error").asText(null);
        }

        String description() {
            return body.path("error_description").asText(null);
        }
    }

    URI webhook(String method) {
        return portal.webhookUrl().resolve(method + ".json");
    }

    URI oauth(String method) {
        return portal.portalUrl().resolve("rest/" + method + ".json");
    }

    /** POST JSON to the webhook. */
    Reply call(String method, Object params) {
        return postJson(webhook(method), params);
    }

    /** A JSON object from alternating keys and values (values may be maps, lists, scalars). */
    ObjectNode json(Object... keysAndValues) {
        ObjectNode node = mapper.createObjectNode();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            node.set((String) keysAndValues[i], mapper.valueToTree(keysAndValues[i + 1]));
        }
        return node;
    }

    Reply postJson(URI uri, Object params) {
        try {
            return send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(params))).build());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    Reply postBody(URI uri, String contentType, String body) {
        return send(HttpRequest.newBuilder(uri).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    Reply postForm(URI uri, String form) {
        return postBody(uri, "application/x-www-form-urlencoded", form);
    }

    Reply get(URI uri) {
        return send(HttpRequest.newBuilder(uri).GET().build());
    }

    Reply send(HttpRequest request) {
        try {
            return sendOrThrow(request);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends and lets transport failures (timeouts, dropped connections) through. */
    Reply sendOrThrow(HttpRequest request) throws IOException {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                body = mapper.readTree(response.body());
            } catch (IOException notJson) {
                body = null;
            }
            return new Reply(response.statusCode(), body, response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** URL-encodes a value for a query string or form. */
    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A query string from alternating raw keys and values (values encoded, keys as given). */
    static String form(String... keysAndValues) {
        StringBuilder form = new StringBuilder();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (form.length() > 0) {
                form.append('&');
            }
            form.append(keysAndValues[i]).append('=').append(enc(keysAndValues[i + 1]));
        }
        return form.toString();
    }

    static Map<String, Object> email(String address) {
        return Map.of("VALUE", address, "VALUE_TYPE", "WORK");
    }
}

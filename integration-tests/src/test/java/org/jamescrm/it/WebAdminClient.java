package org.jamescrm.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads the product's WebAdmin routes as a person would, over HTTP. */
final class WebAdminClient {
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper mapper = new ObjectMapper();
    private final URI base;
    /** The capture error repository of the product's configuration, on James's WebAdmin. */
    static final String PARKED = "/mailRepositories/var%2Fmail%2Fcrm-capture-error/mails";

    WebAdminClient(int port) {
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    /** {@code GET /crm/memory}. */
    JsonNode memory() {
        return get("/crm/memory");
    }

    /** {@code GET /crm/decisions?messageId=...}. */
    JsonNode decisions(String messageId) {
        return get("/crm/decisions?messageId=" + URLEncoder.encode(messageId, StandardCharsets.UTF_8));
    }

    /** The newest decision about {@code messageId}, waiting up to 30 seconds for the capture queue to make one. */
    JsonNode awaitDecision(String messageId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> decisions(messageId).size() > 0);
        return decisions(messageId).get(0);
    }

    /** How many decisions match {@code criteria} ({@code name=value&}..., empty for all), as the search's {@code X-Total-Count} says. */
    long decisionCount(String criteria) {
        HttpResponse<String> answer = raw("/crm/decisions?" + criteria + "limit=1");
        if (answer.statusCode() != 200) {
            throw new AssertionError("GET /crm/decisions answered " + answer.statusCode() + ": " + answer.body());
        }
        return Long.parseLong(answer.headers().firstValue("X-Total-Count")
            .orElseThrow(() -> new AssertionError("the decision search gave no X-Total-Count")));
    }

    /** How many mails James's error repository ({@code var/mail/error} in the product's configuration) holds; 0 while it has none. */
    long jamesErrors() {
        HttpResponse<String> answer = raw("/mailRepositories/var%2Fmail%2Ferror");
        if (answer.statusCode() == 404) {
            return 0;
        }
        try {
            return mapper.readTree(answer.body()).path("size").asLong(-1);
        } catch (IOException e) {
            throw new AssertionError("James's error repository answered " + answer.body(), e);
        }
    }

    /** How many captures wait in the capture queue, as {@code GET /crm/status} gives its depth; -1 without a queue. */
    long capturesWaiting() {
        return status().path("queues").path(0).path("depth").asLong(-1);
    }

    /** {@code GET /crm/status}. */
    JsonNode status() {
        return get("/crm/status");
    }

    /** James's {@code GET /mailRepositories/…/mails} of the capture error repository: the parked captures. */
    JsonNode parked() {
        return get(PARKED);
    }

    /** James's {@code PATCH …/mails?action=reprocess&queue=crm-capture}: replays every parked capture into the capture queue. */
    void replayParked() {
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(base.resolve(PARKED + "?action=reprocess&queue=crm-capture"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 201) {
                throw new AssertionError("the replay answered " + answer.statusCode() + ": " + answer.body());
            }
        } catch (IOException e) {
            throw new AssertionError("the replay failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The value of the metric {@code name} on James's {@code GET /metrics}, 0 while it does not exist yet. */
    double metric(String name) {
        HttpResponse<String> response = raw("/metrics");
        if (response.statusCode() != 200) {
            throw new AssertionError("GET /metrics answered " + response.statusCode() + ": " + response.body());
        }
        Matcher sample = Pattern.compile("(?m)^" + Pattern.quote(name) + " ([0-9.eE+-]+)$").matcher(response.body());
        return sample.find() ? Double.parseDouble(sample.group(1)) : 0;
    }

    /** The elements of an array field of the in-memory CRM matching {@code filter}. */
    List<JsonNode> memory(String kind, Predicate<JsonNode> filter) {
        List<JsonNode> matching = new ArrayList<>();
        memory().path(kind).forEach(node -> {
            if (filter.test(node)) {
                matching.add(node);
            }
        });
        return matching;
    }

    /** The id of the in-memory CRM user with this address. */
    String userId(String email) {
        return memory("users", user -> user.path("email").asText().equals(email)).stream()
            .map(user -> user.path("id").asText()).findFirst()
            .orElseThrow(() -> new AssertionError("no CRM user " + email));
    }

    /** The whole answer to {@code GET path}: status, headers and body, whatever the status. */
    HttpResponse<String> raw(String path) {
        try {
            return http.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The whole answer to {@code POST path} with {@code body}, whatever the status. */
    HttpResponse<String> post(String path, String body) {
        try {
            return http.send(HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .header("Content-Type", "message/rfc822").build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("POST " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** {@code POST /crm/dry-run} of {@code message} from {@code sender} to {@code recipients}: the decision it would get. */
    JsonNode dryRun(String sender, List<String> recipients, String message) {
        StringBuilder query = new StringBuilder("/crm/dry-run?sender=").append(URLEncoder.encode(sender, StandardCharsets.UTF_8));
        recipients.forEach(recipient -> query.append("&recipient=").append(URLEncoder.encode(recipient, StandardCharsets.UTF_8)));
        HttpResponse<String> response = post(query.toString(), message);
        if (response.statusCode() != 200) {
            throw new AssertionError("POST " + query + " answered " + response.statusCode() + ": " + response.body());
        }
        try {
            return mapper.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private JsonNode get(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return mapper.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}

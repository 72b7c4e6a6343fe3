package org.jamescrm.zoho;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.jamescrm.spi.CrmException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Requests that need not wait for one another, sent five at a time through Zoho's composite API
 * ({@code POST __composite_requests}: up to {@value #SUB_REQUESTS} sub-requests for one API credit, each
 * answered on its own), the composite requests of one call at once; a lone request goes as itself. Used for the round's {@code email_available}
 * checks and its {@code associate_email} writes.
 */
final class ZohoComposite {
    /** Zoho's most sub-requests in one composite request. */
    static final int SUB_REQUESTS = 5;

    private final ZohoClient client;
    private final Executor executor;

    /** @param executor runs the composite requests of one call at once (the client keeps the concurrency) */
    ZohoComposite(ZohoClient client, Executor executor) {
        this.client = client;
        this.executor = executor;
    }

    /** One request: {@code GET} with {@code params} or {@code POST} with {@code body}, {@code path} under {@code /crm/v8/}. */
    record Sub(String method, String path, Map<String, String> params, JsonNode body) {
        Sub {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(path, "path");
            params = Map.copyOf(params);
        }

        static Sub get(String path, Map<String, String> params) {
            return new Sub("GET", path, params, null);
        }

        static Sub post(String path, JsonNode body) {
            return new Sub("POST", path, Map.of(), body);
        }

        String operation() {
            return ZohoClient.operation(method, path);
        }
    }

    /** A sub-request's answer: its status and body (a missing node for 204), or why it failed as a whole. */
    record Answer(int status, JsonNode body, CrmException failure) {
        boolean failed() {
            return failure != null;
        }
    }

    /** Every request's answer, in order; the failure of a whole composite request is the answer of each of its subs. */
    List<Answer> run(List<Sub> subs) {
        List<Answer> answers = new ArrayList<>();
        if (subs.size() == 1) {
            answers.add(alone(subs.get(0)));
            return answers;
        }
        List<CompletableFuture<List<Answer>>> composites = new ArrayList<>();
        for (int from = 0; from < subs.size(); from += SUB_REQUESTS) {
            List<Sub> chunk = subs.subList(from, Math.min(subs.size(), from + SUB_REQUESTS));
            composites.add(CompletableFuture.supplyAsync(() -> composite(chunk), executor));
        }
        composites.forEach(composite -> answers.addAll(composite.join()));
        return answers;
    }

    private Answer alone(Sub sub) {
        try {
            if (sub.method().equals("GET")) {
                String[] query = sub.params().entrySet().stream().flatMap(entry -> java.util.stream.Stream.of(entry.getKey(), entry.getValue()))
                    .toArray(String[]::new);
                return new Answer(200, client.get(sub.path(), query), null);
            }
            return new Answer(200, client.post(sub.path(), sub.body()), null);
        } catch (CrmException e) {
            return new Answer(0, MissingNode.getInstance(), e);
        }
    }

    private List<Answer> composite(List<Sub> subs) {
        if (subs.size() == 1) {
            return List.of(alone(subs.get(0)));
        }
        ObjectNode request = client.object().put("rollback_on_fail", false).put("parallel_execution", true);
        ArrayNode list = request.putArray("__composite_requests");
        for (int i = 0; i < subs.size(); i++) {
            Sub sub = subs.get(i);
            ObjectNode item = list.addObject().put("sub_request_id", "s" + i).put("method", sub.method()).put("uri", "/crm/v8/" + sub.path());
            if (!sub.params().isEmpty()) {
                ObjectNode params = item.putObject("params");
                sub.params().forEach(params::put);
            }
            if (sub.body() != null) {
                item.set("body", sub.body());
            }
        }
        List<Answer> answers = new ArrayList<>();
        JsonNode answer;
        try {
            answer = client.post("__composite_requests", request);
        } catch (CrmException e) {
            subs.forEach(sub -> answers.add(new Answer(0, MissingNode.getInstance(), e)));
            return answers;
        }
        JsonNode results = answer.path("__composite_requests");
        for (int i = 0; i < subs.size(); i++) {
            JsonNode response = results.path(i).path("details").path("response");
            int status = response.path("status_code").asInt(0);
            JsonNode body = response.path("body");
            if (status == 0) {
                answers.add(new Answer(0, body, ZohoErrors.item("POST __composite_requests", 400, results.path(i))));
            } else if (status >= 300 && !hasItems(body)) {
                answers.add(new Answer(status, body, ZohoErrors.request(subs.get(i).operation(), status, body, ZohoLimits.CONCURRENCY_BACKOFF)));
            } else {
                answers.add(new Answer(status, body.isNull() ? MissingNode.getInstance() : body, null));
            }
        }
        return answers;
    }

    private static boolean hasItems(JsonNode body) {
        return body.path("data").isArray() || body.path("Emails").isArray();
    }
}

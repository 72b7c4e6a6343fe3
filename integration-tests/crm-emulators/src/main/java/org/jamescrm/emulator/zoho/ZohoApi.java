package org.jamescrm.emulator.zoho;

import static org.jamescrm.emulator.zoho.ZohoReply.MAPPER;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jamescrm.emulator.Reply;
import org.jamescrm.emulator.zoho.ZohoData.ItemRefusal;
import org.jamescrm.emulator.zoho.ZohoReply.Refusal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The API v8 of the emulated organisation, after authentication, for a path under {@code /crm/v8/}:
 * users, field settings, COQL, search, record reads (with {@code fields} mandatory on lists), inserts
 * in {@code data[]} with per-item results (201, 207, 400), {@code associate_email} and
 * {@code email_available}, files, and the composite API (up to five sub-requests, each answered on its own).
 */
final class ZohoApi {
    static final int MAX_RECORDS = 100;
    static final int MAX_SUB_REQUESTS = 5;

    private final ZohoData data;
    private final String emailAvailableParameter;

    ZohoApi(ZohoData data, String emailAvailableParameter) {
        this.data = data;
        this.emailAvailableParameter = emailAvailableParameter;
    }

    /** The answer to {@code method path} ({@code path} after {@code /crm/v8/}). */
    Reply answer(String method, String path, Map<String, String> query, byte[] body) {
        try {
            return route(method, path.split("/"), query, body);
        } catch (Refusal refusal) {
            return refusal.reply();
        }
    }

    private Reply route(String method, String[] path, Map<String, String> query, byte[] body) {
        String first = path[0];
        if (first.equals("users") && method.equals("GET") && path.length == 1) {
            return users(query);
        }
        if (first.equals("settings") && path.length == 2 && path[1].equals("fields") && method.equals("GET")) {
            String module = query.getOrDefault("module", "");
            if (!ZohoData.MODULES.contains(module)) {
                throw new Refusal(400, "INVALID_MODULE", "the module name given seems to be invalid");
            }
            return ZohoReply.json(200, data.fields(module));
        }
        if (first.equals("coql") && method.equals("POST") && path.length == 1) {
            return coql(json(body));
        }
        if (first.equals("actions") && path.length == 2 && path[1].equals("email_available") && method.equals("GET")) {
            return emailAvailable(query);
        }
        if (first.equals("files") && method.equals("POST") && path.length == 1) {
            ObjectNode answer = MAPPER.createObjectNode();
            ObjectNode item = answer.putArray("data").addObject().put("code", "SUCCESS");
            item.putObject("details").put("id", data.addFile(body.length));
            item.put("message", "file uploaded").put("status", "success");
            return ZohoReply.json(200, answer);
        }
        if (!ZohoData.MODULES.contains(first)) {
            throw new Refusal(400, "INVALID_MODULE", "the module name given seems to be invalid");
        }
        if (path.length == 1 && method.equals("POST")) {
            return insert(first, json(body));
        }
        if (path.length == 1 && method.equals("GET")) {
            if (!query.containsKey("fields")) {
                ObjectNode details = MAPPER.createObjectNode().put("param_name", "fields");
                throw new Refusal(400, "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing", details);
            }
            return page(data.all(first), query);
        }
        if (path.length == 2 && path[1].equals("search") && method.equals("GET")) {
            return search(first, query);
        }
        if (path.length == 2 && method.equals("GET")) {
            ObjectNode record = data.get(first, path[1]).orElseThrow(() -> new Refusal(404, "INVALID_URL_PATTERN",
                "Please check if the URL trying to access is a correct one"));
            ObjectNode answer = MAPPER.createObjectNode();
            answer.putArray("data").add(record);
            return ZohoReply.json(200, answer);
        }
        if (path.length == 4 && path[2].equals("actions") && path[3].equals("associate_email") && method.equals("POST")) {
            return associate(first, path[1], json(body));
        }
        throw new Refusal(404, "INVALID_URL_PATTERN", "Please check if the URL trying to access is a correct one");
    }

    private static ObjectNode json(byte[] body) {
        try {
            JsonNode json = MAPPER.readTree(body);
            if (json == null || !json.isObject()) {
                throw new Refusal(400, "INVALID_DATA", "the body is not a JSON object");
            }
            return (ObjectNode) json;
        } catch (IOException notJson) {
            throw new Refusal(400, "INVALID_DATA", "the body is not JSON");
        }
    }

    private Reply users(Map<String, String> query) {
        List<ObjectNode> users = data.users(query.getOrDefault("type", "AllUsers"));
        int perPage = Math.min(200, Integer.parseInt(query.getOrDefault("per_page", "200")));
        int page = Integer.parseInt(query.getOrDefault("page", "1"));
        List<ObjectNode> shown = users.subList(Math.min(users.size(), (page - 1) * perPage), Math.min(users.size(), page * perPage));
        ObjectNode answer = MAPPER.createObjectNode();
        ArrayNode list = answer.putArray("users");
        shown.forEach(list::add);
        answer.putObject("info").put("per_page", perPage).put("count", shown.size()).put("page", page)
            .put("more_records", page * perPage < users.size());
        return ZohoReply.json(200, answer);
    }

    private Reply coql(ObjectNode body) {
        String text = body.path("select_query").asText("");
        if (text.isBlank()) {
            throw new Refusal(400, "REQUIRED_PARAM_MISSING", "select_query is missing");
        }
        Coql query = Coql.parse(text);
        if (!ZohoData.MODULES.contains(query.module)) {
            throw new Refusal(400, "INVALID_QUERY", "invalid module given");
        }
        List<ObjectNode> matching = data.all(query.module).stream().filter(query.where).toList();
        List<ObjectNode> shown = matching.subList(Math.min(matching.size(), query.offset), Math.min(matching.size(), query.offset + query.limit));
        if (shown.isEmpty()) {
            return ZohoReply.noContent();
        }
        ObjectNode answer = MAPPER.createObjectNode();
        ArrayNode rows = answer.putArray("data");
        for (ObjectNode record : shown) {
            ObjectNode row = rows.addObject().put("id", record.path("id").asText());
            for (String field : query.fields) {
                if (!field.equals("id")) {
                    row.set(field, record.has(field) ? record.get(field) : MAPPER.nullNode());
                }
            }
        }
        answer.putObject("info").put("count", shown.size()).put("more_records", query.offset + query.limit < matching.size());
        return ZohoReply.json(200, answer);
    }

    private Reply search(String module, Map<String, String> query) {
        String email;
        if (query.containsKey("criteria")) {
            String criteria = query.get("criteria").replaceAll("^\\(+|\\)+$", "");
            String[] parts = criteria.split(":", 3);
            if (parts.length != 3 || !parts[1].equals("equals")) {
                throw new Refusal(400, "INVALID_QUERY", "invalid query formed");
            }
            email = parts[2];
        } else if (query.containsKey("email")) {
            email = query.get("email");
        } else {
            throw new Refusal(400, "EXPECTED_PARAM_MISSING", "one of the expected parameters is missing");
        }
        return page(data.search(module, email, query.getOrDefault("converted", "false")), query);
    }

    private static Reply page(List<ObjectNode> records, Map<String, String> query) {
        if (records.isEmpty()) {
            return ZohoReply.noContent();
        }
        int perPage = Math.min(200, Integer.parseInt(query.getOrDefault("per_page", "200")));
        int page = Integer.parseInt(query.getOrDefault("page", "1"));
        ObjectNode answer = MAPPER.createObjectNode();
        ArrayNode list = answer.putArray("data");
        records.subList(Math.min(records.size(), (page - 1) * perPage), Math.min(records.size(), page * perPage)).forEach(list::add);
        answer.putObject("info").put("per_page", perPage).put("count", list.size()).put("page", page)
            .put("more_records", page * perPage < records.size());
        return ZohoReply.json(200, answer);
    }

    /** {@code POST Module}: up to 100 records, each answered: 201 when all succeed, 207 when some do, 400 when none. */
    private Reply insert(String module, ObjectNode body) {
        JsonNode records = body.path("data");
        if (!records.isArray() || records.isEmpty()) {
            throw new Refusal(400, "REQUIRED_PARAM_MISSING", "the data array is missing");
        }
        if (records.size() > MAX_RECORDS) {
            throw new Refusal(400, "LIMIT_EXCEEDED", "at most " + MAX_RECORDS + " records a request",
                MAPPER.createObjectNode().put("limit", MAX_RECORDS));
        }
        ObjectNode answer = MAPPER.createObjectNode();
        ArrayNode items = answer.putArray("data");
        int succeeded = 0;
        for (JsonNode record : records) {
            if (!record.isObject()) {
                items.add(ZohoReply.envelope("INVALID_DATA", "invalid data", null));
                continue;
            }
            try {
                String id = data.create(module, (ObjectNode) record);
                ObjectNode item = items.addObject().put("code", "SUCCESS");
                ObjectNode stored = data.get(module, id).orElseThrow();
                item.putObject("details").put("id", id).put("Created_Time", stored.path("Created_Time").asText())
                    .put("Modified_Time", stored.path("Modified_Time").asText());
                item.put("message", "record added").put("status", "success");
                succeeded++;
            } catch (ItemRefusal refusal) {
                items.add(refusal.item());
            }
        }
        int status = succeeded == records.size() ? 201 : succeeded == 0 ? 400 : 207;
        Reply reply = ZohoReply.json(status, answer);
        return status == 400 ? new Reply(400, reply.contentType(), reply.body(), Map.of(), items.path(0).path("code").asText()) : reply;
    }

    private Reply emailAvailable(Map<String, String> query) {
        String messageId = query.get(emailAvailableParameter);
        if (messageId == null || messageId.isEmpty()) {
            throw new Refusal(400, "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing",
                MAPPER.createObjectNode().put("param_name", emailAvailableParameter));
        }
        Optional<ObjectNode> email = data.email(messageId);
        ObjectNode answer = MAPPER.createObjectNode().put("available", email.isPresent());
        email.ifPresent(found -> {
            answer.set("record", found.path("record"));
            if (found.has("linked_record")) {
                answer.set("linked_record", found.path("linked_record"));
            }
        });
        return ZohoReply.json(200, answer);
    }

    /** {@code associate_email}: the mandatory fields, the attachments and linked record known, then stored. */
    private Reply associate(String module, String recordId, ObjectNode body) {
        if (!ZohoData.EMAIL_MODULES.contains(module) || data.get(module, recordId).isEmpty()) {
            throw new Refusal(400, "INVALID_DATA", "the record id given seems to be invalid",
                MAPPER.createObjectNode().put("resource_path_index", 1));
        }
        JsonNode emails = body.path("Emails");
        if (!emails.isArray() || emails.isEmpty()) {
            throw new Refusal(400, "REQUIRED_PARAM_MISSING", "Emails is missing");
        }
        ObjectNode answer = MAPPER.createObjectNode();
        ArrayNode items = answer.putArray("Emails");
        int succeeded = 0;
        for (JsonNode email : emails) {
            Optional<ObjectNode> refusal = refusal((ObjectNode) email);
            if (refusal.isPresent()) {
                items.add(refusal.get());
                continue;
            }
            String id = data.associate(module, recordId, (ObjectNode) email);
            ObjectNode item = items.addObject().put("code", "SUCCESS");
            item.putObject("details").put("message_id", id);
            item.put("message", "email associated successfully").put("status", "success");
            succeeded++;
        }
        int status = succeeded == emails.size() ? 201 : succeeded == 0 ? 400 : 207;
        return new Reply(status, "application/json; charset=utf-8", answer.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
            Map.of(), status == 400 ? items.path(0).path("code").asText() : null);
    }

    private Optional<ObjectNode> refusal(ObjectNode email) {
        for (String field : List.of("from", "to", "subject", "content", "date_time", "sent", "original_message_id")) {
            if (!email.has(field) || email.get(field).isNull() || (email.get(field).isTextual() && email.get(field).asText().isEmpty())
                || (email.get(field).isArray() && email.get(field).isEmpty())) {
                return Optional.of(ZohoReply.envelope("REQUIRED_PARAM_MISSING", "required field not found",
                    MAPPER.createObjectNode().put("api_name", field)));
            }
        }
        if (!email.path("sent").isBoolean()) {
            return Optional.of(ZohoReply.envelope("INVALID_DATA", "invalid data", MAPPER.createObjectNode().put("api_name", "sent")));
        }
        String subject = email.path("subject").asText();
        if (subject.length() > 250) {
            return Optional.of(ZohoReply.envelope("INVALID_DATA", "invalid data",
                MAPPER.createObjectNode().put("api_name", "subject").put("maximum_length", 250)));
        }
        String dateTime = email.path("date_time").asText();
        try {
            OffsetDateTime.parse(dateTime);
            if (dateTime.contains(".")) {
                throw new DateTimeParseException("milliseconds", dateTime, 0);
            }
        } catch (DateTimeParseException notZohos) {
            return Optional.of(ZohoReply.envelope("INVALID_DATA", "invalid data", MAPPER.createObjectNode().put("api_name", "date_time")));
        }
        for (JsonNode attachment : email.path("attachments")) {
            if (!data.hasFile(attachment.path("id").asText())) {
                return Optional.of(ZohoReply.envelope("INVALID_DATA", "invalid data",
                    MAPPER.createObjectNode().put("api_name", "attachments")));
            }
        }
        JsonNode linked = email.path("linked_record");
        if (!linked.isMissingNode()) {
            String module = linked.path("module").path("api_name").asText("");
            if (!ZohoData.MODULES.contains(module) || data.get(module, linked.path("id").asText()).isEmpty()) {
                return Optional.of(ZohoReply.envelope("INVALID_DATA", "invalid data",
                    MAPPER.createObjectNode().put("api_name", "linked_record")));
            }
        }
        return Optional.empty();
    }

    /** The composite API: at most five sub-requests, each routed as its own request and answered in order. */
    Reply composite(ObjectNode body, SubRouter router) {
        JsonNode subs = body.path("__composite_requests");
        if (!subs.isArray() || subs.isEmpty()) {
            throw new Refusal(400, "REQUIRED_PARAM_MISSING", "__composite_requests is missing");
        }
        if (subs.size() > MAX_SUB_REQUESTS) {
            throw new Refusal(400, "LIMIT_EXCEEDED", "at most " + MAX_SUB_REQUESTS + " sub-requests",
                MAPPER.createObjectNode().put("limit", MAX_SUB_REQUESTS));
        }
        ObjectNode answer = MAPPER.createObjectNode();
        ArrayNode items = answer.putArray("__composite_requests");
        for (JsonNode sub : subs) {
            String uri = sub.path("uri").asText("");
            if (!uri.startsWith("/crm/v8/")) {
                items.add(ZohoReply.envelope("INVALID_DATA", "invalid uri", MAPPER.createObjectNode().put("api_name", "uri")));
                continue;
            }
            Map<String, String> params = new java.util.LinkedHashMap<>();
            sub.path("params").fields().forEachRemaining(entry -> params.put(entry.getKey(), entry.getValue().asText()));
            byte[] subBody = sub.has("body") ? sub.get("body").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8) : new byte[0];
            Reply reply = router.route(sub.path("method").asText("GET"), uri.substring("/crm/v8/".length()), params, subBody);
            ObjectNode item = items.addObject().put("code", "SUCCESS");
            ObjectNode response = item.putObject("details").putObject("response").put("status_code", reply.status());
            response.putObject("headers");
            try {
                response.set("body", reply.body().length == 0 ? MAPPER.nullNode() : MAPPER.readTree(reply.body()));
            } catch (IOException notJson) {
                response.putNull("body");
            }
            item.put("message", "sub-request executed").put("status", "success").put("sub_request_id", sub.path("sub_request_id").asText());
        }
        return ZohoReply.json(200, answer);
    }

    /** Routes a sub-request of a composite request. */
    interface SubRouter {
        Reply route(String method, String path, Map<String, String> params, byte[] body);
    }
}

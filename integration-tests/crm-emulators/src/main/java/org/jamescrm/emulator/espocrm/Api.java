package org.jamescrm.emulator.espocrm;

import static org.jamescrm.emulator.espocrm.EspoCrmEmulator.MAPPER;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jamescrm.emulator.EmulatorRequest;
import org.jamescrm.emulator.Reply;
import org.jamescrm.emulator.espocrm.EspoReply.Refusal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The REST API of the emulated site, after authentication: {@code App/user}, CRUD, search, links, attachments, importEml. */
final class Api {
    static final int MAX_SIZE = 200;
    private static final Set<String> DROPPED = Set.of("id", "deleted", "createdAt", "createdById", "modifiedAt", "modifiedById",
        "versionNumber");

    private final EspoData data;
    private final boolean importEml;

    Api(EspoData data, boolean importEml) {
        this.data = data;
        this.importEml = importEml;
    }

    Reply answer(String method, String resource, Map<String, String> query, EmulatorRequest request) {
        try {
            return route(method, resource.split("/"), query, request);
        } catch (Refusal refusal) {
            return refusal.reply();
        }
    }

    private Reply route(String method, String[] path, Map<String, String> query, EmulatorRequest request) {
        if (path.length == 2 && path[0].equals("App") && path[1].equals("user") && method.equals("GET")) {
            return EspoReply.ok(appUser());
        }
        String entity = path[0];
        if (!EspoData.ENTITIES.containsKey(entity)) {
            throw new Refusal(404, "Controller '" + entity + "' does not exist.");
        }
        if (path.length == 2 && entity.equals("Email") && path[1].equals("importEml") && method.equals("POST")) {
            if (!importEml) {
                throw new Refusal(404, "Action POST 'importEml' does not exist.");
            }
            return EspoReply.ok(importEml(body(request)));
        }
        if (path.length == 1 && method.equals("GET")) {
            return EspoReply.ok(list(entity, search(query)));
        }
        if (path.length == 1 && method.equals("POST")) {
            return EspoReply.ok(create(entity, body(request), request.header("X-Skip-Duplicate-Check").orElse("")));
        }
        if (path.length == 2 && method.equals("GET")) {
            return EspoReply.ok(data.get(entity, path[1]).orElseThrow(() -> new Refusal(404, "Record does not exist.")));
        }
        if (path.length == 2 && method.equals("PUT")) {
            return EspoReply.ok(update(entity, path[1], body(request)));
        }
        if (path.length == 3 && method.equals("POST")) {
            return EspoReply.ok(relate(entity, path[1], path[2], body(request)));
        }
        if (path.length == 2 && method.equals("DELETE")) {
            if (!data.remove(entity, path[1])) {
                throw new Refusal(404, "Record does not exist.");
            }
            return EspoReply.ok(MAPPER.getNodeFactory().booleanNode(true));
        }
        throw new Refusal(404, "Route " + method + " /" + String.join("/", path) + " does not exist.");
    }

    private ObjectNode appUser() {
        ObjectNode app = MAPPER.createObjectNode();
        app.putObject("user").put("id", "65f0c1a2b3c4api00").put("userName", "james-crm-capture").put("type", "api");
        ObjectNode table = app.putObject("acl").putObject("table");
        table.put("Import", data.importScope());
        for (String scope : List.of("Email", "Lead", "Contact", "Account", "Opportunity", "Case")) {
            table.putObject(scope).put("create", "yes").put("read", "all").put("edit", "all").put("delete", "no");
        }
        table.putObject("Team").put("create", "no").put("read", "all").put("edit", "no").put("delete", "no");
        return app;
    }

    private static ObjectNode body(EmulatorRequest request) {
        try {
            JsonNode body = MAPPER.readTree(request.body());
            if (body == null || !body.isObject()) {
                throw new Refusal(400, "Bad request body.");
            }
            return (ObjectNode) body;
        } catch (IOException notJson) {
            throw new Refusal(400, "Bad request body.");
        }
    }

    // ---- search

    /** The search parameters from {@code searchParams} (JSON) or from PHP-style query parameters. */
    static ObjectNode search(Map<String, String> query) {
        if (query.containsKey("searchParams")) {
            try {
                return (ObjectNode) MAPPER.readTree(query.get("searchParams"));
            } catch (IOException | ClassCastException notJson) {
                throw new Refusal(400, "Bad searchParams.");
            }
        }
        Map<String, Object> tree = new LinkedHashMap<>();
        query.forEach((name, value) -> put(tree, name.replace("]", "").split("\\["), 0, value));
        return MAPPER.valueToTree(arrays(tree));
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> tree, String[] keys, int at, String value) {
        if (at == keys.length - 1) {
            tree.put(keys[at], value);
            return;
        }
        Object child = tree.computeIfAbsent(keys[at], unused -> new LinkedHashMap<String, Object>());
        if (child instanceof Map) {
            put((Map<String, Object>) child, keys, at + 1, value);
        }
    }

    @SuppressWarnings("unchecked")
    private static Object arrays(Object node) {
        if (!(node instanceof Map)) {
            return node;
        }
        Map<String, Object> map = (Map<String, Object>) node;
        map.replaceAll((key, value) -> arrays(value));
        if (!map.isEmpty() && map.keySet().stream().allMatch(key -> key.matches("\\d+"))) {
            List<Object> list = new ArrayList<>();
            map.keySet().stream().sorted((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b))).forEach(key -> list.add(map.get(key)));
            return list;
        }
        return map;
    }

    private ObjectNode list(String entity, ObjectNode params) {
        int maxSize = params.has("maxSize") ? params.path("maxSize").asInt(MAX_SIZE) : MAX_SIZE;
        if (maxSize > MAX_SIZE) {
            throw new Refusal(403, "Max size should not exceed " + MAX_SIZE + ". Use offset and limit.");
        }
        int offset = Math.max(0, params.path("offset").asInt(0));
        JsonNode where = params.has("where") ? params.get("where") : params.path("whereGroup");
        List<JsonNode> matching = new ArrayList<>();
        for (JsonNode record : data.all(entity)) {
            if (matchesAll(entity, record, where)) {
                matching.add(record);
            }
        }
        if ("desc".equalsIgnoreCase(params.path("order").asText(""))) {
            java.util.Collections.reverse(matching);
        }
        ObjectNode answer = MAPPER.createObjectNode();
        answer.put("total", matching.size());
        ArrayNode list = answer.putArray("list");
        String select = params.path("select").asText(params.path("attributeSelect").asText(""));
        matching.stream().skip(offset).limit(maxSize).forEach(record -> list.add(select(entity, record, select)));
        return answer;
    }

    private JsonNode select(String entity, JsonNode record, String select) {
        if (select.isBlank()) {
            return record;
        }
        ObjectNode selected = MAPPER.createObjectNode();
        selected.set("id", record.get("id"));
        for (String attribute : select.split(",")) {
            if (data.hasField(entity, attribute)) {
                selected.set(attribute, record.has(attribute) ? record.get(attribute) : MAPPER.nullNode());
            }
        }
        return selected;
    }

    private boolean matchesAll(String entity, JsonNode record, JsonNode items) {
        for (JsonNode item : items) {
            if (!matches(entity, record, item)) {
                return false;
            }
        }
        return true;
    }

    /** One where item; an attribute the entity does not have holds nothing (UNVERIFIED how EspoCRM answers it). */
    private boolean matches(String entity, JsonNode record, JsonNode item) {
        String type = item.path("type").asText("");
        String attribute = item.path("attribute").asText("");
        JsonNode value = item.path("value");
        switch (type) {
            case "or":
                for (JsonNode nested : value) {
                    if (matches(entity, record, nested)) {
                        return true;
                    }
                }
                return false;
            case "and":
                return matchesAll(entity, record, value);
            case "linkedWith":
                return values(value).stream().anyMatch(id -> linked(record, attribute).contains(id));
            default:
                break;
        }
        List<String> held = held(entity, record, attribute);
        boolean emails = attribute.equals("emailAddress");
        switch (type) {
            case "equals":
                return held.stream().anyMatch(text -> same(text, value.asText(), emails));
            case "notEquals":
                return held.stream().noneMatch(text -> same(text, value.asText(), emails));
            case "in":
                return held.stream().anyMatch(text -> values(value).stream().anyMatch(wanted -> same(text, wanted, emails)));
            case "notIn":
                return held.stream().noneMatch(text -> values(value).stream().anyMatch(wanted -> same(text, wanted, emails)));
            case "isNull":
                return held.isEmpty();
            case "isNotNull":
                return !held.isEmpty();
            case "isTrue":
                return held.contains("true");
            case "isFalse":
                return !held.contains("true");
            case "contains":
                return held.stream().anyMatch(text -> text.toLowerCase(Locale.ROOT).contains(value.asText().toLowerCase(Locale.ROOT)));
            case "startsWith":
                return held.stream().anyMatch(text -> text.toLowerCase(Locale.ROOT).startsWith(value.asText().toLowerCase(Locale.ROOT)));
            default:
                throw new Refusal(400, "Bad where item type '" + type + "'.");
        }
    }

    private static boolean same(String held, String wanted, boolean caseInsensitive) {
        return caseInsensitive ? held.equalsIgnoreCase(wanted) : held.equals(wanted);
    }

    private List<String> held(String entity, JsonNode record, String attribute) {
        if (attribute.equals("emailAddress")) {
            return EspoData.addresses(record);
        }
        if (!data.hasField(entity, attribute)) {
            return List.of();
        }
        JsonNode value = record.path(attribute);
        if (value.isNull() || value.isMissingNode()) {
            return List.of();
        }
        return List.of(value.asText());
    }

    private static List<String> linked(JsonNode record, String link) {
        List<String> ids = new ArrayList<>();
        String single = link.endsWith("s") ? link.substring(0, link.length() - 1) + "Id" : link + "Id";
        if (record.hasNonNull(single)) {
            ids.add(record.get(single).asText());
        }
        record.path(link + "Ids").forEach(id -> ids.add(id.asText()));
        return ids;
    }

    private static List<String> values(JsonNode value) {
        List<String> values = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(one -> values.add(one.asText()));
        } else if (!value.isMissingNode() && !value.isNull()) {
            values.add(value.asText());
        }
        return values;
    }

    // ---- create and update

    /** The input as EspoCRM filters it: system, read-only and unknown attributes silently dropped. */
    private ObjectNode filtered(String entity, ObjectNode input) {
        EspoData.EntityDef def = EspoData.ENTITIES.get(entity);
        ObjectNode kept = MAPPER.createObjectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = input.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if (!DROPPED.contains(name) && !def.readOnly().contains(name) && data.hasField(entity, name)) {
                kept.set(name, field.getValue());
            }
        }
        return kept;
    }

    private void validate(String entity, ObjectNode record) {
        EspoData.EntityDef def = EspoData.ENTITIES.get(entity);
        teams(record.path("teamsIds"));
        for (String required : def.required()) {
            JsonNode value = record.path(required);
            if (value.isMissingNode() || value.isNull() || value.asText().isEmpty()) {
                throw EspoReply.validation(required, "required");
            }
        }
        def.enums().forEach((field, options) -> {
            if (record.hasNonNull(field) && !options.contains(record.get(field).asText())) {
                throw EspoReply.validation(field, "valid");
            }
        });
    }

    private JsonNode create(String entity, ObjectNode input, String skipDuplicateCheck) {
        if (entity.equals("User") || entity.equals("Team")) {
            throw new Refusal(403, "No create access.");
        }
        boolean skip = skipDuplicateCheck.equalsIgnoreCase("true") || input.path("_skipDuplicateCheck").asBoolean(false);
        if (entity.equals("Attachment")) {
            return attachment(input);
        }
        ObjectNode record = filtered(entity, input);
        if (entity.equals("Email")) {
            email(record);
        }
        if (record.has("firstName") || record.has("lastName")) {
            record.put("name", (record.path("firstName").asText("") + " " + record.path("lastName").asText("")).strip());
        }
        validate(entity, record);
        if (EspoData.ENTITIES.get(entity).duplicateCheck() && !skip) {
            List<JsonNode> duplicates = duplicates(entity, record);
            if (!duplicates.isEmpty()) {
                throw new Refusal(409, "duplicate", MAPPER.valueToTree(duplicates).toString());
            }
        }
        return data.get(entity, data.insert(entity, record)).orElseThrow();
    }

    private void email(ObjectNode record) {
        if (record.hasNonNull("subject") && !record.hasNonNull("name")) {
            record.put("name", record.path("subject").asText());
        }
        String from = record.path("from").asText("");
        if (from.isBlank()) {
            throw new Refusal(400, "No 'from' address");
        }
        if (!data.importScope()) {
            throw new Refusal(403, "Not allowed 'from' address.");
        }
        if (record.hasNonNull("sendAt") && !record.path("status").asText("Archived").equals("Draft")) {
            throw new Refusal(400, "Cannot set send-at if status is not Draft.");
        }
        String parentType = record.path("parentType").asText("");
        if (!parentType.isEmpty() && EspoData.ENTITIES.containsKey(parentType)
            && data.get(parentType, record.path("parentId").asText("")).isEmpty()) {
            throw new Refusal(403, "No 'read' access to the parent.");
        }
        if (record.hasNonNull("body")) {
            record.put("bodyPlain", record.path("body").asText().replaceAll("<[^>]*>", ""));
        }
    }

    /** Lead, Contact: the same first and last name, or a shared address; Account: the same name or a shared address. */
    private List<JsonNode> duplicates(String entity, ObjectNode record) {
        List<String> addresses = EspoData.addresses(record);
        String first = record.path("firstName").asText("");
        String last = record.path("lastName").asText("");
        String name = record.path("name").asText("");
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode other : data.all(entity)) {
            boolean sameName = entity.equals("Account") ? !name.isEmpty() && name.equalsIgnoreCase(other.path("name").asText(""))
                : !last.isEmpty() && first.equalsIgnoreCase(other.path("firstName").asText("")) && last.equalsIgnoreCase(other.path("lastName").asText(""));
            boolean sharedAddress = EspoData.addresses(other).stream().anyMatch(addresses::contains);
            if (sameName || sharedAddress) {
                found.add(other);
            }
        }
        return found;
    }

    /** A team id that is no team is refused (UNVERIFIED how EspoCRM answers it; the connector only sends teams it read). */
    private void teams(JsonNode ids) {
        for (JsonNode id : ids) {
            if (data.get("Team", id.asText()).isEmpty()) {
                throw EspoReply.validation("teams", "valid");
            }
        }
    }

    /** {@code POST Entity/id/link} with {@code id} or {@code ids}: adds to a link-multiple ({@code teams}: {@code teamsIds}). */
    private JsonNode relate(String entity, String id, String link, ObjectNode input) {
        JsonNode record = data.get(entity, id).orElseThrow(() -> new Refusal(404, "Record does not exist."));
        if (!link.equals("teams")) {
            throw new Refusal(404, "Link '" + link + "' is not emulated.");
        }
        List<String> ids = values(input.has("ids") ? input.get("ids") : input.path("id"));
        if (ids.isEmpty()) {
            throw new Refusal(400, "No 'id' or 'ids'.");
        }
        ArrayNode teams = MAPPER.createArrayNode();
        record.path("teamsIds").forEach(teams::add);
        for (String team : ids) {
            if (values(teams).stream().noneMatch(team::equals)) {
                teams.add(team);
            }
        }
        teams(teams);
        ObjectNode changes = MAPPER.createObjectNode();
        changes.set("teamsIds", teams);
        data.change(entity, id, changes);
        return MAPPER.getNodeFactory().booleanNode(true);
    }

    private JsonNode update(String entity, String id, ObjectNode input) {
        if (data.get(entity, id).isEmpty()) {
            throw new Refusal(404, "Record does not exist.");
        }
        ObjectNode changes = filtered(entity, input);
        ObjectNode merged = ((ObjectNode) data.get(entity, id).orElseThrow()).setAll(changes);
        validate(entity, merged);
        data.change(entity, id, changes);
        return data.get(entity, id).orElseThrow();
    }

    private JsonNode attachment(ObjectNode input) {
        String file = input.path("file").asText("");
        int comma = file.indexOf(',');
        if (!file.startsWith("data:") || comma < 0 || !file.substring(0, comma).endsWith(";base64")) {
            throw EspoReply.validation("file", "required");
        }
        byte[] content;
        try {
            content = Base64.getDecoder().decode(file.substring(comma + 1));
        } catch (IllegalArgumentException notBase64) {
            throw EspoReply.validation("file", "valid");
        }
        ObjectNode record = filtered("Attachment", input);
        record.put("size", content.length);
        validate("Attachment", record);
        String id = data.insert("Attachment", record);
        data.file(id, content);
        return data.get("Attachment", id).orElseThrow();
    }

    // ---- importEml

    private JsonNode importEml(ObjectNode input) {
        if (!data.importScope()) {
            throw new Refusal(403, "No access to Import.");
        }
        String fileId = input.path("fileId").asText("");
        JsonNode attachment = data.get("Attachment", fileId).orElseThrow(() -> new Refusal(404, "Attachment does not exist."));
        if (!"ImportEml".equals(attachment.path("relatedType").asText())) {
            throw new Refusal(403, "Attachment is not for ImportEml.");
        }
        Map<String, String> headers = headers(new String(data.file(fileId).orElse(new byte[0]), StandardCharsets.UTF_8));
        String messageId = headers.getOrDefault("message-id", "").strip();
        if (messageId.isEmpty()) {
            messageId = "<" + fileId + "@espo-import>";
        } else if (!messageId.startsWith("<")) {
            messageId = "<" + messageId + ">";
        }
        String wanted = messageId;
        Optional<JsonNode> existing = data.all("Email").stream().filter(email -> wanted.equals(email.path("messageId").asText())).findFirst();
        if (existing.isPresent()) {
            throw new Refusal(409, "Email is already imported.", "{\"messageTranslation\":{\"label\":\"alreadyImported\",\"scope\":\"Email\","
                + "\"data\":{\"id\":\"" + existing.get().path("id").asText() + "\"}}}");
        }
        ObjectNode email = MAPPER.createObjectNode();
        String subject = headers.getOrDefault("subject", "").strip();
        email.put("name", subject.isEmpty() ? "(No Subject)" : subject).put("status", "Archived").put("messageId", messageId)
            .put("from", address(headers.getOrDefault("from", ""))).put("fromString", headers.getOrDefault("from", "").strip())
            .put("to", addresses(headers.getOrDefault("to", ""))).put("cc", addresses(headers.getOrDefault("cc", "")))
            .put("dateSent", dateSent(headers.getOrDefault("date", "")));
        String inReplyTo = headers.getOrDefault("in-reply-to", "").strip().split("\\s+")[0];
        Optional<JsonNode> replied = data.all("Email").stream().filter(other -> !inReplyTo.isEmpty()
            && inReplyTo.equals(other.path("messageId").asText())).findFirst();
        replied.ifPresent(other -> email.put("repliedId", other.path("id").asText()));
        parent(replied, email.path("from").asText()).ifPresent(parent -> email.put("parentType", parent[0]).put("parentId", parent[1]));
        String id = data.insert("Email", email);
        data.remove("Attachment", fileId);
        return MAPPER.createObjectNode().put("id", id);
    }

    /** EspoCRM's parent finder: the replied e-mail's parent, else the sender's Contact (its Account), Account, Lead. */
    private Optional<String[]> parent(Optional<JsonNode> replied, String from) {
        if (replied.isPresent() && replied.get().hasNonNull("parentId")) {
            return Optional.of(new String[] {replied.get().path("parentType").asText(), replied.get().path("parentId").asText()});
        }
        String address = from.toLowerCase(Locale.ROOT);
        for (JsonNode contact : data.all("Contact")) {
            if (EspoData.addresses(contact).contains(address)) {
                return Optional.of(contact.hasNonNull("accountId") ? new String[] {"Account", contact.path("accountId").asText()}
                    : new String[] {"Contact", contact.path("id").asText()});
            }
        }
        for (String type : List.of("Account", "Lead")) {
            for (JsonNode record : data.all(type)) {
                if (EspoData.addresses(record).contains(address)) {
                    return Optional.of(new String[] {type, record.path("id").asText()});
                }
            }
        }
        return Optional.empty();
    }

    /** The unfolded header fields of a message, names in lower case (the first of each). */
    static Map<String, String> headers(String raw) {
        Map<String, String> headers = new LinkedHashMap<>();
        String head = raw.split("\r?\n\r?\n", 2)[0].replaceAll("\r?\n[ \t]+", " ");
        for (String line : head.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
        }
        return headers;
    }

    private static String address(String field) {
        int open = field.lastIndexOf('<');
        int close = field.lastIndexOf('>');
        return (open >= 0 && close > open ? field.substring(open + 1, close) : field).strip();
    }

    private static String addresses(String field) {
        List<String> addresses = new ArrayList<>();
        for (String part : field.split(",")) {
            if (!part.isBlank()) {
                addresses.add(address(part));
            }
        }
        return String.join(";", addresses);
    }

    private static String dateSent(String date) {
        try {
            return EspoCrmEmulator.DATE_TIME.format(ZonedDateTime.parse(date.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException notADate) {
            return null;
        }
    }
}

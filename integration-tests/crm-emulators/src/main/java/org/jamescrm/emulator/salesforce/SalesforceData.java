package org.jamescrm.emulator.salesforce;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.jamescrm.emulator.RecordStore;
import org.jamescrm.emulator.Violation;
import org.jamescrm.emulator.ViolationLog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The org's records (salesforce §1.11): Lead (with its conversion), Contact, Account, Opportunity (IsClosed and
 * IsWon from the stage), OpportunityContactRole, User, Task, EmailMessage and EmailMessageRelation, with 18-character
 * ids of the real prefixes, the fields each object has (the capture key field where the administrator added it),
 * the limits of their lengths, required fields, references, the optional duplicate rule on Contact e-mail, the
 * optional lead assignment rule ({@code Sforce-Auto-Assign}), External ID upserts, and SOQL over them. Thread-safe:
 * one lock for all.
 * <p>
 * Violations: a second record of an object with the same capture key, a second link of one person to one e-mail,
 * a value over its field's length (Salesforce refuses it: the capture lost it).
 */
public final class SalesforceData {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'+0000'", Locale.ROOT)
        .withZone(ZoneOffset.UTC);
    /** The rows of one answer; the rest through {@code nextRecordsUrl}. */
    static final int BATCH = 2000;
    static final Map<String, String> PREFIXES = Map.ofEntries(Map.entry("Lead", "00Q"), Map.entry("Contact", "003"),
        Map.entry("Account", "001"), Map.entry("Opportunity", "006"), Map.entry("OpportunityContactRole", "00K"), Map.entry("User", "005"),
        Map.entry("Task", "00T"), Map.entry("EmailMessage", "02s"), Map.entry("EmailMessageRelation", "0Ea"),
        Map.entry("ContentVersion", "068"), Map.entry("ContentDocumentLink", "06A"));
    private static final Map<String, Set<String>> FIELDS = Map.ofEntries(
        Map.entry("Lead", Set.of("FirstName", "LastName", "Company", "Email", "LeadSource", "OwnerId", "Description", "Status", "IsConverted",
            "ConvertedContactId", "ConvertedAccountId", "ConvertedOpportunityId")),
        Map.entry("Contact", Set.of("FirstName", "LastName", "Email", "OwnerId", "AccountId", "Description")),
        Map.entry("Account", Set.of("Name", "OwnerId", "Website")),
        Map.entry("Opportunity", Set.of("Name", "StageName", "CloseDate", "OwnerId", "AccountId", "ContactId", "Description", "LeadSource", "Amount",
            "IsClosed", "IsWon")),
        Map.entry("OpportunityContactRole", Set.of("OpportunityId", "ContactId", "Role", "IsPrimary")),
        Map.entry("User", Set.of("Name", "Email", "IsActive", "UserType", "Username")),
        Map.entry("EmailMessage", Set.of("Subject", "TextBody", "HtmlBody", "Headers", "FromAddress", "FromName", "ToAddress", "CcAddress",
            "BccAddress", "ToIds", "CcIds", "BccIds", "Incoming", "Status", "MessageDate", "MessageIdentifier", "ThreadIdentifier",
            "RelatedToId", "ParentId", "ActivityId")),
        Map.entry("EmailMessageRelation", Set.of("EmailMessageId", "RelationId", "RelationType", "RelationAddress")),
        Map.entry("Task", Set.of("Subject", "Description", "WhoId", "WhatId", "Status", "ActivityDate", "TaskSubtype", "OwnerId", "Priority")),
        Map.entry("ContentVersion", Set.of("Title", "PathOnClient", "VersionData", "FirstPublishLocationId")),
        Map.entry("ContentDocumentLink", Set.of("LinkedEntityId", "ContentDocumentId", "ShareType")));
    /** What the API may not write (derived, or set by Salesforce itself). */
    private static final Set<String> READ_ONLY = Set.of("Lead.IsConverted", "Lead.ConvertedContactId", "Lead.ConvertedAccountId",
        "Lead.ConvertedOpportunityId", "Opportunity.IsClosed", "Opportunity.IsWon", "EmailMessage.ActivityId");
    private static final Set<String> SYSTEM = Set.of("Id", "CreatedDate", "LastModifiedDate");
    private static final Map<String, Integer> LENGTHS = Map.ofEntries(Map.entry("Lead.LastName", 80), Map.entry("Lead.FirstName", 40),
        Map.entry("Lead.Company", 255), Map.entry("Lead.Email", 80), Map.entry("Lead.Description", 32_000),
        Map.entry("Contact.LastName", 80), Map.entry("Contact.FirstName", 40), Map.entry("Contact.Email", 80),
        Map.entry("Opportunity.Name", 120), Map.entry("Opportunity.Description", 32_000), Map.entry("EmailMessage.Subject", 3_000),
        Map.entry("EmailMessage.TextBody", 32_000), Map.entry("EmailMessage.HtmlBody", 32_000), Map.entry("EmailMessage.FromName", 1_000),
        Map.entry("EmailMessage.ToAddress", 4_000), Map.entry("EmailMessage.CcAddress", 4_000),
        Map.entry("EmailMessage.MessageIdentifier", 255), Map.entry("Task.Subject", 255), Map.entry("Task.Description", 32_000));
    private static final Map<String, List<String>> REQUIRED = Map.of("Lead", List.of("LastName", "Company"), "Contact", List.of("LastName"),
        "Opportunity", List.of("Name", "StageName", "CloseDate"), "EmailMessageRelation", List.of("EmailMessageId", "RelationId", "RelationType"),
        "Account", List.of("Name"), "ContentVersion", List.of("PathOnClient", "VersionData"));
    /** The objects that carry the capture key field. */
    static final Set<String> KEYED = Set.of("Lead", "Contact", "Opportunity", "EmailMessage", "Task");

    private final Clock clock;
    private final ViolationLog violations;
    private final RecordStore store = new RecordStore();
    private final Optional<String> keyField;
    private final boolean enhancedEmail;
    private final boolean externalId;
    private final boolean contactDuplicateRule;
    private Optional<String> assignmentRuleOwner;
    private final Map<String, List<ObjectNode>> cursors = new LinkedHashMap<>();
    /** The ids of each type's records by capture key value, so that a round's 200 records need no 200 scans. */
    private final Map<String, Map<String, List<String>>> byKey = new java.util.HashMap<>();
    /** Each link of a person to an e-mail, {@code email|person|type}. */
    private final Set<String> relations = new java.util.HashSet<>();
    private int lockedRows;

    SalesforceData(Clock clock, ViolationLog violations, Optional<String> keyField, boolean enhancedEmail, boolean externalId,
                   boolean contactDuplicateRule, Optional<String> assignmentRuleOwner) {
        this.clock = clock;
        this.violations = violations;
        this.keyField = keyField;
        this.enhancedEmail = enhancedEmail;
        this.externalId = externalId;
        this.contactDuplicateRule = contactDuplicateRule;
        this.assignmentRuleOwner = assignmentRuleOwner;
    }

    /** One record's answer: saved, or refused with Salesforce's error. */
    sealed interface Result permits Saved, Refused {
    }

    record Saved(String id, boolean created) implements Result {
    }

    record Refused(int status, String errorCode, String message, List<String> fields, JsonNode extra) implements Result {
        Refused(int status, String errorCode, String message, List<String> fields) {
            this(status, errorCode, message, fields, null);
        }

        /** The per-record error shape of Collections: {@code {statusCode, message, fields}}. */
        ObjectNode asRecordError() {
            ObjectNode error = MAPPER.createObjectNode().put("statusCode", errorCode).put("message", message);
            fields.forEach(error.putArray("fields")::add);
            if (extra != null) {
                error.set("duplicateResult", extra);
            }
            return error;
        }

        /** The REST envelope: a JSON array of {@code {message, errorCode, fields}}. */
        ArrayNode asEnvelope() {
            ArrayNode array = MAPPER.createArrayNode();
            ObjectNode error = array.addObject().put("message", message).put("errorCode", errorCode);
            if (!fields.isEmpty()) {
                fields.forEach(error.putArray("fields")::add);
            }
            if (extra != null) {
                error.set("duplicateResult", extra);
            }
            return array;
        }
    }

    /** The query was refused. */
    static final class QueryError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String errorCode;

        QueryError(String errorCode, String message) {
            super(message);
            this.errorCode = errorCode;
        }
    }

    // ---- administration ----

    /** Whether the org has {@code type}: EmailMessage only with Enhanced Email. */
    synchronized boolean has(String type) {
        return FIELDS.containsKey(type) && (!type.equals("EmailMessage") && !type.equals("EmailMessageRelation") || enhancedEmail);
    }

    synchronized Set<String> fields(String type) {
        Set<String> fields = new java.util.TreeSet<>(FIELDS.getOrDefault(type, Set.of()));
        fields.addAll(SYSTEM);
        if (KEYED.contains(type)) {
            keyField.ifPresent(fields::add);
        }
        return fields;
    }

    /** A record as an administrator enters it: no validation, no violation; returns its id. */
    synchronized String insert(String type, ObjectNode record) {
        ObjectNode stored = record.deepCopy();
        stored.put("CreatedDate", now()).put("LastModifiedDate", now());
        defaults(type, stored);
        long number = store.insert(type, stored);
        String id = id(type, number);
        store.update(type, number, current -> current.put("Id", id));
        index(type, id, stored);
        after(type, id, stored);
        return id;
    }

    /** Changes fields as an administrator does (a stage, a lead's conversion). */
    synchronized void change(String id, ObjectNode fields) {
        String type = typeOf(id).orElseThrow(() -> new IllegalArgumentException("no record " + id));
        store.update(type, number(id), current -> {
            current.setAll(fields);
            current.put("LastModifiedDate", now());
            derive(type, current);
            return current;
        });
    }

    private void index(String type, String id, ObjectNode record) {
        keyField.filter(field -> KEYED.contains(type) && record.hasNonNull(field)).ifPresent(field -> byKey
            .computeIfAbsent(type, unused -> new java.util.HashMap<>())
            .computeIfAbsent(record.path(field).asText(), unused -> new ArrayList<>()).add(id));
        if (type.equals("EmailMessageRelation")) {
            relations.add(relation(record));
        }
    }

    private static String relation(JsonNode record) {
        return record.path("EmailMessageId").asText() + "|" + record.path("RelationId").asText() + "|" + record.path("RelationType").asText();
    }

    private List<String> withKey(String type, String value) {
        return byKey.getOrDefault(type, Map.of()).getOrDefault(value, List.of());
    }

    synchronized Optional<ObjectNode> get(String id) {
        return typeOf(id).flatMap(type -> store.get(type, number(id)));
    }

    synchronized List<ObjectNode> all(String type) {
        return store.list(type);
    }

    synchronized void reset() {
        store.reset();
        cursors.clear();
        byKey.clear();
        relations.clear();
        lockedRows = 0;
    }

    /** Lead assignment rules: a lead created without {@code Sforce-Auto-Assign: FALSE} gets this owner (empty: no active rule). */
    synchronized void assignLeadsTo(Optional<String> owner) {
        this.assignmentRuleOwner = owner;
    }

    synchronized void lockRows(int rows) {
        lockedRows += rows;
    }

    // ---- the API ----

    /** {@code POST sobjects/{type}} or one record of a Collection. */
    synchronized Result create(String type, ObjectNode body, boolean autoAssign, String operation) {
        if (!has(type)) {
            return new Refused(404, "NOT_FOUND", "The requested resource does not exist", List.of());
        }
        if (lockedRows > 0) {
            lockedRows--;
            return new Refused(400, "UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record", List.of());
        }
        Optional<Refused> invalid = validate(type, body, operation);
        if (invalid.isPresent()) {
            return invalid.get();
        }
        if (type.equals("Contact") && contactDuplicateRule && body.hasNonNull("Email")) {
            Optional<ObjectNode> existing = store.find("Contact", contact -> contact.path("Email").asText("")
                .equalsIgnoreCase(body.path("Email").asText())).stream().findFirst();
            if (existing.isPresent()) {
                ObjectNode duplicate = MAPPER.createObjectNode().put("duplicateRule", "Standard_Contact_Duplicate_Rule")
                    .put("allowSave", false);
                duplicate.putArray("matchResults").addObject().put("entityType", "Contact").putArray("matchRecords").addObject()
                    .putObject("record").put("Id", existing.get().path("Id").asText());
                return new Refused(400, "DUPLICATES_DETECTED", "Use one of these records?", List.of(), duplicate);
            }
        }
        keyField.filter(field -> KEYED.contains(type) && body.hasNonNull(field)).ifPresent(field -> {
            List<String> same = withKey(type, body.path(field).asText());
            if (!same.isEmpty()) {
                violations.record(Violation.Kind.DUPLICATE_RECORD, operation, "a second " + type + " with the capture key "
                    + body.path(field).asText(), Map.of("existing", same.get(0), "record", body.toString()));
            }
        });
        ObjectNode record = body.deepCopy();
        record.remove("attributes");
        if (type.equals("Lead") && autoAssign && assignmentRuleOwner.isPresent()) {
            record.put("OwnerId", assignmentRuleOwner.get());
        }
        return new Saved(insert(type, record), true);
    }

    /** One record of an upsert by the External ID {@code field}: 201 created, 200 updated, 300 ambiguous. */
    synchronized Result upsert(String type, String field, ObjectNode body, String operation) {
        if (!externalId || keyField.isEmpty() || !keyField.get().equals(field) || !KEYED.contains(type)) {
            return new Refused(404, "NOT_FOUND", "Provided external ID field does not exist or is not accessible: " + field, List.of());
        }
        String value = body.path(field).asText("");
        if (value.isEmpty()) {
            return new Refused(400, "REQUIRED_FIELD_MISSING", "Required fields are missing: [" + field + "]", List.of(field));
        }
        List<String> same = withKey(type, value);
        if (same.size() > 1) {
            return new Refused(300, "DUPLICATE_EXTERNAL_ID", field + ": more than one record found for external id field", List.of(field));
        }
        if (same.size() == 1) {
            // an e-mail is immutable after insert: nothing but the custom field changes
            return new Saved(same.get(0), false);
        }
        return create(type, body, false, operation);
    }

    private Optional<Refused> validate(String type, ObjectNode body, String operation) {
        Set<String> fields = fields(type);
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (name.equals("attributes")) {
                continue;
            }
            if (!fields.contains(name) || SYSTEM.contains(name)) {
                return Optional.of(new Refused(400, "INVALID_FIELD", "No such column '" + name + "' on sobject of type " + type, List.of(name)));
            }
            if (READ_ONLY.contains(type + "." + name)) {
                return Optional.of(new Refused(400, "INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update fields: " + name
                    + ". Please check the security settings of this field and verify that it is read/write for your profile or "
                    + "permission set.", List.of(name)));
            }
            Integer length = LENGTHS.get(type + "." + name);
            if (length != null && body.path(name).asText("").length() > length) {
                violations.record(Violation.Kind.TRUNCATED_WRITE, operation, type + "." + name + " longer than " + length,
                    Map.of("length", body.path(name).asText("").length()));
                return Optional.of(new Refused(400, "STRING_TOO_LONG", name + ": data value too large: (max length=" + length + ")",
                    List.of(name)));
            }
        }
        for (String required : REQUIRED.getOrDefault(type, List.of())) {
            if (body.path(required).asText("").isBlank()) {
                return Optional.of(new Refused(400, "REQUIRED_FIELD_MISSING", "Required fields are missing: [" + required + "]",
                    List.of(required)));
            }
        }
        return references(type, body);
    }

    private Optional<Refused> references(String type, ObjectNode body) {
        Map<String, Set<String>> targets = Map.of("OwnerId", Set.of("User"), "AccountId", Set.of("Account"), "ContactId", Set.of("Contact"),
            "RelatedToId", Set.of("Opportunity", "Account"), "WhoId", Set.of("Lead", "Contact"), "WhatId", Set.of("Opportunity", "Account"),
            "EmailMessageId", Set.of("EmailMessage"), "RelationId", Set.of("Lead", "Contact", "User"), "OpportunityId", Set.of("Opportunity"),
            "FirstPublishLocationId", Set.of("EmailMessage", "Task", "Lead", "Contact", "Account", "Opportunity"));
        for (Map.Entry<String, Set<String>> target : targets.entrySet()) {
            if (body.hasNonNull(target.getKey()) && !exists(body.path(target.getKey()).asText(), target.getValue())) {
                return Optional.of(new Refused(400, "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", List.of(target.getKey())));
            }
        }
        for (String list : List.of("ToIds", "CcIds", "BccIds")) {
            for (JsonNode id : body.path(list)) {
                if (!exists(id.asText(), Set.of("Lead", "Contact", "User"))) {
                    return Optional.of(new Refused(400, "INVALID_ID_FIELD", "invalid id in " + list + ": " + id.asText(), List.of(list)));
                }
            }
        }
        if (type.equals("ContentVersion")) {
            try {
                java.util.Base64.getDecoder().decode(body.path("VersionData").asText(""));
            } catch (IllegalArgumentException notBase64) {
                return Optional.of(new Refused(400, "INVALID_FIELD", "VersionData: not base64", List.of("VersionData")));
            }
        }
        if (type.equals("Task") && body.path("WhoId").asText("").startsWith("00Q") && body.hasNonNull("WhatId")) {
            return Optional.of(new Refused(400, "FIELD_INTEGRITY_EXCEPTION", "Related To ID: id value of incorrect type: a task of a Lead "
                + "cannot be related to another record", List.of("WhatId")));
        }
        if (type.equals("EmailMessageRelation")) {
            String email = body.path("EmailMessageId").asText();
            String person = body.path("RelationId").asText();
            String relation = body.path("RelationType").asText();
            if (relations.contains(relation(body))) {
                violations.record(Violation.Kind.DUPLICATE_RECORD, "EmailMessageRelation", "a second " + relation + " link of " + person
                    + " to the e-mail " + email, Map.of());
            }
        }
        return Optional.empty();
    }

    private boolean exists(String id, Set<String> types) {
        Optional<String> type = typeOf(id);
        return type.isPresent() && types.contains(type.get()) && store.get(type.get(), number(id)).isPresent();
    }

    /** The answer of {@code GET query?q=}: the first batch, {@code nextRecordsUrl} for the rest. */
    synchronized ObjectNode query(String soql, String apiVersion) {
        if (soql.length() > 100_000) {
            throw new QueryError("MALFORMED_QUERY", "Query is too long (limit 100,000 characters)");
        }
        SoqlQuery query;
        try {
            query = SoqlQuery.parse(soql);
        } catch (SoqlQuery.Malformed malformed) {
            throw new QueryError("MALFORMED_QUERY", malformed.getMessage());
        }
        String type = query.from();
        if (!has(type)) {
            throw new QueryError("INVALID_TYPE", "sObject type '" + type + "' is not supported.");
        }
        List<String> read = new ArrayList<>(query.select());
        read.addAll(query.conditionFields());
        for (String field : read) {
            checkField(type, field);
        }
        List<ObjectNode> matching = store.find(type, record -> query.matches(path -> field(record, path)));
        matching = query.order(matching, record -> path -> field(record, path));
        if (matching.size() > query.limit()) {
            matching = matching.subList(0, query.limit());
        }
        List<ObjectNode> rows = new ArrayList<>();
        for (ObjectNode record : matching) {
            rows.add(row(type, record, query.select(), apiVersion));
        }
        return page(rows, apiVersion);
    }

    /** The next batch of a query, by its cursor. */
    synchronized Optional<ObjectNode> more(String cursor, String apiVersion) {
        List<ObjectNode> rest = cursors.remove(cursor);
        return rest == null ? Optional.empty() : Optional.of(page(rest, apiVersion));
    }

    private ObjectNode page(List<ObjectNode> rows, String apiVersion) {
        ObjectNode answer = MAPPER.createObjectNode().put("totalSize", rows.size()).put("done", rows.size() <= BATCH);
        ArrayNode records = answer.putArray("records");
        rows.stream().limit(BATCH).forEach(records::add);
        if (rows.size() > BATCH) {
            String cursor = "01g" + UUID.randomUUID().toString().replace("-", "").substring(0, 15) + "-" + BATCH;
            cursors.put(cursor, new ArrayList<>(rows.subList(BATCH, rows.size())));
            answer.put("nextRecordsUrl", "/services/data/v" + apiVersion + "/query/" + cursor);
        }
        return answer;
    }

    private void checkField(String type, String path) {
        int dot = path.indexOf('.');
        if (dot < 0) {
            if (!fields(type).contains(path)) {
                throw new QueryError("INVALID_FIELD", "No such column '" + path + "' on entity '" + type + "'.");
            }
            return;
        }
        String relation = path.substring(0, dot);
        String parentType = relation.equals("Owner") ? "User" : relation;
        if (!fields(type).contains(relation + "Id") || !FIELDS.containsKey(parentType)) {
            throw new QueryError("INVALID_FIELD", "Didn't understand relationship '" + relation + "' in field path. If you are attempting to "
                + "use a custom relationship, be sure to append the '__r' after the custom relationship name.");
        }
        checkField(parentType, path.substring(dot + 1));
    }

    private JsonNode field(ObjectNode record, String path) {
        int dot = path.indexOf('.');
        if (dot < 0) {
            return record.path(path);
        }
        String parentId = record.path(path.substring(0, dot) + "Id").asText("");
        return get(parentId).<JsonNode>map(parent -> parent.path(path.substring(dot + 1))).orElse(MissingNode.getInstance());
    }

    private ObjectNode row(String type, ObjectNode record, List<String> select, String apiVersion) {
        ObjectNode row = MAPPER.createObjectNode();
        row.putObject("attributes").put("type", type).put("url", "/services/data/v" + apiVersion + "/sobjects/" + type + "/"
            + record.path("Id").asText());
        for (String path : select) {
            int dot = path.indexOf('.');
            if (dot < 0) {
                JsonNode value = record.path(path);
                row.set(path, value.isMissingNode() ? MAPPER.nullNode() : value);
                continue;
            }
            String relation = path.substring(0, dot);
            Optional<ObjectNode> parent = get(record.path(relation + "Id").asText(""));
            if (parent.isEmpty()) {
                row.putNull(relation);
                continue;
            }
            ObjectNode nested = row.has(relation) && row.get(relation).isObject() ? (ObjectNode) row.get(relation) : row.putObject(relation);
            if (!nested.has("attributes")) {
                String parentType = typeOf(parent.get().path("Id").asText()).orElse(relation);
                nested.putObject("attributes").put("type", parentType).put("url", "/services/data/v" + apiVersion + "/sobjects/" + parentType
                    + "/" + parent.get().path("Id").asText());
            }
            JsonNode value = parent.get().path(path.substring(dot + 1));
            nested.set(path.substring(dot + 1), value.isMissingNode() ? MAPPER.nullNode() : value);
        }
        return row;
    }

    // ---- ids and derived fields ----

    static String id(String type, long number) {
        return PREFIXES.get(type) + "xx" + String.format(Locale.ROOT, "%010d", number) + "AAA";
    }

    static Optional<String> typeOf(String id) {
        if (id == null || id.length() != 18) {
            return Optional.empty();
        }
        String prefix = id.substring(0, 3);
        return PREFIXES.entrySet().stream().filter(entry -> entry.getValue().equals(prefix)).map(Map.Entry::getKey).findFirst();
    }

    private static long number(String id) {
        try {
            return Long.parseLong(id.substring(5, 15));
        } catch (NumberFormatException | StringIndexOutOfBoundsException notOurs) {
            return -1;
        }
    }

    private String now() {
        return DATE_TIME.format(clock.instant());
    }

    private static void defaults(String type, ObjectNode record) {
        switch (type) {
            case "Lead" -> {
                if (!record.has("Status")) {
                    record.put("Status", "Open - Not Contacted");
                }
                if (!record.has("IsConverted")) {
                    record.put("IsConverted", false);
                }
            }
            case "User" -> {
                if (!record.has("IsActive")) {
                    record.put("IsActive", true);
                }
                if (!record.has("UserType")) {
                    record.put("UserType", "Standard");
                }
            }
            default -> {
            }
        }
        derive(type, record);
    }

    private static void derive(String type, ObjectNode record) {
        if (type.equals("Opportunity")) {
            String stage = record.path("StageName").asText("");
            record.put("IsClosed", stage.startsWith("Closed"));
            record.put("IsWon", stage.equals("Closed Won"));
        }
    }

    /** What Salesforce creates beside a record: the contact role of an opportunity's ContactId, the relations of ToIds/CcIds. */
    private void after(String type, String id, ObjectNode record) {
        if (type.equals("Opportunity") && record.hasNonNull("ContactId")) {
            ObjectNode role = MAPPER.createObjectNode().put("OpportunityId", id).put("ContactId", record.path("ContactId").asText())
                .put("IsPrimary", true).put("Role", "Decision Maker");
            insert("OpportunityContactRole", role);
        }
        if (type.equals("ContentVersion") && record.hasNonNull("FirstPublishLocationId")) {
            insert("ContentDocumentLink", MAPPER.createObjectNode().put("LinkedEntityId", record.path("FirstPublishLocationId").asText())
                .put("ContentDocumentId", "069" + id.substring(3)).put("ShareType", "V"));
        }
        if (type.equals("EmailMessage")) {
            for (String list : List.of("ToIds", "CcIds", "BccIds")) {
                for (JsonNode person : record.path(list)) {
                    insert("EmailMessageRelation", MAPPER.createObjectNode().put("EmailMessageId", id).put("RelationId", person.asText())
                        .put("RelationType", list.substring(0, list.length() - 3) + "Address"));
                }
            }
        }
    }
}

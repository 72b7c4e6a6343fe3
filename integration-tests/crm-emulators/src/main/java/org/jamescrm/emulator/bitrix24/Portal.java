package org.jamescrm.emulator.bitrix24;

import static org.jamescrm.emulator.bitrix24.Php.NODES;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.jamescrm.emulator.Violation;
import org.jamescrm.emulator.ViolationLog;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The state of one emulated portal (users, leads, contacts, companies, deals, e-mail activities,
 * timeline comments) and its REST methods, each answering exactly as bitrix24-api §6–§7 describes, with
 * the PHP behaviour of the portal's source where the document quotes it. Not thread-safe: the emulator
 * calls it under its one lock.
 */
final class Portal {
    /** The multifield types of leads, contacts and companies. */
    static final List<String> MULTI_TYPES = List.of("PHONE", "EMAIL", "WEB", "IM", "LINK");
    /** Turns an activity into a violation's evidence, as {@link Bitrix24Emulator#activities()} shows it. */
    private static final ObjectMapper EVIDENCE = new ObjectMapper();
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s.]+$");
    private static final Map<String, String> EMAIL_LABELS = Map.of("WORK", "Work e-mail", "HOME", "Private e-mail", "MAILING",
        "E-mail for newsletters", "OTHER", "Other e-mail");
    /** Default lead statuses and their semantics (bitrix24-api §6.3). */
    private static final Map<String, String> LEAD_STATUSES = orderedMap("NEW", "P", "IN_PROCESS", "P", "PROCESSED", "P",
        "CONVERTED", "S", "JUNK", "F");
    /** Default deal stages of every funnel (prefixed {@code C<n>:} outside funnel 0) and their semantics. */
    private static final Map<String, String> DEAL_STAGES = orderedMap("NEW", "P", "PREPARATION", "P", "PREPAYMENT_INVOICE", "P",
        "EXECUTING", "P", "FINAL_INVOICE", "P", "WON", "S", "LOSE", "F", "APOLOGY", "F");
    private static final List<String> LEAD_SOURCES = List.of("CALL", "EMAIL", "WEB", "ADVERTISING", "PARTNER", "RECOMMENDATION",
        "TRADE_SHOW", "WEBFORM", "CALLBACK", "RC_GENERATOR", "STORE", "OTHER");
    private static final Set<String> SEEDABLE = Set.of("DATE_CREATE", "DATE_MODIFY", "CREATED_BY_ID", "MODIFY_BY_ID");
    private static final Map<EntityType, Map<String, Field>> SCHEMAS = schemas();
    private static final Map<String, Field> ACTIVITY = fields("ID:INT:ro OWNER_ID:INT OWNER_TYPE_ID:INT TYPE_ID:INT PROVIDER_ID"
        + " PROVIDER_TYPE_ID PROVIDER_GROUP_ID ASSOCIATED_ENTITY_ID:INT SUBJECT CREATED:DATETIME:ro LAST_UPDATED:DATETIME:ro"
        + " START_TIME:DATETIME END_TIME:DATETIME DEADLINE:DATETIME:ro COMPLETED:CHAR STATUS:INT RESPONSIBLE_ID:INT PRIORITY:INT"
        + " NOTIFY_TYPE:INT NOTIFY_VALUE:INT DESCRIPTION DESCRIPTION_TYPE:INT DIRECTION:INT LOCATION SETTINGS:OBJECT ORIGINATOR_ID"
        + " ORIGIN_ID ORIGIN_VERSION AUTHOR_ID:INT:ro EDITOR_ID:INT:ro PROVIDER_PARAMS:OBJECT PROVIDER_DATA RESULT_MARK:INT"
        + " RESULT_VALUE RESULT_SUM RESULT_CURRENCY_ID RESULT_STATUS:INT RESULT_STREAM:INT RESULT_SOURCE_ID AUTOCOMPLETE_RULE:INT"
        + " IS_INCOMING_CHANNEL:CHAR");
    private static final Map<String, Field> USER = fields("ID:INT ACTIVE:BOOLEAN NAME LAST_NAME SECOND_NAME EMAIL WORK_POSITION"
        + " USER_TYPE UF_DEPARTMENT:INT_LIST IS_ONLINE:CHAR");
    /** user.get filter keys compared loosely (substring), as CUser::GetList does for text fields. */
    private static final Set<String> USER_TEXT_FILTERS = Set.of("NAME", "LAST_NAME", "SECOND_NAME", "EMAIL", "WORK_POSITION");

    /** A field of a stored record: its kind and whether REST may write it. */
    record Field(FieldKind kind, boolean writable, boolean writeOnly) {
    }

    /** One lead, contact, company or deal: standard and custom fields in stored form, and multifields. */
    private static final class Entity {
        final EntityType type;
        long id;
        final ObjectNode fields;
        final Map<String, List<ObjectNode>> multi;

        Entity(EntityType type, long id, ObjectNode fields, Map<String, List<ObjectNode>> multi) {
            this.type = type;
            this.id = id;
            this.fields = fields;
            this.multi = multi;
        }

        Entity copy() {
            Map<String, List<ObjectNode>> copied = new LinkedHashMap<>();
            multi.forEach((type, values) -> {
                List<ObjectNode> list = new ArrayList<>();
                values.forEach(value -> list.add(value.deepCopy()));
                copied.put(type, list);
            });
            return new Entity(type, id, fields.deepCopy(), copied);
        }

        String text(String field) {
            JsonNode value = fields.get(field);
            return Php.isset(value) ? value.asText() : "";
        }

        long number(String field) {
            return Php.intval(fields.get(field));
        }
    }

    /** A binding of an activity to a CRM item. */
    private record Binding(int typeId, long id) {
    }

    /** One activity: its columns, communications, bindings and files. */
    private static final class Activity {
        final long id;
        ObjectNode fields;
        List<ObjectNode> communications;
        List<Binding> bindings;
        List<Bitrix24Emulator.StoredFile> files;

        Activity(long id, ObjectNode fields, List<ObjectNode> communications, List<Binding> bindings, List<Bitrix24Emulator.StoredFile> files) {
            this.id = id;
            this.fields = fields;
            this.communications = communications;
            this.bindings = bindings;
            this.files = files;
        }
    }

    /** A REST method: parameters (without {@code start}), the {@code start} the REST server took, the caller. */
    @FunctionalInterface
    interface Handler {
        MethodResult handle(ObjectNode params, long start, Caller caller);
    }

    private final PortalTime time;
    private final long ownerId;
    private final boolean simpleMode;
    private final long maxFileBytes;
    private final String baseUrl;
    private final ViolationLog violations;
    private final Map<String, Handler> methods = new HashMap<>();

    private final Map<EntityType, TreeMap<Long, Entity>> entities = new EnumMap<>(EntityType.class);
    private final Map<EntityType, Long> lastIds = new EnumMap<>(EntityType.class);
    private final TreeMap<Long, ObjectNode> users = new TreeMap<>();
    private final TreeMap<Long, Activity> activities = new TreeMap<>();
    private final List<ObjectNode> comments = new ArrayList<>();
    private long lastActivityId;
    private long lastMultiFieldId;
    private long lastCommunicationId;
    private long lastFileId;

    /**
     * @param ownerId      the webhook owner: the portal user REST calls act as by default
     * @param simpleMode   the leadless CRM mode (REST leads are converted into deals at once)
     * @param maxFileBytes the largest file an activity may carry
     * @param baseUrl      the portal's base URL, ending with {@code /}
     * @param violations   where the portal's regrettable deeds go (an outgoing e-mail sent again)
     */
    Portal(PortalTime time, long ownerId, boolean simpleMode, long maxFileBytes, String baseUrl, ViolationLog violations) {
        this.violations = violations;
        this.time = time;
        this.ownerId = ownerId;
        this.simpleMode = simpleMode;
        this.maxFileBytes = maxFileBytes;
        this.baseUrl = baseUrl;
        registerMethods();
        reset();
    }

    /** Back to a fresh portal: only the webhook owner exists, every id sequence starts at 1. */
    void reset() {
        for (EntityType type : EntityType.values()) {
            entities.put(type, new TreeMap<>());
            lastIds.put(type, 0L);
        }
        users.clear();
        activities.clear();
        comments.clear();
        lastActivityId = 0;
        lastMultiFieldId = 0;
        lastCommunicationId = 0;
        lastFileId = 0;
        ObjectNode owner = NODES.objectNode();
        owner.put("ID", ownerId);
        owner.put("NAME", "Webhook");
        owner.put("LAST_NAME", "Owner");
        owner.put("EMAIL", "webhook.owner@portal.invalid");
        owner.put("WORK_POSITION", "Administrator");
        addUser(owner);
    }

    // ------------------------------------------------------------------ dispatch

    /** Whether the portal has the method (lower-case name). */
    boolean knows(String method) {
        return methods.containsKey(method);
    }

    /** Runs a method; a failure is thrown as {@link RestError}. */
    MethodResult invoke(String method, ObjectNode params, long start, Caller caller) {
        Handler handler = methods.get(method);
        if (handler == null) {
            throw RestError.methodNotFound();
        }
        return handler.handle(params, start, caller);
    }

    private void registerMethods() {
        for (EntityType type : EntityType.values()) {
            String prefix = "crm." + type.name().toLowerCase(Locale.ROOT) + ".";
            methods.put(prefix + "add", (params, start, caller) -> MethodResult.of(NODES.numberNode(
                addEntity(type, requireFields(params), caller, false))));
            methods.put(prefix + "get", (params, start, caller) -> MethodResult.of(render(findEntity(type, entityId(params)))));
            methods.put(prefix + "update", (params, start, caller) -> updateEntity(type, params, caller));
            methods.put(prefix + "delete", (params, start, caller) -> deleteEntity(type, params));
            methods.put(prefix + "list", (params, start, caller) -> listEntities(type, params, start));
        }
        methods.put("crm.activity.add", (params, start, caller) -> MethodResult.of(NODES.numberNode(addActivity(requireFields(params), caller))));
        methods.put("crm.activity.get", (params, start, caller) -> MethodResult.of(renderActivity(findActivity(entityId(params), "Not found"))));
        methods.put("crm.activity.update", (params, start, caller) -> updateActivity(params, caller));
        methods.put("crm.activity.delete", (params, start, caller) -> {
            long id = entityId(params);
            findActivity(id, "Activity is not found.");
            activities.remove(id);
            return MethodResult.of(NODES.booleanNode(true));
        });
        methods.put("crm.activity.list", (params, start, caller) -> listActivities(params, start));
        methods.put("crm.duplicate.findbycomm", (params, start, caller) -> MethodResult.of(findByComm(params)));
        methods.put("crm.settings.mode.get", (params, start, caller) -> MethodResult.of(NODES.numberNode(simpleMode ? 2 : 1)));
        methods.put("crm.enum.settings.mode", (params, start, caller) -> MethodResult.of(enumeration(1, "Classic", 2, "Simple")));
        methods.put("crm.enum.ownertype", (params, start, caller) -> MethodResult.of(ownerTypes()));
        methods.put("crm.enum.activitytype", (params, start, caller) -> MethodResult.of(enumeration(1, "Meeting", 2, "Call", 3, "Task",
            4, "E-mail", 5, "Action", 6, "Custom")));
        methods.put("crm.enum.contenttype", (params, start, caller) -> MethodResult.of(enumeration(1, "Plain text", 2, "BB code",
            3, "HTML")));
        methods.put("crm.status.list", (params, start, caller) -> MethodResult.of(statuses(params)));
        methods.put("crm.timeline.comment.add", (params, start, caller) -> MethodResult.of(NODES.numberNode(addComment(params, caller))));
        methods.put("user.get", (params, start, caller) -> listUsers(params, start, false));
        methods.put("user.search", (params, start, caller) -> listUsers(params, start, true));
        methods.put("user.current", (params, start, caller) -> MethodResult.of(renderUser(users.get(caller.userId()))));
        methods.put("profile", (params, start, caller) -> MethodResult.of(profile(caller)));
        methods.put("app.info", (params, start, caller) -> MethodResult.of(appInfo(caller)));
        methods.put("server.time", (params, start, caller) -> MethodResult.of(NODES.textNode(time.nowText())));
    }

    // ------------------------------------------------------------------ parameters

    private static ObjectNode requireFields(ObjectNode params) {
        JsonNode fields = Php.resolveArrayParam(params, "fields");
        if (!Php.isArray(fields)) {
            throw RestError.crm("Parameter 'fields' must be array.");
        }
        return fields.isObject() ? (ObjectNode) fields : listAsObject(fields);
    }

    private static ObjectNode listAsObject(JsonNode list) {
        ObjectNode object = NODES.objectNode();
        int i = 0;
        for (JsonNode element : list) {
            object.set(Integer.toString(i++), element);
        }
        return object;
    }

    /** {@code id} or {@code ID}, an integer above 0, else "ID is not defined or invalid." */
    private static long entityId(ObjectNode params) {
        long id = Php.intval(Php.resolveParam(params, "id"));
        if (id <= 0) {
            throw RestError.crm("ID is not defined or invalid.");
        }
        return id;
    }

    private static JsonNode arrayParam(ObjectNode params, String name) {
        JsonNode value = Php.resolveArrayParam(params, name);
        if (value != null && !Php.isArray(value)) {
            throw RestError.crm("Parameter '" + name + "' must be array.");
        }
        return value;
    }

    // ------------------------------------------------------------------ schemas

    private static Map<EntityType, Map<String, Field>> schemas() {
        String common = " ASSIGNED_BY_ID:INT CREATED_BY_ID:INT:ro MODIFY_BY_ID:INT:ro DATE_CREATE:DATETIME:ro DATE_MODIFY:DATETIME:ro"
            + " OPENED:CHAR ORIGINATOR_ID ORIGIN_ID UTM_SOURCE UTM_MEDIUM UTM_CAMPAIGN UTM_CONTENT UTM_TERM LAST_ACTIVITY_BY:INT:ro"
            + " LAST_ACTIVITY_TIME:DATETIME:ro";
        Map<EntityType, Map<String, Field>> schemas = new EnumMap<>(EntityType.class);
        schemas.put(EntityType.LEAD, fields("ID:INT:ro TITLE HONORIFIC NAME SECOND_NAME LAST_NAME COMPANY_TITLE COMPANY_ID:INT"
            + " CONTACT_ID:INT IS_RETURN_CUSTOMER:CHAR:ro BIRTHDATE:DATE SOURCE_ID SOURCE_DESCRIPTION STATUS_ID STATUS_DESCRIPTION"
            + " POST ADDRESS COMMENTS CURRENCY_ID OPPORTUNITY:MONEY IS_MANUAL_OPPORTUNITY:CHAR HAS_PHONE:CHAR:ro HAS_EMAIL:CHAR:ro"
            + " HAS_IMOL:CHAR:ro DATE_CLOSED:DATETIME:ro STATUS_SEMANTIC_ID:STRING:ro MOVED_BY_ID:INT:ro MOVED_TIME:DATETIME:ro"
            + " CONTACT_IDS:STRING:wo" + common));
        schemas.put(EntityType.CONTACT, fields("ID:INT:ro HONORIFIC NAME SECOND_NAME LAST_NAME PHOTO BIRTHDATE:DATE TYPE_ID"
            + " SOURCE_ID SOURCE_DESCRIPTION POST ADDRESS COMMENTS EXPORT:CHAR HAS_PHONE:CHAR:ro HAS_EMAIL:CHAR:ro HAS_IMOL:CHAR:ro"
            + " COMPANY_ID:INT LEAD_ID:INT ORIGIN_VERSION COMPANY_IDS:STRING:wo" + common));
        schemas.put(EntityType.COMPANY, fields("ID:INT:ro TITLE COMPANY_TYPE LOGO ADDRESS ADDRESS_LEGAL BANKING_DETAILS INDUSTRY"
            + " REVENUE:MONEY CURRENCY_ID EMPLOYEES COMMENTS IS_MY_COMPANY:CHAR HAS_PHONE:CHAR:ro HAS_EMAIL:CHAR:ro HAS_IMOL:CHAR:ro"
            + " LEAD_ID:INT ORIGIN_VERSION" + common));
        schemas.put(EntityType.DEAL, fields("ID:INT:ro TITLE TYPE_ID STAGE_ID PROBABILITY:INT CURRENCY_ID OPPORTUNITY:MONEY"
            + " IS_MANUAL_OPPORTUNITY:CHAR TAX_VALUE:MONEY LEAD_ID:INT COMPANY_ID:INT CONTACT_ID:INT QUOTE_ID:INT BEGINDATE:DATE"
            + " CLOSEDATE:DATE CLOSED:CHAR:ro COMMENTS ADDITIONAL_INFO LOCATION_ID CATEGORY_ID:INT STAGE_SEMANTIC_ID:STRING:ro"
            + " IS_NEW:CHAR:ro IS_RECURRING:CHAR IS_RETURN_CUSTOMER:CHAR IS_REPEATED_APPROACH:CHAR SOURCE_ID SOURCE_DESCRIPTION"
            + " MOVED_BY_ID:INT:ro MOVED_TIME:DATETIME:ro CONTACT_IDS:STRING:wo" + common));
        return Collections.unmodifiableMap(schemas);
    }

    /** Parses {@code NAME[:KIND][:ro|:wo]} words into an ordered schema. */
    private static Map<String, Field> fields(String spec) {
        Map<String, Field> fields = new LinkedHashMap<>();
        for (String word : spec.trim().split("\\s+")) {
            String[] parts = word.split(":");
            FieldKind kind = parts.length > 1 ? FieldKind.valueOf(parts[1]) : FieldKind.STRING;
            String access = parts.length > 2 ? parts[2] : "";
            fields.put(parts[0], new Field(kind, !access.equals("ro"), access.equals("wo")));
        }
        return Collections.unmodifiableMap(fields);
    }

    private static Map<String, String> orderedMap(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    private static boolean hasMultiFields(EntityType type) {
        return type != EntityType.DEAL;
    }

    private ListQuery.Schema entitySchema(EntityType type) {
        Map<String, Field> schema = SCHEMAS.get(type);
        return new ListQuery.Schema() {
            @Override
            public Optional<FieldKind> kind(String field) {
                Field known = schema.get(field);
                if (known != null) {
                    return known.writeOnly() ? Optional.empty() : Optional.of(known.kind());
                }
                if (hasMultiFields(type) && MULTI_TYPES.contains(field)) {
                    return Optional.of(FieldKind.MULTI);
                }
                return field.startsWith("UF_") ? Optional.of(FieldKind.STRING) : Optional.empty();
            }

            @Override
            public List<JsonNode> values(ObjectNode row, String field) {
                if (MULTI_TYPES.contains(field) && hasMultiFields(type)) {
                    List<JsonNode> values = new ArrayList<>();
                    Php.elements(row.get(field)).forEach(item -> values.add(item.get("VALUE")));
                    return values;
                }
                List<JsonNode> values = new ArrayList<>();
                values.add(row.get(field));
                return values;
            }
        };
    }

    // ------------------------------------------------------------------ entities

    private Entity findEntity(EntityType type, long id) {
        Entity entity = entities.get(type).get(id);
        if (entity == null) {
            throw RestError.crm("Not found");
        }
        return entity;
    }

    /** Whether the item exists. */
    boolean exists(EntityType type, long id) {
        return entities.get(type).containsKey(id);
    }

    /**
     * Adds a lead, contact, company or deal.
     *
     * @param seeding a test set-up through the Java API: may also set DATE_CREATE/DATE_MODIFY and the author
     */
    long addEntity(EntityType type, ObjectNode fields, Caller caller, boolean seeding) {
        Entity draft = new Entity(type, 0, NODES.objectNode(), new LinkedHashMap<>());
        write(draft, fields, true, caller, seeding);
        long id = lastIds.get(type) + 1;
        lastIds.put(type, id);
        draft.id = id;
        draft.fields.put("ID", Long.toString(id));
        if (type == EntityType.DEAL && draft.text("TITLE").isBlank()) {
            draft.fields.put("TITLE", "Deal #" + id);
        }
        if (type == EntityType.LEAD && draft.text("TITLE").isBlank()) {
            draft.fields.put("TITLE", "Lead #" + id);
        }
        entities.get(type).put(id, draft);
        if (type == EntityType.LEAD && simpleMode && !draft.text("NAME").isBlank()) {
            convertLead(draft, caller);
        }
        return id;
    }

    private MethodResult updateEntity(EntityType type, ObjectNode params, Caller caller) {
        long id = entityId(params);
        ObjectNode fields = requireFields(params);
        Entity draft = findEntity(type, id).copy();
        write(draft, fields, false, caller, false);
        entities.get(type).put(id, draft);
        return MethodResult.of(NODES.booleanNode(true));
    }

    private MethodResult deleteEntity(EntityType type, ObjectNode params) {
        long id = entityId(params);
        findEntity(type, id);
        entities.get(type).remove(id);
        return MethodResult.of(NODES.booleanNode(true));
    }

    /**
     * Writes {@code fields} onto a draft: known writable fields (unknown ones ignored, as the portal
     * does), custom {@code UF_*} fields as given, multifields with append/overwrite/delete semantics
     * (bitrix24-api §6.2), then the derived fields and the checks. The draft replaces the stored record
     * only when everything passed, so a refused write changes nothing.
     */
    private void write(Entity draft, ObjectNode fields, boolean adding, Caller caller, boolean seeding) {
        Map<String, Field> schema = SCHEMAS.get(draft.type);
        String oldStatus = draft.text(draft.type == EntityType.DEAL ? "STAGE_ID" : "STATUS_ID");
        Iterator<Map.Entry<String, JsonNode>> entries = fields.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            String name = entry.getKey();
            JsonNode value = entry.getValue();
            Field field = schema.get(name);
            if (field != null) {
                if (field.writeOnly()) {
                    continue; // CONTACT_IDS / COMPANY_IDS: handled below
                }
                if (field.writable() || (seeding && SEEDABLE.contains(name))) {
                    draft.fields.set(name, internalize(name, field.kind(), value));
                }
            } else if (hasMultiFields(draft.type) && MULTI_TYPES.contains(name)) {
                writeMultiField(draft, name, value, adding);
            } else if (name.startsWith("UF_")) {
                draft.fields.set(name, value == null ? NODES.nullNode() : value.deepCopy());
            }
        }
        String idsField = draft.type == EntityType.CONTACT ? "COMPANY_IDS" : "CONTACT_IDS";
        String primaryField = draft.type == EntityType.CONTACT ? "COMPANY_ID" : "CONTACT_ID";
        JsonNode ids = fields.get(idsField);
        if (schema.containsKey(idsField) && Php.isArray(ids) && !Php.isset(fields.get(primaryField))) {
            Php.elements(ids).stream().map(Php::intval).filter(id -> id > 0).findFirst()
                .ifPresent(id -> draft.fields.put(primaryField, Long.toString(id)));
        }
        String now = time.nowText();
        if (adding) {
            setIfUnset(draft, "CREATED_BY_ID", Long.toString(caller.userId()));
            setIfUnset(draft, "DATE_CREATE", now);
            setIfUnset(draft, "OPENED", "Y");
        }
        if (!(seeding && Php.isset(fields.get("MODIFY_BY_ID")))) {
            draft.fields.put("MODIFY_BY_ID", Long.toString(caller.userId()));
        }
        if (!(seeding && Php.isset(fields.get("DATE_MODIFY")))) {
            draft.fields.put("DATE_MODIFY", seeding && adding && Php.isset(fields.get("DATE_CREATE")) ? draft.text("DATE_CREATE") : now);
        }
        if (draft.number("ASSIGNED_BY_ID") <= 0) {
            draft.fields.put("ASSIGNED_BY_ID", Long.toString(caller.userId()));
        }
        long assigned = draft.number("ASSIGNED_BY_ID");
        if (!users.containsKey(assigned)) {
            throw RestError.crm("The field ASSIGNED_BY_ID refers to user " + assigned + ", who does not exist on this portal.");
        }
        switch (draft.type) {
            case LEAD:
                deriveLead(draft, adding, oldStatus, caller);
                break;
            case DEAL:
                deriveDeal(draft, adding, oldStatus, caller);
                break;
            case COMPANY:
                if (draft.text("TITLE").isBlank()) {
                    throw RestError.crm("The field TITLE (company name) is required.");
                }
                break;
            default:
                break;
        }
        checkReference(draft, "CONTACT_ID", EntityType.CONTACT);
        checkReference(draft, "COMPANY_ID", EntityType.COMPANY);
        checkReference(draft, "LEAD_ID", EntityType.LEAD);
        if (hasMultiFields(draft.type)) {
            draft.fields.put("HAS_EMAIL", draft.multi.getOrDefault("EMAIL", List.of()).isEmpty() ? "N" : "Y");
            draft.fields.put("HAS_PHONE", draft.multi.getOrDefault("PHONE", List.of()).isEmpty() ? "N" : "Y");
            draft.fields.put("HAS_IMOL", "N");
        }
    }

    private static void setIfUnset(Entity draft, String field, String value) {
        if (!Php.isset(draft.fields.get(field)) || draft.text(field).isEmpty()) {
            draft.fields.put(field, value);
        }
    }

    private void checkReference(Entity draft, String field, EntityType target) {
        if (!SCHEMAS.get(draft.type).containsKey(field)) {
            return;
        }
        long id = draft.number(field);
        if (id > 0 && !exists(target, id)) {
            throw RestError.crm("Could not find '" + target.name() + "' with ID: " + id);
        }
    }

    private void deriveLead(Entity lead, boolean adding, String oldStatus, Caller caller) {
        if (lead.text("STATUS_ID").isEmpty()) {
            lead.fields.put("STATUS_ID", "NEW");
        }
        String status = lead.text("STATUS_ID");
        String semantic = LEAD_STATUSES.get(status);
        if (semantic == null) {
            throw RestError.crm("Invalid value for the \"Status\" field: '" + status + "' is not a lead status of this portal ("
                + String.join(", ", LEAD_STATUSES.keySet()) + ").");
        }
        lead.fields.put("STATUS_SEMANTIC_ID", semantic);
        if (adding || !status.equals(oldStatus)) {
            lead.fields.put("MOVED_BY_ID", Long.toString(caller.userId()));
            lead.fields.put("MOVED_TIME", time.nowText());
        }
        lead.fields.put("DATE_CLOSED", semantic.equals("P") ? "" : lead.text("DATE_CLOSED").isEmpty() ? time.nowText() : lead.text("DATE_CLOSED"));
        // IS_RETURN_CUSTOMER cannot be written: it follows the client named on the lead (bitrix24-api §7.1)
        lead.fields.put("IS_RETURN_CUSTOMER", lead.number("CONTACT_ID") > 0 || lead.number("COMPANY_ID") > 0 ? "Y" : "N");
        setIfUnset(lead, "CURRENCY_ID", "USD");
        setIfUnset(lead, "OPPORTUNITY", "0.00");
    }

    private void deriveDeal(Entity deal, boolean adding, String oldStage, Caller caller) {
        long category = deal.number("CATEGORY_ID");
        if (category < 0) {
            throw RestError.crm("Invalid value for the \"Pipeline\" field: " + category + ".");
        }
        deal.fields.put("CATEGORY_ID", Long.toString(category));
        String prefix = category == 0 ? "" : "C" + category + ":";
        if (deal.text("STAGE_ID").isEmpty()) {
            deal.fields.put("STAGE_ID", prefix + "NEW");
        }
        String stage = deal.text("STAGE_ID");
        String name = stage.startsWith(prefix) ? stage.substring(prefix.length()) : "";
        String semantic = name.contains(":") ? null : DEAL_STAGES.get(name);
        if (semantic == null) {
            throw RestError.crm("Invalid value for the \"Stage\" field: '" + stage + "' is not a stage of pipeline " + category + ".");
        }
        deal.fields.put("STAGE_SEMANTIC_ID", semantic);
        deal.fields.put("CLOSED", semantic.equals("P") ? "N" : "Y");
        deal.fields.put("IS_NEW", name.equals("NEW") ? "Y" : "N");
        if (adding || !stage.equals(oldStage)) {
            deal.fields.put("MOVED_BY_ID", Long.toString(caller.userId()));
            deal.fields.put("MOVED_TIME", time.nowText());
        }
        LocalDate today = time.dateOf(time.now());
        setIfUnset(deal, "BEGINDATE", time.formatDate(today));
        setIfUnset(deal, "CLOSEDATE", time.formatDate(today.plusDays(7)));
        setIfUnset(deal, "IS_RETURN_CUSTOMER", "N");
        setIfUnset(deal, "IS_REPEATED_APPROACH", "N");
        setIfUnset(deal, "IS_RECURRING", "N");
        setIfUnset(deal, "IS_MANUAL_OPPORTUNITY", "N");
        setIfUnset(deal, "CURRENCY_ID", "USD");
        setIfUnset(deal, "OPPORTUNITY", "0.00");
    }

    /** REST input to stored form for one field. */
    private JsonNode internalize(String name, FieldKind kind, JsonNode value) {
        if (!Php.isset(value)) {
            return NODES.nullNode();
        }
        switch (kind) {
            case INT: {
                long number = Php.intval(value);
                return number > 0 || name.equals("CATEGORY_ID") ? NODES.textNode(Long.toString(number)) : NODES.nullNode();
            }
            case CHAR:
                return NODES.textNode(yes(value) ? "Y" : "N");
            case DATETIME:
            case DATE: {
                String text = Php.string(value);
                if (text.isBlank()) {
                    return NODES.textNode("");
                }
                Instant instant = time.parse(text).orElseThrow(() -> RestError.crm("The field " + name
                    + " has an invalid date-time value '" + text + "' (expected ISO-8601, e.g. 2026-05-14T10:26:32+02:00)."));
                return NODES.textNode(kind == FieldKind.DATE ? time.formatDate(time.dateOf(instant)) : time.format(instant));
            }
            case MONEY:
                try {
                    return NODES.textNode(new BigDecimal(Php.string(value).strip()).setScale(2, RoundingMode.HALF_UP).toPlainString());
                } catch (NumberFormatException notANumber) {
                    return NODES.textNode("0.00");
                }
            case OBJECT:
                return value.deepCopy();
            default:
                return NODES.textNode(Php.string(value));
        }
    }

    /** A Y/N flag as the REST layer reads it: "Y" (any case), {@code true} or 1 mean yes. */
    private static boolean yes(JsonNode value) {
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isNumber()) {
            return value.intValue() == 1;
        }
        return Php.string(value).strip().equalsIgnoreCase("Y");
    }

    private void writeMultiField(Entity draft, String type, JsonNode value, boolean adding) {
        if (!Php.isArray(value)) {
            return; // a plain string is not a multifield array: the portal ignores it
        }
        List<ObjectNode> current = draft.multi.computeIfAbsent(type, key -> new ArrayList<>());
        for (JsonNode item : Php.elements(value)) {
            if (!Php.isArray(item) || !item.isObject()) {
                continue;
            }
            long id = adding ? 0 : Php.intval(item.get("ID"));
            String text = Php.string(item.get("VALUE")).strip();
            String valueType = Php.string(item.get("VALUE_TYPE")).strip();
            if (id > 0) {
                Optional<ObjectNode> existing = current.stream().filter(node -> Php.intval(node.get("ID")) == id).findFirst();
                if (existing.isEmpty()) {
                    continue;
                }
                if (Php.string(item.get("DELETE")).equals("Y") || text.isEmpty()) {
                    current.remove(existing.get());
                    continue;
                }
                String newType = valueType.isEmpty() ? existing.get().get("VALUE_TYPE").asText() : valueType;
                validateMultiValue(type, newType, text);
                existing.get().put("VALUE_TYPE", newType);
                existing.get().put("VALUE", text);
                continue;
            }
            if (text.isEmpty()) {
                continue;
            }
            String newType = valueType.isEmpty() ? "WORK" : valueType;
            validateMultiValue(type, newType, text);
            ObjectNode node = NODES.objectNode();
            node.put("ID", Long.toString(++lastMultiFieldId));
            node.put("VALUE_TYPE", newType);
            node.put("VALUE", text);
            node.put("TYPE_ID", type);
            current.add(node);
        }
        if (current.isEmpty()) {
            draft.multi.remove(type);
        }
    }

    private static void validateMultiValue(String type, String valueType, String value) {
        if (type.equals("EMAIL") && !EMAIL.matcher(value).matches()) {
            throw new RestError(400, "ERROR_CORE", "The field `" + EMAIL_LABELS.getOrDefault(valueType, "E-mail")
                + "` contains an invalid address");
        }
    }

    /** A stored item as {@code *.get} returns it: every standard field, non-empty multifields, custom fields. */
    private ObjectNode render(Entity entity) {
        ObjectNode out = NODES.objectNode();
        SCHEMAS.get(entity.type).forEach((name, field) -> {
            if (field.writeOnly()) {
                return;
            }
            JsonNode value = entity.fields.get(name);
            if (value != null) {
                out.set(name, value.deepCopy());
            } else {
                out.set(name, field.kind() == FieldKind.DATE || field.kind() == FieldKind.DATETIME ? NODES.textNode("") : NODES.nullNode());
            }
        });
        for (String type : MULTI_TYPES) {
            List<ObjectNode> values = entity.multi.get(type);
            if (values != null && !values.isEmpty()) {
                ArrayNode array = out.putArray(type);
                values.forEach(value -> array.add(value.deepCopy()));
            }
        }
        entity.fields.fields().forEachRemaining(entry -> {
            if (entry.getKey().startsWith("UF_")) {
                out.set(entry.getKey(), entry.getValue().deepCopy());
            }
        });
        return out;
    }

    private MethodResult listEntities(EntityType type, ObjectNode params, long start) {
        JsonNode order = arrayParam(params, "order");
        JsonNode filter = arrayParam(params, "filter");
        JsonNode select = Php.resolveArrayParam(params, "select");
        ListQuery.Schema schema = entitySchema(type);
        Predicate<ObjectNode> matches = ListQuery.filter(filter, schema, time);
        List<ObjectNode> rows = new ArrayList<>();
        for (Entity entity : entities.get(type).values()) {
            ObjectNode row = render(entity);
            if (matches.test(row)) {
                rows.add(row);
            }
        }
        rows.sort(ListQuery.order(order, schema, time, Comparator.comparingLong(row -> Php.intval(row.get("ID")))));
        ListQuery.Page page = ListQuery.page(rows, start);
        ArrayNode result = NODES.arrayNode();
        page.rows().forEach(row -> result.add(project(type, row, select)));
        return new MethodResult(result, page.total(), page.next());
    }

    /**
     * The {@code select} of legacy lists: {@code *} is every standard field, {@code UF_*} every custom
     * field, multifields only when named exactly (then ID is added, as the portal needs it to attach
     * them); no select means {@code *} + {@code UF_*}.
     */
    private static ObjectNode project(EntityType type, ObjectNode row, JsonNode select) {
        List<String> names = new ArrayList<>();
        if (Php.isArray(select)) {
            Php.elements(select).forEach(name -> names.add(Php.string(name)));
        }
        if (names.isEmpty()) {
            names.add("*");
            names.add("UF_*");
        }
        boolean all = names.contains("*");
        boolean allCustom = names.contains("UF_*");
        boolean anyMulti = MULTI_TYPES.stream().anyMatch(names::contains) && hasMultiFields(type);
        ObjectNode out = NODES.objectNode();
        SCHEMAS.get(type).forEach((name, field) -> {
            if (!field.writeOnly() && (all || names.contains(name) || (anyMulti && name.equals("ID")))) {
                out.set(name, row.get(name));
            }
        });
        if (hasMultiFields(type)) {
            for (String multi : MULTI_TYPES) {
                if (names.contains(multi) && row.has(multi)) {
                    out.set(multi, row.get(multi));
                }
            }
        }
        row.fields().forEachRemaining(entry -> {
            if (entry.getKey().startsWith("UF_") && (allCustom || names.contains(entry.getKey()))) {
                out.set(entry.getKey(), entry.getValue());
            }
        });
        return out;
    }

    /**
     * Simple (leadless) mode: a REST lead with a NAME is converted at once into a deal (and a contact
     * unless the lead names one); the lead ends CONVERTED and the deal carries LEAD_ID (bitrix24-api §7.1).
     */
    private void convertLead(Entity lead, Caller caller) {
        long contactId = lead.number("CONTACT_ID");
        if (contactId <= 0) {
            ObjectNode contact = NODES.objectNode();
            for (String field : List.of("NAME", "SECOND_NAME", "LAST_NAME", "SOURCE_ID", "ASSIGNED_BY_ID", "OPENED")) {
                if (Php.isset(lead.fields.get(field))) {
                    contact.set(field, lead.fields.get(field));
                }
            }
            contact.put("TYPE_ID", "CLIENT");
            contact.put("LEAD_ID", Long.toString(lead.id));
            lead.multi.forEach((type, values) -> {
                ArrayNode items = contact.putArray(type);
                values.forEach(value -> items.addObject().put("VALUE", value.get("VALUE").asText())
                    .put("VALUE_TYPE", value.get("VALUE_TYPE").asText()));
            });
            contactId = addEntity(EntityType.CONTACT, contact, caller, false);
        }
        ObjectNode deal = NODES.objectNode();
        for (String field : List.of("TITLE", "ASSIGNED_BY_ID", "SOURCE_ID", "SOURCE_DESCRIPTION", "OPPORTUNITY", "CURRENCY_ID",
            "COMMENTS", "OPENED", "COMPANY_ID")) {
            if (Php.isset(lead.fields.get(field))) {
                deal.set(field, lead.fields.get(field));
            }
        }
        deal.put("LEAD_ID", Long.toString(lead.id));
        deal.put("CONTACT_ID", Long.toString(contactId));
        deal.put("IS_RETURN_CUSTOMER", lead.text("IS_RETURN_CUSTOMER").equals("Y") ? "Y" : "N");
        addEntity(EntityType.DEAL, deal, caller, false);
        lead.fields.put("STATUS_ID", "CONVERTED");
        lead.fields.put("STATUS_SEMANTIC_ID", "S");
        lead.fields.put("DATE_CLOSED", time.nowText());
    }

    /** Snapshots of every item of a type, as {@code *.get} returns them. */
    List<ObjectNode> snapshot(EntityType type) {
        List<ObjectNode> rows = new ArrayList<>();
        entities.get(type).values().forEach(entity -> rows.add(render(entity)));
        return rows;
    }

    // ------------------------------------------------------------------ duplicates

    /**
     * {@code crm.duplicate.findbycomm} as the portal's source does it: at most 20 distinct non-empty
     * string values processed (the rest ignored), each lookup capped at 20 matches across types, ids as
     * numbers, {@code []} when nothing matches (bitrix24-api §7.5).
     */
    private JsonNode findByComm(ObjectNode params) {
        String type = Php.string(Php.resolveParam(params, "type")).toUpperCase(Locale.ROOT);
        if (!type.equals("EMAIL") && !type.equals("PHONE")) {
            throw RestError.crm(type.isEmpty() ? "Communication type is not defined."
                : "Communication type '" + type + "' is not supported in current context.");
        }
        JsonNode values = Php.resolveArrayParam(params, "values");
        if (!Php.isArray(values) || values.size() == 0) {
            throw RestError.crm("Communication values is not defined.");
        }
        String entityTypeName = Php.string(Php.resolveMultiPartParam(params, "entity", "type"));
        Optional<EntityType> only = EntityType.resolve(entityTypeName);
        if (only.isPresent() && only.get() == EntityType.DEAL) {
            throw RestError.crm("Deal is not supported in current context.");
        }
        Map<String, List<Long>> found = new LinkedHashMap<>();
        Set<String> seen = new LinkedHashSet<>();
        for (JsonNode value : Php.elements(values)) {
            if (!value.isTextual() || value.textValue().isEmpty()) {
                continue; // the portal skips anything that is not a non-empty string
            }
            String normalized = normalizeCommunication(type, value.textValue());
            if (!seen.add(normalized)) {
                continue;
            }
            int matches = 0;
            for (EntityType entityType : List.of(EntityType.LEAD, EntityType.CONTACT, EntityType.COMPANY)) {
                if (only.isPresent() && only.get() != entityType) {
                    continue;
                }
                for (Entity entity : entities.get(entityType).values()) {
                    if (matches >= 20) {
                        break;
                    }
                    boolean match = entity.multi.getOrDefault(type, List.of()).stream()
                        .anyMatch(item -> normalizeCommunication(type, item.get("VALUE").asText()).equals(normalized));
                    if (match) {
                        matches++;
                        List<Long> ids = found.computeIfAbsent(entityType.name(), key -> new ArrayList<>());
                        if (!ids.contains(entity.id)) {
                            ids.add(entity.id);
                        }
                    }
                }
            }
            if (seen.size() >= 20) {
                break;
            }
        }
        if (found.isEmpty()) {
            return NODES.arrayNode();
        }
        ObjectNode result = NODES.objectNode();
        found.forEach((name, ids) -> {
            ArrayNode array = result.putArray(name);
            ids.forEach(array::add);
        });
        return result;
    }

    private static String normalizeCommunication(String type, String value) {
        if (type.equals("PHONE")) {
            return value.replaceAll("[^0-9]", "");
        }
        return value.strip().toLowerCase(Locale.ROOT);
    }

    // ------------------------------------------------------------------ activities

    private Activity findActivity(long id, String notFound) {
        Activity activity = activities.get(id);
        if (activity == null) {
            throw RestError.crm(notFound);
        }
        return activity;
    }

    private Optional<Entity> entity(int typeId, long id) {
        return EntityType.byId(typeId).map(type -> entities.get(type).get(id));
    }

    /**
     * {@code crm.activity.add} in the order of {@code CCrmActivityRestProxy::innerAdd}: responsible,
     * type, communications, bindings, then the fields; an outgoing e-mail created completed is recorded
     * as re-sent to the client (bitrix24-api §7.6).
     */
    private long addActivity(ObjectNode fields, Caller caller) {
        int ownerTypeId = (int) Php.intval(fields.get("OWNER_TYPE_ID"));
        long ownerId = Php.intval(fields.get("OWNER_ID"));
        Map<String, Binding> bindings = new LinkedHashMap<>();
        if (ownerTypeId > 0 && ownerId > 0) {
            bindings.put(ownerTypeId + "_" + ownerId, new Binding(ownerTypeId, ownerId));
        }
        long responsibleId = Php.intval(fields.get("RESPONSIBLE_ID"));
        if (responsibleId <= 0 && ownerTypeId > 0 && ownerId > 0) {
            responsibleId = entity(ownerTypeId, ownerId).map(owner -> owner.number("ASSIGNED_BY_ID")).orElse(0L);
        }
        if (responsibleId <= 0) {
            responsibleId = caller.userId();
        }
        if (responsibleId <= 0 || !users.containsKey(responsibleId)) {
            throw RestError.crm("The field RESPONSIBLE_ID is not defined or invalid.");
        }
        int typeId = Php.isset(fields.get("TYPE_ID")) ? (int) Php.intval(fields.get("TYPE_ID")) : 0;
        if (typeId < 1 || typeId > 6) {
            throw RestError.crm("The field TYPE_ID is not defined or invalid.");
        }
        if (typeId == 3 || typeId == 5) {
            // the portal's message, with its misplaced quote
            throw RestError.crm("The activity type \"" + (typeId == 3 ? "Task" : "Action") + " is not supported in current context\".");
        }
        if (typeId == 6 && Php.string(fields.get("PROVIDER_ID")).isBlank()) {
            throw RestError.crm("The custom activity without provider is not supported in current context.");
        }
        List<ObjectNode> communications = prepareCommunications(ownerTypeId, ownerId, typeId, fields.get("COMMUNICATIONS"), bindings);
        if (communications.isEmpty() && typeId != 6) {
            throw RestError.crm("The field COMMUNICATIONS is not defined or invalid.");
        }
        if ((typeId == 1 || typeId == 2) && communications.size() > 1) {
            throw RestError.crm("The only one communication is allowed for activity of specified type.");
        }
        if (bindings.isEmpty()) {
            throw RestError.crm("Could not build binding. Please ensure that owner info and communications are defined correctly.");
        }
        checkBindings(bindings.values());
        Binding owner = bindings.values().iterator().next();
        ObjectNode row = NODES.objectNode();
        String now = time.nowText();
        row.put("OWNER_ID", Long.toString(ownerTypeId > 0 && ownerId > 0 ? ownerId : owner.id()));
        row.put("OWNER_TYPE_ID", Integer.toString(ownerTypeId > 0 && ownerId > 0 ? ownerTypeId : owner.typeId()));
        row.put("TYPE_ID", Integer.toString(typeId));
        row.put("PROVIDER_ID", typeId == 6 ? Php.string(fields.get("PROVIDER_ID")) : List.of("CRM_MEETING", "VOXIMPLANT_CALL", "",
            "CRM_EMAIL").get(typeId - 1));
        row.put("PROVIDER_TYPE_ID", typeId == 6 ? Php.string(fields.get("PROVIDER_TYPE_ID")) : List.of("MEETING", "CALL", "", "EMAIL")
            .get(typeId - 1));
        row.putNull("PROVIDER_GROUP_ID");
        row.put("ASSOCIATED_ENTITY_ID", "0");
        row.put("CREATED", now);
        row.put("COMPLETED", "N");
        row.put("STATUS", "1");
        row.put("RESPONSIBLE_ID", Long.toString(responsibleId));
        row.put("PRIORITY", "2");
        row.put("NOTIFY_TYPE", "0");
        row.put("NOTIFY_VALUE", "0");
        row.put("DESCRIPTION", "");
        row.put("DESCRIPTION_TYPE", "1");
        row.put("DIRECTION", "0");
        row.put("LOCATION", "");
        row.set("SETTINGS", NODES.arrayNode());
        row.putNull("ORIGINATOR_ID");
        row.putNull("ORIGIN_ID");
        row.putNull("ORIGIN_VERSION");
        row.put("AUTHOR_ID", Long.toString(caller.userId()));
        row.put("EDITOR_ID", Long.toString(caller.userId()));
        row.set("PROVIDER_PARAMS", NODES.arrayNode());
        row.putNull("PROVIDER_DATA");
        row.put("RESULT_MARK", "0");
        row.putNull("RESULT_VALUE");
        row.putNull("RESULT_SUM");
        row.putNull("RESULT_CURRENCY_ID");
        row.put("RESULT_STATUS", "0");
        row.put("RESULT_STREAM", "0");
        row.putNull("RESULT_SOURCE_ID");
        row.put("AUTOCOMPLETE_RULE", "0");
        row.put("IS_INCOMING_CHANNEL", "N");
        applyActivityFields(row, fields, true);
        List<Bitrix24Emulator.StoredFile> files = new ArrayList<>();
        applyFiles(files, fields.get("FILES"));
        long id = ++lastActivityId;
        row.put("ID", Long.toString(id));
        List<ObjectNode> stored = storeCommunications(id, communications);
        Activity activity = new Activity(id, orderActivity(row), stored, new ArrayList<>(bindings.values()), files);
        activities.put(id, activity);
        boolean completed = row.get("COMPLETED").asText().equals("Y");
        if (completed && typeId == 4 && row.get("DIRECTION").asText().equals("2")) {
            // a real portal now sends this e-mail to the communication addresses (CCrmActivityEmailSender::TrySendEmail)
            violations.record(Violation.Kind.EMAIL_SENT_TO_CLIENT, "crm.activity.add",
                "an outgoing e-mail activity created with COMPLETED=Y: the portal sends the e-mail to the client again",
                EVIDENCE.convertValue(snapshotActivity(activity), new TypeReference<LinkedHashMap<String, Object>>() {
                }));
        }
        return id;
    }

    private ObjectNode orderActivity(ObjectNode row) {
        ObjectNode ordered = NODES.objectNode();
        ordered.set("ID", row.get("ID"));
        ACTIVITY.keySet().forEach(name -> {
            if (row.has(name)) {
                ordered.set(name, row.get(name));
            }
        });
        return ordered;
    }

    /** Writes SUBJECT, times, flags, description, origin and settings, with their checks. */
    private void applyActivityFields(ObjectNode row, ObjectNode fields, boolean adding) {
        if (adding || fields.has("SUBJECT")) {
            String subject = Php.string(fields.get("SUBJECT"));
            if (subject.isBlank()) {
                throw RestError.crm("The field SUBJECT is not defined or empty.");
            }
            row.put("SUBJECT", subject);
        }
        if (Php.isset(fields.get("COMPLETED"))) {
            boolean completed = Php.string(fields.get("COMPLETED")).strip().equalsIgnoreCase("Y") || (fields.get("COMPLETED").isBoolean()
                && fields.get("COMPLETED").booleanValue());
            row.put("COMPLETED", completed ? "Y" : "N");
            row.put("STATUS", completed ? "2" : "1");
        }
        checkedInt(row, fields, "DIRECTION", 0, 2);
        checkedInt(row, fields, "DESCRIPTION_TYPE", 1, 3);
        checkedInt(row, fields, "PRIORITY", 1, 3);
        checkedInt(row, fields, "NOTIFY_TYPE", 0, 3);
        if (fields.has("NOTIFY_VALUE")) {
            row.put("NOTIFY_VALUE", Long.toString(Php.intval(fields.get("NOTIFY_VALUE"))));
        }
        for (String text : List.of("DESCRIPTION", "LOCATION", "ORIGINATOR_ID", "ORIGIN_ID", "ORIGIN_VERSION", "PROVIDER_DATA")) {
            if (fields.has(text)) {
                row.set(text, Php.isset(fields.get(text)) ? NODES.textNode(Php.string(fields.get(text))) : NODES.nullNode());
            }
        }
        if (fields.has("IS_INCOMING_CHANNEL")) {
            row.put("IS_INCOMING_CHANNEL", yes(fields.get("IS_INCOMING_CHANNEL")) ? "Y" : "N");
        }
        if (fields.has("SETTINGS")) {
            JsonNode settings = fields.get("SETTINGS");
            row.set("SETTINGS", Php.isArray(settings) && settings.size() > 0 ? settings.deepCopy() : NODES.arrayNode());
        }
        for (String name : List.of("START_TIME", "END_TIME")) {
            if (Php.isset(fields.get(name)) && !Php.string(fields.get(name)).isBlank()) {
                String text = Php.string(fields.get(name));
                Instant instant = time.parse(text).orElseThrow(() -> RestError.crm("The field " + name
                    + " has an invalid date-time value '" + text + "' (expected ISO-8601, e.g. 2026-05-14T10:26:32+02:00)."));
                row.put(name, time.format(instant));
            }
        }
        if (!row.has("START_TIME")) {
            row.put("START_TIME", time.nowText());
        }
        if (!row.has("END_TIME")) {
            row.put("END_TIME", row.get("START_TIME").asText());
        }
        int typeId = (int) Php.intval(row.get("TYPE_ID"));
        row.put("DEADLINE", typeId == 1 || typeId == 2 ? row.get("START_TIME").asText() : row.get("END_TIME").asText());
        row.put("LAST_UPDATED", time.nowText());
    }

    private static void checkedInt(ObjectNode row, ObjectNode fields, String name, int min, int max) {
        if (!Php.isset(fields.get(name))) {
            return;
        }
        long value = Php.intval(fields.get(name));
        if (value < min || value > max) {
            throw RestError.crm("The field " + name + " is not defined or invalid.");
        }
        row.put(name, Long.toString(value));
    }

    /**
     * {@code prepareCommunications}: an item with a VALUE but no entity gets the owner; items without
     * entity or VALUE, or of another TYPE than the activity's, are dropped silently; the rest add their
     * entity to the bindings.
     */
    private static List<ObjectNode> prepareCommunications(int ownerTypeId, long ownerId, int typeId, JsonNode input,
                                                          Map<String, Binding> bindings) {
        List<ObjectNode> kept = new ArrayList<>();
        for (JsonNode item : Php.elements(input)) {
            if (!item.isObject()) {
                continue;
            }
            int entityTypeId = Php.truthy(item.get("ENTITY_TYPE_ID")) ? (int) Php.intval(item.get("ENTITY_TYPE_ID")) : 0;
            long entityId = Php.truthy(item.get("ENTITY_ID")) ? Php.intval(item.get("ENTITY_ID")) : 0;
            String value = Php.truthy(item.get("VALUE")) ? Php.string(item.get("VALUE")) : "";
            String type = Php.truthy(item.get("TYPE")) ? Php.string(item.get("TYPE")) : "";
            if (!value.isEmpty() && (entityTypeId <= 0 || entityId <= 0)) {
                entityTypeId = ownerTypeId;
                entityId = ownerId;
            }
            if (entityTypeId <= 0 || entityId <= 0 || value.isEmpty()) {
                continue;
            }
            if (type.isEmpty()) {
                type = typeId == 2 ? "PHONE" : typeId == 4 ? "EMAIL" : "";
            } else if ((typeId == 2 && !type.equals("PHONE")) || (typeId == 4 && !type.equals("EMAIL"))) {
                continue;
            }
            ObjectNode communication = NODES.objectNode();
            communication.put("ENTITY_ID", Long.toString(entityId));
            communication.put("ENTITY_TYPE_ID", Integer.toString(entityTypeId));
            communication.put("TYPE", type);
            communication.put("VALUE", value);
            kept.add(communication);
            bindings.put(entityTypeId + "_" + entityId, new Binding(entityTypeId, entityId));
        }
        return kept;
    }

    private void checkBindings(Iterable<Binding> bindings) {
        for (Binding binding : bindings) {
            if (entity(binding.typeId(), binding.id()).isEmpty()) {
                String name = EntityType.byId(binding.typeId()).map(Enum::name).orElse("UNDEFINED");
                throw RestError.crm("Could not find '" + name + "' with ID: " + binding.id());
            }
        }
    }

    private List<ObjectNode> storeCommunications(long activityId, List<ObjectNode> communications) {
        List<ObjectNode> stored = new ArrayList<>();
        for (ObjectNode communication : communications) {
            ObjectNode node = NODES.objectNode();
            node.put("ID", Long.toString(++lastCommunicationId));
            node.put("ACTIVITY_ID", Long.toString(activityId));
            node.setAll(communication);
            stored.add(node);
        }
        return stored;
    }

    /**
     * FILES: {@code {"fileData": [name, base64]}} adds a file (base64 decoded leniently, like PHP's
     * {@code base64_decode}: characters outside the alphabet are skipped), {@code {"id": n, "remove": "Y"}}
     * removes one; a file above the size limit fails the whole call.
     */
    private void applyFiles(List<Bitrix24Emulator.StoredFile> files, JsonNode input) {
        for (JsonNode item : Php.elements(input)) {
            if (!item.isObject()) {
                continue;
            }
            if (Php.string(item.get("remove")).equals("Y")) {
                long id = Php.intval(item.get("id"));
                files.removeIf(file -> file.id() == id);
                continue;
            }
            List<JsonNode> data = Php.elements(item.get("fileData"));
            if (data.size() < 2) {
                continue;
            }
            String name = Php.string(data.get(0));
            String base64 = Php.string(data.get(1)).replaceAll("[^A-Za-z0-9+/]", "");
            if (base64.length() % 4 == 1 || base64.isEmpty()) {
                continue;
            }
            byte[] content = Base64.getDecoder().decode(base64 + "==".substring(0, (4 - base64.length() % 4) % 4));
            if (content.length == 0) {
                continue;
            }
            if (content.length > maxFileBytes) {
                throw RestError.crm("The file '" + name + "' has " + content.length + " bytes; this portal accepts files up to "
                    + maxFileBytes + " bytes.");
            }
            files.add(new Bitrix24Emulator.StoredFile(++lastFileId, name.isEmpty() ? "file" + lastFileId : name, content));
        }
    }

    private MethodResult updateActivity(ObjectNode params, Caller caller) {
        long id = entityId(params);
        ObjectNode fields = requireFields(params);
        Activity activity = findActivity(id, "Activity is not found.");
        ObjectNode row = activity.fields.deepCopy();
        int typeId = (int) Php.intval(row.get("TYPE_ID"));
        long ownerId = Php.intval(fields.get("OWNER_ID")) > 0 ? Php.intval(fields.get("OWNER_ID")) : Php.intval(row.get("OWNER_ID"));
        int ownerTypeId = Php.intval(fields.get("OWNER_TYPE_ID")) > 0 ? (int) Php.intval(fields.get("OWNER_TYPE_ID"))
            : (int) Php.intval(row.get("OWNER_TYPE_ID"));
        if (entity(ownerTypeId, ownerId).isEmpty()) {
            checkBindings(List.of(new Binding(ownerTypeId, ownerId)));
        }
        List<ObjectNode> communications = activity.communications;
        List<Binding> bindings = activity.bindings;
        if (Php.isArray(fields.get("COMMUNICATIONS"))) {
            Map<String, Binding> rebuilt = new LinkedHashMap<>();
            rebuilt.put(ownerTypeId + "_" + ownerId, new Binding(ownerTypeId, ownerId));
            List<ObjectNode> prepared = prepareCommunications(ownerTypeId, ownerId, typeId, fields.get("COMMUNICATIONS"), rebuilt);
            if (prepared.isEmpty()) {
                throw RestError.crm("The field COMMUNICATIONS is not defined or invalid.");
            }
            checkBindings(rebuilt.values());
            communications = storeCommunications(id, prepared);
            bindings = new ArrayList<>(rebuilt.values());
        } else if (ownerId != Php.intval(row.get("OWNER_ID")) || ownerTypeId != Php.intval(row.get("OWNER_TYPE_ID"))) {
            bindings = new ArrayList<>(bindings);
            Binding newOwner = new Binding(ownerTypeId, ownerId);
            if (!bindings.contains(newOwner)) {
                bindings.add(0, newOwner);
            }
        }
        row.put("OWNER_ID", Long.toString(ownerId));
        row.put("OWNER_TYPE_ID", Integer.toString(ownerTypeId));
        if (fields.has("RESPONSIBLE_ID")) {
            long responsible = Php.intval(fields.get("RESPONSIBLE_ID"));
            if (responsible <= 0 || !users.containsKey(responsible)) {
                throw RestError.crm("The field RESPONSIBLE_ID is not defined or invalid.");
            }
            row.put("RESPONSIBLE_ID", Long.toString(responsible));
        }
        applyActivityFields(row, fields, false);
        List<Bitrix24Emulator.StoredFile> files = new ArrayList<>(activity.files);
        applyFiles(files, fields.get("FILES"));
        row.put("EDITOR_ID", Long.toString(caller.userId()));
        // an update never sends the e-mail, whatever COMPLETED becomes (bitrix24-api §7.6)
        activity.fields = row;
        activity.communications = communications;
        activity.bindings = bindings;
        activity.files = files;
        return MethodResult.of(NODES.booleanNode(true));
    }

    /** {@code crm.activity.get}: the columns only (no COMMUNICATIONS, no FILES), SETTINGS {@code []} when empty. */
    private ObjectNode renderActivity(Activity activity) {
        return activity.fields.deepCopy();
    }

    private ArrayNode renderCommunications(Activity activity) {
        ArrayNode array = NODES.arrayNode();
        activity.communications.forEach(communication -> array.add(communication.deepCopy()));
        return array;
    }

    private ArrayNode renderFiles(Activity activity) {
        ArrayNode array = NODES.arrayNode();
        for (Bitrix24Emulator.StoredFile file : activity.files) {
            array.addObject().put("id", file.id()).put("url", baseUrl + "bitrix/tools/crm_show_file.php?fileId=" + file.id());
        }
        return array;
    }

    private MethodResult listActivities(ObjectNode params, long start) {
        JsonNode order = arrayParam(params, "order");
        JsonNode filter = arrayParam(params, "filter");
        JsonNode select = Php.resolveArrayParam(params, "select");
        if (!Php.isArray(order) || order.size() == 0) {
            ObjectNode byStart = NODES.objectNode();
            byStart.put("START_TIME", "ASC");
            order = byStart;
        }
        ObjectNode plainFilter = filter != null && filter.isObject() ? ((ObjectNode) filter).deepCopy() : NODES.objectNode();
        JsonNode bindingFilter = plainFilter.remove("BINDINGS");
        ListQuery.Schema schema = activitySchema();
        Predicate<ObjectNode> matches = ListQuery.filter(plainFilter, schema, time);
        List<ObjectNode> rows = new ArrayList<>();
        for (Activity activity : activities.values()) {
            ObjectNode row = renderActivity(activity);
            row.set("COMMUNICATIONS", renderCommunications(activity));
            row.set("FILES", renderFiles(activity));
            if (!matches.test(row)) {
                continue;
            }
            if (bindingFilter == null) {
                rows.add(row);
                continue;
            }
            // one row per matching pair: several pairs can return the same activity twice (bitrix24-api §7.7)
            for (JsonNode pair : Php.elements(bindingFilter)) {
                Binding wanted = new Binding((int) Php.intval(pair.get("OWNER_TYPE_ID")), Php.intval(pair.get("OWNER_ID")));
                if (activity.bindings.contains(wanted)) {
                    rows.add(row);
                }
            }
        }
        rows.sort(ListQuery.order(order, schema, time, Comparator.comparingLong(row -> Php.intval(row.get("ID")))));
        ListQuery.Page page = ListQuery.page(rows, start);
        List<String> names = new ArrayList<>();
        if (Php.isArray(select)) {
            Php.elements(select).forEach(name -> names.add(Php.string(name)));
        }
        boolean all = names.isEmpty() || names.contains("*");
        ArrayNode result = NODES.arrayNode();
        for (ObjectNode row : page.rows()) {
            ObjectNode out = NODES.objectNode();
            row.fields().forEachRemaining(entry -> {
                String name = entry.getKey();
                boolean extra = name.equals("COMMUNICATIONS") || name.equals("FILES");
                if (extra ? names.contains(name) : all || names.contains(name)) {
                    out.set(name, entry.getValue());
                }
            });
            result.add(out);
        }
        return new MethodResult(result, page.total(), page.next());
    }

    private static ListQuery.Schema activitySchema() {
        return new ListQuery.Schema() {
            @Override
            public Optional<FieldKind> kind(String field) {
                Field known = ACTIVITY.get(field);
                return known == null ? Optional.empty() : Optional.of(known.kind());
            }

            @Override
            public List<JsonNode> values(ObjectNode row, String field) {
                List<JsonNode> values = new ArrayList<>();
                values.add(row.get(field));
                return values;
            }
        };
    }

    private ObjectNode snapshotActivity(Activity activity) {
        ObjectNode snapshot = renderActivity(activity);
        snapshot.set("COMMUNICATIONS", renderCommunications(activity));
        ArrayNode bindings = snapshot.putArray("BINDINGS");
        activity.bindings.forEach(binding -> bindings.addObject().put("OWNER_TYPE_ID", Integer.toString(binding.typeId()))
            .put("OWNER_ID", Long.toString(binding.id())));
        ArrayNode files = snapshot.putArray("FILES");
        activity.files.forEach(file -> files.addObject().put("id", file.id()).put("name", file.name()).put("size", file.content().length));
        return snapshot;
    }

    /** Every activity with its communications, bindings and files (an emulator view beyond {@code crm.activity.get}). */
    List<ObjectNode> activitySnapshots() {
        List<ObjectNode> rows = new ArrayList<>();
        activities.values().forEach(activity -> rows.add(snapshotActivity(activity)));
        return rows;
    }

    Optional<ObjectNode> activitySnapshot(long id) {
        return Optional.ofNullable(activities.get(id)).map(this::snapshotActivity);
    }

    List<Bitrix24Emulator.StoredFile> files(long activityId) {
        Activity activity = activities.get(activityId);
        return activity == null ? List.of() : List.copyOf(activity.files);
    }


    // ------------------------------------------------------------------ timeline comments

    /** {@code crm.timeline.comment.add}: only lower-case {@code fields} (bitrix24-api §7.8). */
    private long addComment(ObjectNode params, Caller caller) {
        JsonNode fields = params.get("fields");
        if (!Php.isArray(fields) || !fields.isObject()) {
            throw new RestError(400, "100", "Required fields are not set: fields");
        }
        String typeName = Php.string(fields.get("ENTITY_TYPE"));
        long entityId = Php.intval(fields.get("ENTITY_ID"));
        if (typeName.isEmpty() || entityId <= 0) {
            throw new RestError(400, "100", "Required fields are not set: ENTITY_TYPE, ENTITY_ID");
        }
        Optional<EntityType> type = typeName.equals(typeName.toLowerCase(Locale.ROOT)) ? EntityType.resolve(typeName) : Optional.empty();
        if (type.isEmpty() || !exists(type.get(), entityId)) {
            throw new RestError(400, "OWNER_NOT_FOUND", "The element " + typeName + " " + entityId + " is not found.");
        }
        String comment = Php.string(fields.get("COMMENT"));
        if (comment.isBlank()) {
            throw new RestError(400, "INVALID_ARG_VALUE", "Comment is empty.");
        }
        long id = comments.size() + 1L;
        ObjectNode stored = NODES.objectNode();
        stored.put("ID", Long.toString(id));
        stored.put("ENTITY_TYPE", typeName);
        stored.put("ENTITY_ID", Long.toString(entityId));
        stored.put("COMMENT", comment);
        stored.put("AUTHOR_ID", Long.toString(caller.userId()));
        stored.put("CREATED", time.nowText());
        comments.add(stored);
        return id;
    }

    List<ObjectNode> comments() {
        List<ObjectNode> copies = new ArrayList<>();
        comments.forEach(node -> copies.add(node.deepCopy()));
        return copies;
    }

    // ------------------------------------------------------------------ users

    /** Adds a portal user (Java API only: Bitrix24 has no REST method the connector may use for it). */
    long addUser(ObjectNode fields) {
        long id = Php.intval(fields.get("ID"));
        if (id <= 0) {
            id = users.isEmpty() ? 1 : users.lastKey() + 1;
        } else if (users.containsKey(id)) {
            throw new IllegalArgumentException("a user with ID " + id + " exists already");
        }
        ObjectNode user = NODES.objectNode();
        user.put("ID", Long.toString(id));
        user.putNull("XML_ID");
        JsonNode active = fields.get("ACTIVE");
        user.put("ACTIVE", !Php.isset(active) || (active.isBoolean() ? active.booleanValue() : yes(active)));
        for (String text : List.of("NAME", "LAST_NAME", "SECOND_NAME", "EMAIL", "WORK_POSITION", "PERSONAL_GENDER")) {
            user.put(text, Php.string(fields.get(text)));
        }
        user.put("LAST_LOGIN", "");
        user.put("DATE_REGISTER", time.nowText());
        user.put("IS_ONLINE", "N");
        user.put("TIME_ZONE_OFFSET", "0");
        ArrayNode departments = user.putArray("UF_DEPARTMENT");
        JsonNode givenDepartments = fields.get("UF_DEPARTMENT");
        String type = Php.isset(fields.get("USER_TYPE")) ? Php.string(fields.get("USER_TYPE")) : "employee";
        if (Php.isArray(givenDepartments)) {
            Php.elements(givenDepartments).forEach(department -> departments.add(Php.intval(department)));
        } else if (Php.isset(givenDepartments)) {
            departments.add(Php.intval(givenDepartments));
        } else if (type.equals("employee")) {
            departments.add(1);
        }
        user.put("USER_TYPE", type);
        users.put(id, user);
        return id;
    }

    List<ObjectNode> userSnapshots() {
        List<ObjectNode> copies = new ArrayList<>();
        users.values().forEach(user -> copies.add(user.deepCopy()));
        return copies;
    }

    private ObjectNode renderUser(ObjectNode user) {
        return user == null ? NODES.objectNode() : user.deepCopy();
    }

    /**
     * {@code user.get}/{@code user.search}: {@code FILTER} (or, without it, top-level keys that are user
     * fields), exact field names only (prefixed keys ignored, as on older portals), text fields matched
     * as substrings (compare the returned EMAIL yourself, bitrix24-api §7.10), only real users (no bots,
     * e-mail or open-channel users), paged by 50.
     */
    private MethodResult listUsers(ObjectNode params, long start, boolean search) {
        JsonNode filter = params.has("FILTER") ? params.get("FILTER") : params.get("filter");
        ObjectNode conditions = NODES.objectNode();
        if (Php.isArray(filter) && filter.isObject()) {
            conditions.setAll((ObjectNode) filter);
        } else if (filter == null) {
            params.fields().forEachRemaining(entry -> {
                if (USER.containsKey(entry.getKey()) || entry.getKey().equals("NAME_SEARCH")) {
                    conditions.set(entry.getKey(), entry.getValue());
                }
            });
        }
        String find = search ? Php.string(Php.resolveParam(params, "find")).strip().toLowerCase(Locale.ROOT) : "";
        List<ObjectNode> rows = new ArrayList<>();
        for (ObjectNode user : users.values()) {
            String type = user.get("USER_TYPE").asText();
            if (!type.equals("employee") && !type.equals("extranet")) {
                continue; // IS_REAL_USER = Y
            }
            if (!userMatches(user, conditions)) {
                continue;
            }
            if (!find.isEmpty() && List.of("NAME", "LAST_NAME", "EMAIL", "WORK_POSITION").stream()
                .noneMatch(field -> user.get(field).asText().toLowerCase(Locale.ROOT).contains(find))) {
                continue;
            }
            rows.add(user.deepCopy());
        }
        String sort = Php.string(Php.resolveParam(params, "sort"));
        ObjectNode order = NODES.objectNode();
        if (!sort.isEmpty()) {
            order.put(sort.toUpperCase(Locale.ROOT), Php.string(Php.resolveParam(params, "order")));
        }
        ListQuery.Schema schema = new ListQuery.Schema() {
            @Override
            public Optional<FieldKind> kind(String field) {
                return Optional.ofNullable(USER.get(field)).map(Field::kind);
            }

            @Override
            public List<JsonNode> values(ObjectNode row, String field) {
                List<JsonNode> values = new ArrayList<>();
                values.add(row.get(field));
                return values;
            }
        };
        rows.sort(ListQuery.order(order, schema, time, Comparator.comparingLong(row -> Php.intval(row.get("ID")))));
        ListQuery.Page page = ListQuery.page(rows, start);
        ArrayNode result = NODES.arrayNode();
        page.rows().forEach(result::add);
        return new MethodResult(result, page.total(), page.next());
    }

    private boolean userMatches(ObjectNode user, ObjectNode conditions) {
        Iterator<Map.Entry<String, JsonNode>> entries = conditions.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            String key = entry.getKey();
            JsonNode want = entry.getValue();
            if (key.equals("NAME_SEARCH")) {
                String needle = Php.string(want).toLowerCase(Locale.ROOT);
                if (List.of("NAME", "LAST_NAME", "SECOND_NAME", "EMAIL").stream()
                    .noneMatch(field -> user.get(field).asText().toLowerCase(Locale.ROOT).contains(needle))) {
                    return false;
                }
                continue;
            }
            Field field = USER.get(key);
            if (field == null) {
                continue; // prefixed or unknown keys are dropped by the portal
            }
            List<JsonNode> wanted = Php.isArray(want) ? Php.elements(want) : List.of(want);
            boolean any = false;
            for (JsonNode value : wanted) {
                if (USER_TEXT_FILTERS.contains(key)) {
                    any |= user.get(key).asText().toLowerCase(Locale.ROOT).contains(Php.string(value).strip().toLowerCase(Locale.ROOT));
                } else if (field.kind() == FieldKind.BOOLEAN) {
                    any |= user.get(key).asBoolean() == ListQuery.booleanFilter(value);
                } else {
                    any |= ListQuery.compare(field.kind(), user.get(key), value, time).orElse(1) == 0;
                }
            }
            if (!any) {
                return false;
            }
        }
        return true;
    }

    private JsonNode profile(Caller caller) {
        ObjectNode user = users.get(caller.userId());
        ObjectNode profile = NODES.objectNode();
        if (user == null || !user.get("ACTIVE").asBoolean()) {
            return NODES.arrayNode();
        }
        profile.set("ID", user.get("ID"));
        profile.put("ADMIN", caller.userId() == ownerId);
        profile.set("NAME", user.get("NAME"));
        profile.set("LAST_NAME", user.get("LAST_NAME"));
        profile.set("PERSONAL_GENDER", user.get("PERSONAL_GENDER"));
        profile.put("TIME_ZONE", "");
        profile.put("TIME_ZONE_OFFSET", time.zone().getRules().getOffset(time.now()).getTotalSeconds());
        return profile;
    }

    private JsonNode appInfo(Caller caller) {
        ObjectNode info = NODES.objectNode();
        if (caller.webhook()) {
            info.set("SCOPE", NODES.arrayNode().add("crm").add("user_basic"));
            info.put("LICENSE", "en_project");
            return info;
        }
        info.put("ID", 1);
        info.put("CODE", caller.credential().substring("app:".length()));
        info.put("VERSION", 1);
        info.put("STATUS", "L");
        info.put("INSTALLED", true);
        info.put("PAYMENT_EXPIRED", "N");
        info.putNull("DAYS");
        info.put("LANGUAGE_ID", "en");
        info.put("LICENSE", "en_project");
        return info;
    }

    // ------------------------------------------------------------------ reference data

    private static ArrayNode enumeration(Object... idNamePairs) {
        ArrayNode array = NODES.arrayNode();
        for (int i = 0; i < idNamePairs.length; i += 2) {
            array.addObject().put("ID", (Integer) idNamePairs[i]).put("NAME", (String) idNamePairs[i + 1]);
        }
        return array;
    }

    private static ArrayNode ownerTypes() {
        ArrayNode array = NODES.arrayNode();
        for (EntityType type : EntityType.values()) {
            array.addObject().put("ID", type.id()).put("NAME", type.title()).put("SYMBOL_CODE", type.name())
                .put("SYMBOL_CODE_SHORT", type.shortName());
        }
        return array;
    }

    /** {@code crm.status.list}: lead statuses, sources, contact types and the stages of any funnel. */
    private JsonNode statuses(ObjectNode params) {
        JsonNode filter = arrayParam(params, "filter");
        String wanted = filter == null ? "" : Php.string(filter.get("ENTITY_ID"));
        List<ObjectNode> rows = new ArrayList<>();
        Map<String, Map<String, String>> lists = new LinkedHashMap<>();
        lists.put("STATUS", LEAD_STATUSES);
        Map<String, String> sources = new LinkedHashMap<>();
        LEAD_SOURCES.forEach(source -> sources.put(source, null));
        lists.put("SOURCE", sources);
        lists.put("CONTACT_TYPE", orderedMap("CLIENT", "", "SUPPLIER", "", "PARTNER", "", "OTHER", ""));
        lists.put("DEAL_STAGE", DEAL_STAGES);
        if (wanted.matches("DEAL_STAGE_\\d+")) {
            lists.put(wanted, DEAL_STAGES);
        }
        long id = 0;
        for (Map.Entry<String, Map<String, String>> list : lists.entrySet()) {
            int sort = 10;
            for (Map.Entry<String, String> status : list.getValue().entrySet()) {
                id++;
                if (!wanted.isEmpty() && !wanted.equals(list.getKey())) {
                    continue;
                }
                String prefix = list.getKey().startsWith("DEAL_STAGE_") ? "C" + list.getKey().substring("DEAL_STAGE_".length()) + ":" : "";
                ObjectNode row = NODES.objectNode();
                row.put("ID", Long.toString(id));
                row.put("ENTITY_ID", list.getKey());
                row.put("STATUS_ID", prefix + status.getKey());
                row.put("NAME", status.getKey());
                row.put("NAME_INIT", status.getKey());
                row.put("SORT", Integer.toString(sort));
                row.put("SYSTEM", "Y");
                String semantic = status.getValue();
                if (list.getKey().startsWith("DEAL_STAGE") || list.getKey().equals("STATUS")) {
                    row.set("SEMANTICS", semantic.equals("P") ? NODES.nullNode() : NODES.textNode(semantic));
                    ObjectNode extra = row.putObject("EXTRA");
                    extra.put("SEMANTICS", semantic.equals("P") ? "process" : semantic.equals("S") ? "success" : "failure");
                    extra.put("COLOR", "#39A8EF");
                }
                rows.add(row);
                sort += 10;
            }
        }
        ArrayNode result = NODES.arrayNode();
        rows.forEach(result::add);
        return result;
    }
}

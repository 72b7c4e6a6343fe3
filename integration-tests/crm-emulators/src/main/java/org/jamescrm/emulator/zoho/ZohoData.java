package org.jamescrm.emulator.zoho;

import static org.jamescrm.emulator.zoho.ZohoReply.MAPPER;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jamescrm.emulator.RecordStore;
import org.jamescrm.emulator.Violation;
import org.jamescrm.emulator.ViolationLog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The emulated organisation's data: users, records of Leads, Contacts, Accounts and Deals (ids are
 * 19-digit strings), the e-mails associated with records (unique by {@code original_message_id}), the
 * uploaded files, and the field settings (the restricted Lead_Source picklist, Lead_Status, and the
 * Deals Stage picklist of two pipelines with their forecast types). Thread-safe.
 */
public final class ZohoData {
    static final Set<String> MODULES = Set.of("Leads", "Contacts", "Accounts", "Deals");
    static final Set<String> EMAIL_MODULES = Set.of("Leads", "Contacts", "Accounts", "Deals");
    static final String CAPTURE_KEY = "Capture_Key";
    static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX", Locale.ROOT);
    private static final String ID_PREFIX = "4876876000000";
    /** Lead sources of a new organisation (restricted picklist). */
    static final List<String> LEAD_SOURCES = List.of("-None-", "Advertisement", "Cold Call", "Employee Referral", "External Referral",
        "Online Store", "Partner", "Public Relations", "Sales Email Alias", "Seminar Partner", "Internal Seminar", "Trade Show",
        "Web Download", "Web Research", "Chat", "Email");
    static final List<String> LEAD_STATUSES = List.of("-None-", "Not Contacted", "Attempted to Contact", "Contact in Future", "Contacted",
        "Junk Lead", "Lost Lead", "Not Qualified", "Pre-Qualified");
    /** The stages of both pipelines: name, pipeline, probability, forecast type. */
    static final List<String[]> STAGES = List.of(
        new String[] {"Qualification", "Standard", "10", "Open"},
        new String[] {"Needs Analysis", "Standard", "20", "Open"},
        new String[] {"Value Proposition", "Standard", "40", "Open"},
        new String[] {"Negotiation/Review", "Standard", "80", "Open"},
        new String[] {"Closed Won", "Standard", "100", "Closed Won"},
        new String[] {"Closed Lost", "Standard", "0", "Closed Lost"},
        new String[] {"Renewal Due", "Renewals", "60", "Open"},
        new String[] {"Renewed", "Renewals", "100", "Closed Won"},
        new String[] {"Churned", "Renewals", "0", "Closed Lost"});
    /** The longest values of the fields written (standard layouts). */
    static final Map<String, Integer> LENGTHS = Map.of("Last_Name", 80, "First_Name", 40, "Company", 200, "Deal_Name", 120,
        "Account_Name", 200, "Email", 100, CAPTURE_KEY, 255);

    private final Clock clock;
    private final ViolationLog violations;
    private final Duration indexDelay;
    private final RecordStore store = new RecordStore();
    private final Map<String, ObjectNode> users = new LinkedHashMap<>();
    private final Map<String, ObjectNode> emails = new LinkedHashMap<>();
    private final Map<String, Long> files = new LinkedHashMap<>();
    private long lastUser;
    private long lastMessage;
    private long lastFile;
    private String currentUser;

    ZohoData(Clock clock, ViolationLog violations, Duration indexDelay) {
        this.clock = clock;
        this.violations = violations;
        this.indexDelay = indexDelay;
        reset();
    }

    /** A refusal of one item of a write, in Zoho's per-item shape. */
    static final class ItemRefusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String code;
        final transient ObjectNode details;

        ItemRefusal(String code, String message, ObjectNode details) {
            super(message, null, false, false);
            this.code = code;
            this.details = details;
        }

        ObjectNode item() {
            return ZohoReply.envelope(code, getMessage(), details);
        }
    }

    synchronized void reset() {
        store.reset();
        users.clear();
        emails.clear();
        files.clear();
        lastUser = 0;
        lastMessage = 0;
        lastFile = 0;
        currentUser = addUser("api-admin@company.example", "API Admin");
    }

    private static String id(long number) {
        return ID_PREFIX + String.format(Locale.ROOT, "%06d", number);
    }

    private static long number(String id) {
        if (id == null || !id.startsWith(ID_PREFIX) || id.length() != 19) {
            return -1;
        }
        try {
            return Long.parseLong(id.substring(ID_PREFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    // ---- users

    /** Adds an active user; returns its id. */
    public synchronized String addUser(String email, String name) {
        String id = id(900_000 + ++lastUser);
        users.put(id, MAPPER.createObjectNode().put("id", id).put("email", email).put("full_name", name).put("status", "active")
            .put("confirm", true));
        return id;
    }

    /** Deactivates a user. */
    public synchronized void deactivate(String id) {
        Optional.ofNullable(users.get(id)).ifPresent(user -> user.put("status", "disabled"));
    }

    synchronized List<ObjectNode> users(String type) {
        return users.values().stream().filter(user -> switch (type) {
            case "CurrentUser" -> user.path("id").asText().equals(currentUser);
            case "DeactiveUsers" -> !user.path("status").asText().equals("active");
            case "AllUsers" -> true;
            default -> user.path("status").asText().equals("active");
        }).map(ObjectNode::deepCopy).toList();
    }

    private ObjectNode owner(String id) {
        ObjectNode user = users.get(id);
        if (user == null || !user.path("status").asText().equals("active")) {
            return null;
        }
        return MAPPER.createObjectNode().put("id", id).put("name", user.path("full_name").asText()).put("email", user.path("email").asText());
    }

    // ---- records

    /** A record as written through the API: checked as Zoho checks it; the violations a user would regret recorded. */
    synchronized String create(String module, ObjectNode fields) {
        ObjectNode record = fields.deepCopy();
        record.remove(List.of("id", "Created_Time", "Modified_Time", "Created_By"));
        mandatory(module, record);
        for (Map.Entry<String, Integer> length : LENGTHS.entrySet()) {
            JsonNode value = record.path(length.getKey());
            if (value.isTextual() && value.asText().length() > length.getValue()) {
                throw new ItemRefusal("INVALID_DATA", "invalid data", details(length.getKey()).put("maximum_length", length.getValue()));
            }
        }
        if (record.has("Lead_Source") && module.equals("Leads") && !LEAD_SOURCES.contains(record.path("Lead_Source").asText())) {
            ObjectNode details = details("Lead_Source");
            ArrayNode supported = details.putArray("supported_values");
            LEAD_SOURCES.forEach(supported::add);
            throw new ItemRefusal("INVALID_DATA", "invalid data", details);
        }
        if (module.equals("Deals") && stage(record.path("Stage").asText()).isEmpty()) {
            throw new ItemRefusal("INVALID_DATA", "invalid data", details("Stage"));
        }
        lookup(record, "Contact_Name", "Contacts");
        lookup(record, "Account_Name", module.equals("Accounts") ? null : "Accounts");
        String ownerId = record.path("Owner").path("id").asText(currentUser);
        ObjectNode owner = owner(ownerId);
        if (owner == null) {
            throw new ItemRefusal("INVALID_DATA", "the owner is not an active user", details("Owner"));
        }
        record.set("Owner", owner);
        String key = record.path(CAPTURE_KEY).asText("");
        if (!key.isEmpty()) {
            List<ObjectNode> same = store.find(module, existing -> key.equals(existing.path(CAPTURE_KEY).asText()));
            if (!same.isEmpty()) {
                violations.record(Violation.Kind.DUPLICATE_RECORD, "POST " + module, "a second record of one capture key: the user finds it "
                    + "twice", Map.of("captureKey", key, "existing", same.get(0).path("id").asText()));
            }
        }
        if (module.equals("Contacts") && record.hasNonNull("Email")) {
            String email = record.path("Email").asText();
            if (!store.find(module, existing -> email.equalsIgnoreCase(existing.path("Email").asText())).isEmpty()) {
                violations.record(Violation.Kind.DUPLICATE_RECORD, "POST Contacts", "a second contact of one address",
                    Map.of("email", email));
            }
        }
        return insert(module, record);
    }

    private void mandatory(String module, ObjectNode record) {
        List<String> required = switch (module) {
            case "Leads" -> List.of("Last_Name", "Company");
            case "Contacts" -> List.of("Last_Name");
            case "Accounts" -> List.of("Account_Name");
            default -> List.of("Deal_Name", "Stage");
        };
        for (String field : required) {
            if (record.path(field).asText("").isBlank()) {
                throw new ItemRefusal("MANDATORY_NOT_FOUND", "required field not found",
                    details(field).put("json_path", "$.data[0]." + field));
            }
        }
    }

    private void lookup(ObjectNode record, String field, String module) {
        if (module == null || !record.has(field)) {
            return;
        }
        String id = record.path(field).path("id").asText("");
        Optional<ObjectNode> target = store.get(module, number(id));
        if (target.isEmpty()) {
            throw new ItemRefusal("INVALID_DATA", "the related id given seems to be invalid", details(field));
        }
        String name = module.equals("Accounts") ? target.get().path("Account_Name").asText()
            : (target.get().path("First_Name").asText("") + " " + target.get().path("Last_Name").asText()).strip();
        record.set(field, MAPPER.createObjectNode().put("id", id).put("name", name));
    }

    private static ObjectNode details(String field) {
        return MAPPER.createObjectNode().put("api_name", field);
    }

    /** Stores a record as is (the administration: no check), with its times and an owner; returns its id. */
    synchronized String insert(String module, ObjectNode record) {
        String now = DATE_TIME.format(clock.instant().atOffset(ZoneOffset.UTC));
        ObjectNode stored = record.deepCopy().put("Created_Time", now).put("Modified_Time", now);
        if (!stored.has("Owner")) {
            stored.set("Owner", owner(currentUser));
        } else if (stored.path("Owner").isTextual()) {
            stored.set("Owner", owner(stored.path("Owner").asText()));
        }
        if (module.equals("Leads")) {
            if (!stored.has("Converted__s")) {
                stored.put("Converted__s", false);
            }
            if (!stored.has("Lead_Status")) {
                stored.put("Lead_Status", "Not Contacted");
            }
        }
        if (module.equals("Deals") && !stored.has("Pipeline")) {
            stage(stored.path("Stage").asText()).ifPresent(stage -> stored.put("Pipeline", stage[1]));
        }
        for (String field : List.of("Contact_Name", "Account_Name")) {
            if (stored.path(field).isTextual() && !(module.equals("Accounts") && field.equals("Account_Name"))) {
                stored.set(field, MAPPER.createObjectNode().put("id", stored.path(field).asText()));
            }
        }
        long number = store.insert(module, stored);
        String id = id(number);
        store.update(module, number, node -> node.put("id", id));
        return id;
    }

    /** Changes fields of a record (the administration). */
    synchronized void change(String module, String id, ObjectNode fields) {
        String now = DATE_TIME.format(clock.instant().atOffset(ZoneOffset.UTC));
        if (!store.update(module, number(id), record -> {
            record.setAll(fields);
            return record.put("Modified_Time", now);
        })) {
            throw new IllegalArgumentException("no " + module + " " + id);
        }
    }

    synchronized Optional<ObjectNode> get(String module, String id) {
        return store.get(module, number(id));
    }

    synchronized List<ObjectNode> all(String module) {
        return store.list(module);
    }

    static Optional<String[]> stage(String name) {
        return STAGES.stream().filter(stage -> stage[0].equals(name)).findFirst();
    }

    /**
     * The search API: {@code equals} behaves as "contains" with {@code - _ @ .} treated alike, converted leads
     * hidden unless asked, and records younger than the index delay not found yet.
     */
    synchronized List<ObjectNode> search(String module, String email, String converted) {
        String loose = loose(email);
        Instant indexed = clock.instant().minus(indexDelay);
        return store.find(module, record -> {
            boolean matches = loose(record.path("Email").asText("")).contains(loose)
                || loose(record.path("Secondary_Email").asText("")).contains(loose);
            boolean visible = !created(record).isAfter(indexed);
            boolean conversion = !module.equals("Leads") || converted.equals("both")
                || record.path("Converted__s").asBoolean(false) == converted.equals("true");
            return matches && visible && conversion;
        });
    }

    private static Instant created(ObjectNode record) {
        try {
            return OffsetDateTime.parse(record.path("Created_Time").asText()).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    private static String loose(String value) {
        return value.toLowerCase(Locale.ROOT).replaceAll("[-_@.]", " ");
    }

    // ---- e-mails and files

    /**
     * Associates an e-mail with a record. A second e-mail of one {@code original_message_id} is stored as Zoho
     * stores it, and recorded as a duplicate the user would regret.
     */
    synchronized String associate(String module, String recordId, ObjectNode email) {
        String messageId = email.path("original_message_id").asText();
        if (emails.containsKey(messageId)) {
            violations.record(Violation.Kind.DUPLICATE_RECORD, "POST associate_email", "a second e-mail of one message: the user "
                + "finds it twice on the record", Map.of("original_message_id", messageId));
        }
        String id = "m" + (++lastMessage) + "a0f3";
        ObjectNode stored = email.deepCopy().put("message_id", id);
        stored.putObject("record").put("id", recordId).putObject("module").put("api_name", module);
        emails.putIfAbsent(messageId, stored);
        return id;
    }

    synchronized Optional<ObjectNode> email(String originalMessageId) {
        return Optional.ofNullable(emails.get(originalMessageId)).map(ObjectNode::deepCopy);
    }

    synchronized List<ObjectNode> emails() {
        return emails.values().stream().map(ObjectNode::deepCopy).toList();
    }

    synchronized String addFile(long size) {
        String id = "f" + (++lastFile) + "c7e2d1b0a9";
        files.put(id, size);
        return id;
    }

    synchronized boolean hasFile(String id) {
        return files.containsKey(id);
    }

    synchronized int fileCount() {
        return files.size();
    }

    /** The field settings of a module ({@code settings/fields}): the picklists the connector reads. */
    ObjectNode fields(String module) {
        ObjectNode answer = MAPPER.createObjectNode();
        ArrayNode fields = answer.putArray("fields");
        switch (module) {
            case "Leads" -> {
                picklist(fields.addObject().put("api_name", "Lead_Source").put("data_type", "picklist"), LEAD_SOURCES);
                picklist(fields.addObject().put("api_name", "Lead_Status").put("data_type", "picklist"), LEAD_STATUSES);
                fields.addObject().put("api_name", "Last_Name").put("data_type", "text").put("length", 80);
                fields.addObject().put("api_name", CAPTURE_KEY).put("data_type", "text").put("custom_field", true);
            }
            case "Deals" -> {
                ArrayNode values = fields.addObject().put("api_name", "Stage").put("data_type", "picklist").putArray("pick_list_values");
                for (String[] stage : STAGES) {
                    ObjectNode value = values.addObject().put("display_value", stage[0]).put("actual_value", stage[0])
                        .put("probability", Integer.parseInt(stage[2])).put("forecast_type", stage[3]);
                    value.putObject("forecast_category").put("name", stage[3].equals("Open") ? "Pipeline" : "Closed");
                    value.put("deal_category", stage[1]);
                }
                picklist(fields.addObject().put("api_name", "Pipeline").put("data_type", "picklist"), List.of("Standard", "Renewals"));
                fields.addObject().put("api_name", CAPTURE_KEY).put("data_type", "text").put("custom_field", true);
            }
            case "Contacts" -> fields.addObject().put("api_name", CAPTURE_KEY).put("data_type", "text").put("custom_field", true);
            default -> fields.addObject().put("api_name", "Account_Name").put("data_type", "text");
        }
        return answer;
    }

    private static void picklist(ObjectNode field, List<String> values) {
        ArrayNode list = field.putArray("pick_list_values");
        values.forEach(value -> list.addObject().put("display_value", value).put("actual_value", value));
    }
}

package org.jamescrm.emulator.espocrm;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jamescrm.emulator.Violation;
import org.jamescrm.emulator.ViolationLog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The records of an emulated EspoCRM site, by entity type and id (17 hexadecimal digits, in creation
 * order), with the entity definitions of espocrm-api §6-7: fields, read-only and required fields, enums,
 * and the consequences of a save (person names, e-mail address data, an e-mail's {@code messageId},
 * {@code accountId} and users, a Case's auto-increment {@code number} and status {@code New}), and the
 * site's teams. Thread-safe.
 */
public final class EspoData {
    static final String CAPTURE_KEY = "cCaptureKey";
    static final String CAPTURE_ITEMS = "cCaptureItems";

    /** One entity type's definition. */
    record EntityDef(Set<String> fields, Set<String> readOnly, List<String> required, Map<String, List<String>> enums,
                     boolean duplicateCheck) {
    }

    private static final Set<String> COMMON = Set.of("id", "name", "createdAt", "modifiedAt", "createdById", "assignedUserId",
        "description", "teamsIds", "deleted");
    private static final List<String> SOURCES = List.of("", "Call", "Email", "Existing Customer", "Partner", "Public Relations",
        "Web Site", "Campaign", "Other");
    static final Map<String, EntityDef> ENTITIES = Map.of(
        "Lead", new EntityDef(Set.of("firstName", "lastName", "salutationName", "emailAddress", "emailAddressData", "phoneNumber",
            "accountName", "status", "source", "opportunityAmount", "convertedAt", "createdAccountId", "createdContactId",
            "createdOpportunityId"), Set.of("convertedAt", "createdAccountId", "createdContactId", "createdOpportunityId"), List.of(),
            Map.of("status", List.of("New", "Assigned", "In Process", "Converted", "Recycled", "Dead"), "source", SOURCES), true),
        "Contact", new EntityDef(Set.of("firstName", "lastName", "salutationName", "emailAddress", "emailAddressData", "phoneNumber",
            "accountId", "accountsIds"), Set.of(), List.of("lastName"), Map.of(), true),
        "Account", new EntityDef(Set.of("emailAddress", "emailAddressData", "type", "industry", "website"), Set.of(), List.of("name"),
            Map.of(), true),
        "Opportunity", new EntityDef(Set.of("amount", "closeDate", "stage", "probability", "accountId", "contactId", "contactsIds",
            "leadSource", "originalLeadId"), Set.of("originalLeadId"), List.of("name", "amount", "closeDate"),
            Map.of("stage", List.of("Prospecting", "Qualification", "Proposal", "Negotiation", "Closed Won", "Closed Lost"),
                "leadSource", SOURCES), false),
        "Case", new EntityDef(Set.of("number", "status", "priority", "type", "accountId", "contactId", "contactsIds", "leadId",
            "attachmentsIds", "inboundEmailId"), Set.of("number", "inboundEmailId"), List.of("name"),
            Map.of("status", List.of("New", "Assigned", "Pending", "Closed", "Rejected", "Duplicate"),
                "priority", List.of("Low", "Normal", "High", "Urgent")), false),
        "Email", new EntityDef(Set.of("subject", "from", "to", "cc", "bcc", "replyTo", "fromString", "replyToString", "addressNameMap",
            "status", "dateSent", "isHtml", "body", "bodyPlain", "parentType", "parentId", "accountId", "repliedId", "attachmentsIds",
            "messageId", "messageIdInternal", "usersIds", "assignedUsersIds", "sendAt", "isAutoReply", "sentById"),
            Set.of("messageId", "messageIdInternal", "usersIds", "assignedUsersIds", "bodyPlain", "isAutoReply", "sentById"),
            List.of("name"), Map.of("status", List.of("Draft", "Sending", "Sent", "Archived", "Failed"),
                "parentType", List.of("Account", "Lead", "Contact", "Opportunity", "Case")), false),
        "User", new EntityDef(Set.of("userName", "firstName", "lastName", "emailAddress", "emailAddressData", "isActive", "type"),
            Set.of(), List.of("userName"), Map.of(), false),
        "Attachment", new EntityDef(Set.of("type", "role", "parentType", "parentId", "relatedType", "relatedId", "field", "size"),
            Set.of("size"), List.of("name"), Map.of(), false),
        "Team", new EntityDef(Set.of("positionList"), Set.of(), List.of("name"), Map.of(), false));
    private static final Set<String> CAPTURED = Set.of("Lead", "Contact", "Account", "Opportunity", "Case", "Email");

    private final Clock clock;
    private final ViolationLog violations;
    private final boolean captureFields;
    private final Map<String, LinkedHashMap<String, ObjectNode>> records = new HashMap<>();
    private final Map<String, byte[]> files = new HashMap<>();
    private long lastId;
    private long lastCaseNumber;
    private volatile boolean importScope = true;

    EspoData(Clock clock, ViolationLog violations, boolean captureFields) {
        this.clock = clock;
        this.violations = violations;
        this.captureFields = captureFields;
    }

    /** Whether an attribute exists on the type (custom capture fields included when the site has them). */
    boolean hasField(String entityType, String attribute) {
        EntityDef def = ENTITIES.get(entityType);
        if (def == null) {
            return false;
        }
        if (captureFields && (attribute.equals(CAPTURE_KEY) && CAPTURED.contains(entityType)
            || attribute.equals(CAPTURE_ITEMS) && entityType.equals("Email"))) {
            return true;
        }
        return COMMON.contains(attribute) || def.fields().contains(attribute);
    }

    boolean importScope() {
        return importScope;
    }

    void importScope(boolean granted) {
        importScope = granted;
    }

    /** Adds an active regular user. */
    public synchronized String addUser(String email, String name) {
        String[] names = name.split(" ", 2);
        ObjectNode user = EspoCrmEmulator.MAPPER.createObjectNode().put("userName", email.substring(0, email.indexOf('@')))
            .put("firstName", names[0]).put("lastName", names.length > 1 ? names[1] : "").put("emailAddress", email)
            .put("isActive", true).put("type", "regular");
        return insert("User", user);
    }

    /** Adds a team (Administration &gt; Teams); returns its id. */
    public synchronized String addTeam(String name) {
        return insert("Team", EspoCrmEmulator.MAPPER.createObjectNode().put("name", name));
    }

    /** Stores a new record as it is (after the save's consequences); returns its id. */
    public synchronized String insert(String entityType, ObjectNode attributes) {
        ObjectNode record = attributes.deepCopy();
        String id = String.format(Locale.ROOT, "%017x", 0x65f0c1a2b3c40000L + ++lastId);
        String now = EspoCrmEmulator.DATE_TIME.format(clock.instant());
        record.put("id", id).put("createdAt", now).put("modifiedAt", now).put("deleted", false);
        if (entityType.equals("Case")) {
            record.put("number", ++lastCaseNumber);
            if (!record.hasNonNull("status")) {
                record.put("status", "New");
            }
        }
        if (entityType.equals("Lead") && !record.hasNonNull("status")) {
            record.put("status", "New");
        }
        if (entityType.equals("Opportunity") && !record.hasNonNull("stage")) {
            record.put("stage", "Prospecting");
        }
        if (entityType.equals("Email")) {
            if (!record.hasNonNull("status")) {
                record.put("status", "Archived");
            }
            if (!record.hasNonNull("messageId")) {
                record.put("messageId", "dummy:" + id);
            }
        }
        saved(entityType, record);
        violationsOf(entityType, record);
        records.computeIfAbsent(entityType, unused -> new LinkedHashMap<>()).put(id, record);
        return id;
    }

    /** Applies changed attributes to a record; false when there is none. */
    public synchronized boolean change(String entityType, String id, ObjectNode changes) {
        ObjectNode record = records.getOrDefault(entityType, new LinkedHashMap<>()).get(id);
        if (record == null) {
            return false;
        }
        record.setAll(changes.deepCopy());
        record.put("modifiedAt", EspoCrmEmulator.DATE_TIME.format(clock.instant()));
        saved(entityType, record);
        return true;
    }

    /** A copy of a record. */
    public synchronized Optional<JsonNode> get(String entityType, String id) {
        return Optional.ofNullable(records.getOrDefault(entityType, new LinkedHashMap<>()).get(id)).map(ObjectNode::deepCopy);
    }

    /** Copies of every record of a type, in creation order. */
    public synchronized List<JsonNode> all(String entityType) {
        List<JsonNode> all = new ArrayList<>();
        records.getOrDefault(entityType, new LinkedHashMap<>()).values().forEach(record -> all.add(record.deepCopy()));
        return all;
    }

    synchronized boolean remove(String entityType, String id) {
        files.remove(id);
        return records.getOrDefault(entityType, new LinkedHashMap<>()).remove(id) != null;
    }

    /** The content of an uploaded attachment. */
    public synchronized Optional<byte[]> file(String attachmentId) {
        return Optional.ofNullable(files.get(attachmentId)).map(byte[]::clone);
    }

    synchronized void file(String attachmentId, byte[] content) {
        files.put(attachmentId, content.clone());
    }

    synchronized void reset() {
        records.clear();
        files.clear();
        lastId = 0;
        lastCaseNumber = 0;
    }

    /** Every address of a record, lower case: the primary one and those of {@code emailAddressData}. */
    static List<String> addresses(JsonNode record) {
        List<String> addresses = new ArrayList<>();
        if (record.hasNonNull("emailAddress") && !record.path("emailAddress").asText().isEmpty()) {
            addresses.add(record.path("emailAddress").asText().toLowerCase(Locale.ROOT));
        }
        for (JsonNode data : record.path("emailAddressData")) {
            String address = data.path("emailAddress").asText("").toLowerCase(Locale.ROOT);
            if (!address.isEmpty() && !addresses.contains(address)) {
                addresses.add(address);
            }
        }
        return addresses;
    }

    /** The consequences of a save: names, address data, an e-mail's account and users. */
    private void saved(String entityType, ObjectNode record) {
        if (record.has("lastName") || record.has("firstName")) {
            record.put("name", (record.path("firstName").asText("") + " " + record.path("lastName").asText("")).strip());
        }
        if (record.hasNonNull("emailAddress") && !record.has("emailAddressData")) {
            record.putArray("emailAddressData").addObject().put("emailAddress", record.path("emailAddress").asText())
                .put("primary", true).put("optOut", false).put("invalid", false);
        }
        if (entityType.equals("Email")) {
            if (!record.hasNonNull("name") && record.hasNonNull("subject")) {
                record.put("name", record.path("subject").asText());
            }
            String parentType = record.path("parentType").asText("");
            String parentId = record.path("parentId").asText("");
            Optional<ObjectNode> parent = Optional.ofNullable(records.getOrDefault(parentType, new LinkedHashMap<>()).get(parentId));
            record.put("accountId", parentType.equals("Account") ? parentId
                : parent.map(found -> found.path("accountId").asText(null)).orElse(null));
            List<String> users = new ArrayList<>();
            for (String field : List.of("from", "to", "cc")) {
                for (String address : record.path(field).asText("").split(";")) {
                    userOf(address.strip()).filter(user -> !users.contains(user)).ifPresent(users::add);
                }
            }
            if (record.hasNonNull("assignedUserId") && !users.contains(record.path("assignedUserId").asText())) {
                users.add(record.path("assignedUserId").asText());
            }
            var usersIds = record.putArray("usersIds");
            users.forEach(usersIds::add);
        }
    }

    private Optional<String> userOf(String address) {
        if (address.isEmpty()) {
            return Optional.empty();
        }
        return records.getOrDefault("User", new LinkedHashMap<>()).values().stream()
            .filter(user -> addresses(user).contains(address.toLowerCase(Locale.ROOT))).map(user -> user.path("id").asText()).findFirst();
    }

    private void violationsOf(String entityType, ObjectNode record) {
        String operation = "POST " + entityType;
        Map<String, Object> evidence = EspoCrmEmulator.MAPPER.convertValue(record, Map.class);
        if (record.hasNonNull(CAPTURE_KEY)) {
            String key = record.path(CAPTURE_KEY).asText();
            boolean again = records.getOrDefault(entityType, new LinkedHashMap<>()).values().stream()
                .anyMatch(other -> key.equals(other.path(CAPTURE_KEY).asText(null)));
            if (again) {
                violations.record(Violation.Kind.DUPLICATE_RECORD, operation, "a second " + entityType + " of the capture " + key, evidence);
            }
        }
        if (entityType.equals("Contact")) {
            List<String> addresses = addresses(record);
            boolean again = records.getOrDefault("Contact", new LinkedHashMap<>()).values().stream()
                .anyMatch(other -> addresses(other).stream().anyMatch(addresses::contains));
            if (again) {
                violations.record(Violation.Kind.DUPLICATE_RECORD, operation, "a second Contact of the address " + addresses, evidence);
            }
        }
        if (entityType.equals("Email")) {
            String messageId = record.path("messageId").asText("");
            boolean again = !messageId.startsWith("dummy:") && records.getOrDefault("Email", new LinkedHashMap<>()).values().stream()
                .anyMatch(other -> messageId.equals(other.path("messageId").asText()));
            if (again) {
                violations.record(Violation.Kind.DUPLICATE_RECORD, operation, "a second Email of the Message-ID " + messageId, evidence);
            }
            if (record.path("status").asText().equals("Sending")) {
                violations.record(Violation.Kind.EMAIL_SENT_TO_CLIENT, operation,
                    "EspoCRM sends an e-mail created with status Sending to its recipients " + record.path("to").asText(), evidence);
            }
        }
    }
}

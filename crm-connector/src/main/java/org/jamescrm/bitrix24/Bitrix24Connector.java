package org.jamescrm.bitrix24;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jamescrm.model.AttachmentInfo;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.model.MailParty;
import org.jamescrm.spi.ActivityDirection;
import org.jamescrm.spi.ClientRecord;
import org.jamescrm.spi.CrmConnector;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmRejectedException;
import org.jamescrm.spi.CrmUser;
import org.jamescrm.spi.DealStage;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.ItemType;
import org.jamescrm.spi.LeadStatus;
import org.jamescrm.spi.NewContact;
import org.jamescrm.spi.NewDeal;
import org.jamescrm.spi.NewEmailActivity;
import org.jamescrm.spi.NewLead;
import org.jsoup.Jsoup;
import org.jsoup.safety.Safelist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The capture's CRM operations on Bitrix24 (bitrix24-api §7): lookups combined into {@code batch}
 * calls, writes marked with ORIGINATOR_ID/ORIGIN_ID so a retry finds them, and e-mail activities
 * created the safe way (an outgoing one is created open and completed by an update: created
 * completed, Bitrix24 would send the mail to the client again). No capture rules here.
 */
public final class Bitrix24Connector implements CrmConnector {
    /** crm.duplicate.findbycomm looks at 20 values per call. */
    static final int FIND_BY_COMM_VALUES = 20;
    /** Legacy list methods return 50 rows per page. */
    static final int PAGE = 50;
    private static final String[] DEAL_FIELDS = {"ID", "STAGE_SEMANTIC_ID", "ASSIGNED_BY_ID", "DATE_MODIFY", "LEAD_ID", "CONTACT_ID",
        "COMPANY_ID"};
    private static final Map<ItemType, Integer> OWNER_TYPE = Map.of(ItemType.LEAD, 1, ItemType.DEAL, 2, ItemType.CONTACT, 3,
        ItemType.COMPANY, 4);

    private final Bitrix24Client client;
    private final String originatorId;
    /** The portal's CRM mode once asked (null before): simple mode converts REST leads into deals. */
    private volatile Boolean portalMode;
    private final Cache<EmailAddress, Optional<CrmUser>> users = Caffeine.newBuilder()
        .expireAfterWrite(Duration.ofMinutes(10)).maximumSize(10_000).build();

    public Bitrix24Connector(Bitrix24Client client, String originatorId) {
        this.client = client;
        this.originatorId = originatorId;
    }

    @Override
    public String name() {
        return "bitrix24";
    }

    /** Calls {@code crm.settings.mode.get}: cheap, and it needs valid credentials and the crm scope. */
    @Override
    public void checkConnection() throws CrmException {
        client.call("crm.settings.mode.get", client.params());
    }

    // ---- lookups ----

    @Override
    public Map<EmailAddress, CrmUser> findUsers(Set<EmailAddress> emails) throws CrmException {
        List<EmailAddress> unknown = emails.stream().filter(email -> users.getIfPresent(email) == null).toList();
        for (List<EmailAddress> chunk : chunks(unknown, PAGE)) {
            Map<String, Bitrix24Client.Command> commands = new LinkedHashMap<>();
            for (int i = 0; i < chunk.size(); i++) {
                ObjectNode params = client.params();
                ObjectNode filter = params.putObject("FILTER");
                filter.put("EMAIL", chunk.get(i).value());
                filter.put("ACTIVE", true);
                commands.put("u" + i, new Bitrix24Client.Command("user.get", params));
            }
            Bitrix24Client.BatchResult result = client.batch(commands, false);
            for (int i = 0; i < chunk.size(); i++) {
                EmailAddress email = chunk.get(i);
                Optional<CrmUser> user = Optional.empty();
                for (JsonNode candidate : result.get("u" + i)) {
                    // the filter may be loose on some portals: compare the address ourselves
                    if (candidate.path("EMAIL").asText("").equalsIgnoreCase(email.value())) {
                        String name = (candidate.path("NAME").asText("") + " " + candidate.path("LAST_NAME").asText("")).strip();
                        user = Optional.of(new CrmUser(candidate.path("ID").asText(), email, name.isEmpty() ? email.value() : name));
                        break;
                    }
                }
                users.put(email, user);
            }
        }
        Map<EmailAddress, CrmUser> found = new LinkedHashMap<>();
        for (EmailAddress email : emails) {
            Optional<CrmUser> user = users.getIfPresent(email);
            if (user != null && user.isPresent()) {
                found.put(email, user.get());
            }
        }
        return found;
    }

    @Override
    public Map<EmailAddress, ClientRecord> findClients(Set<EmailAddress> emails) throws CrmException {
        Map<EmailAddress, ClientRecord> records = new LinkedHashMap<>();
        if (emails.isEmpty()) {
            return records;
        }
        // 1. which leads, contacts and companies carry the addresses
        Set<String> leadIds = new LinkedHashSet<>();
        Set<String> contactIds = new LinkedHashSet<>();
        Set<String> companyIds = new LinkedHashSet<>();
        List<List<EmailAddress>> chunks = chunks(List.copyOf(emails), FIND_BY_COMM_VALUES);
        Map<String, Bitrix24Client.Command> lookups = new LinkedHashMap<>();
        for (int i = 0; i < chunks.size(); i++) {
            ObjectNode params = client.params();
            params.put("type", "EMAIL");
            ArrayNode values = params.putArray("values");
            chunks.get(i).forEach(email -> values.add(email.value()));
            lookups.put("f" + i, new Bitrix24Client.Command("crm.duplicate.findbycomm", params));
        }
        Bitrix24Client.BatchResult found = client.batch(lookups, false);
        for (String id : lookups.keySet()) {
            JsonNode result = found.get(id); // [] when nothing matches
            result.path("LEAD").forEach(value -> leadIds.add(value.asText()));
            result.path("CONTACT").forEach(value -> contactIds.add(value.asText()));
            result.path("COMPANY").forEach(value -> companyIds.add(value.asText()));
        }
        // 2. their details and their deals, in one batch
        Map<String, Bitrix24Client.Command> details = new LinkedHashMap<>();
        listBy(details, "leads", "crm.lead.list", "ID", leadIds, "ID", "STATUS_SEMANTIC_ID", "ASSIGNED_BY_ID", "DATE_MODIFY", "EMAIL");
        listBy(details, "contacts", "crm.contact.list", "ID", contactIds, "ID", "ASSIGNED_BY_ID", "COMPANY_ID", "EMAIL");
        listBy(details, "companies", "crm.company.list", "ID", companyIds, "ID", "ASSIGNED_BY_ID", "EMAIL");
        listBy(details, "dealsByContact", "crm.deal.list", "CONTACT_ID", contactIds, DEAL_FIELDS);
        listBy(details, "dealsByCompany", "crm.deal.list", "COMPANY_ID", companyIds, DEAL_FIELDS);
        listBy(details, "dealsByLead", "crm.deal.list", "LEAD_ID", leadIds, DEAL_FIELDS);
        Bitrix24Client.BatchResult rows = details.isEmpty() ? null : client.batch(details, false);
        for (EmailAddress email : emails) {
            records.put(email, rows == null ? ClientRecord.unknown(email) : record(email, rows, details.keySet()));
        }
        return records;
    }

    private ClientRecord record(EmailAddress email, Bitrix24Client.BatchResult rows, Set<String> commandIds) throws CrmException {
        List<ClientRecord.Lead> leads = new ArrayList<>();
        List<ClientRecord.Contact> contacts = new ArrayList<>();
        List<ClientRecord.Company> companies = new ArrayList<>();
        Set<String> leadIds = new LinkedHashSet<>();
        Set<String> contactIds = new LinkedHashSet<>();
        Set<String> companyIds = new LinkedHashSet<>();
        for (JsonNode lead : rowsOf(rows, commandIds, "leads")) {
            if (hasEmail(lead, email)) {
                leadIds.add(lead.path("ID").asText());
                leads.add(new ClientRecord.Lead(lead.path("ID").asText(), leadStatus(lead.path("STATUS_SEMANTIC_ID").asText("P")),
                    user(lead.path("ASSIGNED_BY_ID")), time(lead.path("DATE_MODIFY"))));
            }
        }
        for (JsonNode contact : rowsOf(rows, commandIds, "contacts")) {
            if (hasEmail(contact, email)) {
                contactIds.add(contact.path("ID").asText());
                Optional<String> companyId = user(contact.path("COMPANY_ID"));
                companyId.ifPresent(companyIds::add);
                contacts.add(new ClientRecord.Contact(contact.path("ID").asText(), user(contact.path("ASSIGNED_BY_ID")), companyId));
            }
        }
        for (JsonNode company : rowsOf(rows, commandIds, "companies")) {
            if (hasEmail(company, email) || companyIds.contains(company.path("ID").asText())) {
                companyIds.add(company.path("ID").asText());
                companies.add(new ClientRecord.Company(company.path("ID").asText(), user(company.path("ASSIGNED_BY_ID"))));
            }
        }
        Map<String, ClientRecord.Deal> deals = new LinkedHashMap<>();
        for (String command : List.of("dealsByContact", "dealsByCompany", "dealsByLead")) {
            for (JsonNode deal : rowsOf(rows, commandIds, command)) {
                boolean mine = contactIds.contains(deal.path("CONTACT_ID").asText("-"))
                    || companyIds.contains(deal.path("COMPANY_ID").asText("-"))
                    || leadIds.contains(deal.path("LEAD_ID").asText("-"));
                if (mine) {
                    deals.putIfAbsent(deal.path("ID").asText(), new ClientRecord.Deal(deal.path("ID").asText(),
                        dealStage(deal.path("STAGE_SEMANTIC_ID").asText("P")), user(deal.path("ASSIGNED_BY_ID")),
                        time(deal.path("DATE_MODIFY")), user(deal.path("LEAD_ID"))));
                }
            }
        }
        return new ClientRecord(email, contacts, companies, leads, List.copyOf(deals.values()));
    }

    @Override
    public List<ItemRef> findThreadItems(List<String> messageIds) throws CrmException {
        if (messageIds.isEmpty()) {
            return List.of();
        }
        Map<String, Bitrix24Client.Command> commands = new LinkedHashMap<>();
        List<String> ids = messageIds.subList(0, Math.min(messageIds.size(), PAGE));
        for (int i = 0; i < ids.size(); i++) {
            ObjectNode params = client.params();
            ObjectNode filter = params.putObject("filter");
            filter.put("ORIGINATOR_ID", originatorId);
            filter.put("ORIGIN_ID", ids.get(i));
            params.putArray("select").add("ID").add("OWNER_TYPE_ID").add("OWNER_ID").add("COMMUNICATIONS");
            commands.put("t" + i, new Bitrix24Client.Command("crm.activity.list", params));
        }
        Bitrix24Client.BatchResult result = client.batch(commands, false);
        for (int i = 0; i < ids.size(); i++) {
            Set<ItemRef> bindings = new LinkedHashSet<>();
            for (JsonNode activity : result.get("t" + i)) {
                itemRef(activity.path("OWNER_TYPE_ID").asInt(), activity.path("OWNER_ID").asText()).ifPresent(bindings::add);
                for (JsonNode communication : activity.path("COMMUNICATIONS")) {
                    itemRef(communication.path("ENTITY_TYPE_ID").asInt(), communication.path("ENTITY_ID").asText()).ifPresent(bindings::add);
                }
            }
            if (!bindings.isEmpty()) {
                return List.copyOf(bindings);
            }
        }
        return List.of();
    }

    @Override
    public Optional<String> findActivityByOriginKey(String originKey) throws CrmException {
        return firstIdByOrigin("crm.activity.list", originKey);
    }

    @Override
    public Optional<ItemRef> findLeadByOriginKey(String originKey) throws CrmException {
        return firstIdByOrigin("crm.lead.list", originKey).map(id -> new ItemRef(ItemType.LEAD, id));
    }

    @Override
    public Optional<ItemRef> findContactByOriginKey(String originKey) throws CrmException {
        return firstIdByOrigin("crm.contact.list", originKey).map(id -> new ItemRef(ItemType.CONTACT, id));
    }

    @Override
    public Optional<ItemRef> findDealByOriginKey(String originKey) throws CrmException {
        return firstIdByOrigin("crm.deal.list", originKey).map(id -> new ItemRef(ItemType.DEAL, id));
    }

    @Override
    public Map<String, Integer> countOpenItems(Set<String> userIds) throws CrmException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        List<String> ids = List.copyOf(userIds);
        for (List<String> chunk : chunks(ids, 25)) {
            Map<String, Bitrix24Client.Command> commands = new LinkedHashMap<>();
            for (int i = 0; i < chunk.size(); i++) {
                commands.put("l" + i, new Bitrix24Client.Command("crm.lead.list", openFilter("STATUS_SEMANTIC_ID", chunk.get(i))));
                commands.put("d" + i, new Bitrix24Client.Command("crm.deal.list", openFilter("STAGE_SEMANTIC_ID", chunk.get(i))));
            }
            Bitrix24Client.BatchResult result = client.batch(commands, false);
            for (int i = 0; i < chunk.size(); i++) {
                result.get("l" + i);
                result.get("d" + i);
                counts.put(chunk.get(i), result.totals().getOrDefault("l" + i, 0) + result.totals().getOrDefault("d" + i, 0));
            }
        }
        return counts;
    }

    // ---- writes ----

    @Override
    public ItemRef createLead(NewLead lead) throws CrmException {
        ObjectNode fields = client.params();
        fields.put("TITLE", lead.title());
        fields.put("NAME", lead.name());
        email(fields, lead.email());
        fields.put("SOURCE_ID", lead.source());
        fields.put("OPENED", "Y");
        lead.responsibleId().ifPresent(id -> fields.put("ASSIGNED_BY_ID", id));
        // IS_RETURN_CUSTOMER cannot be written: Bitrix24 sets it when the lead names the client's contact or company
        lead.clientItems().stream().filter(item -> item.type() == ItemType.CONTACT).findFirst()
            .ifPresent(contact -> fields.put("CONTACT_ID", contact.id()));
        lead.clientItems().stream().filter(item -> item.type() == ItemType.COMPANY).findFirst()
            .ifPresent(company -> fields.put("COMPANY_ID", company.id()));
        origin(fields, lead.originKey());
        String leadId = add("crm.lead.add", fields);
        if (simpleMode()) {
            // a portal without leads converts a REST lead into a deal at once: the mail belongs to that deal
            Optional<String> deal = firstId("crm.deal.list", "LEAD_ID", leadId);
            if (deal.isPresent()) {
                return new ItemRef(ItemType.DEAL, deal.get());
            }
        }
        return new ItemRef(ItemType.LEAD, leadId);
    }

    /** Whether the portal runs the simple (leadless) CRM mode: {@code crm.settings.mode.get} = 2, asked once. */
    private boolean simpleMode() throws CrmException {
        Boolean simple = portalMode;
        if (simple == null) {
            simple = client.call("crm.settings.mode.get", client.params()).path("result").asInt(1) == 2;
            portalMode = simple;
        }
        return simple;
    }

    @Override
    public ItemRef createContact(NewContact contact) throws CrmException {
        ObjectNode fields = client.params();
        fields.put("NAME", contact.name());
        email(fields, contact.email());
        fields.put("TYPE_ID", "CLIENT");
        fields.put("SOURCE_ID", "EMAIL");
        fields.put("OPENED", "Y");
        contact.responsibleId().ifPresent(id -> fields.put("ASSIGNED_BY_ID", id));
        origin(fields, contact.originKey());
        return new ItemRef(ItemType.CONTACT, add("crm.contact.add", fields));
    }

    @Override
    public ItemRef createDeal(NewDeal deal) throws CrmException {
        ObjectNode fields = client.params();
        fields.put("TITLE", deal.title());
        deal.contact().ifPresent(contact -> fields.put("CONTACT_ID", contact.id()));
        deal.company().ifPresent(company -> fields.put("COMPANY_ID", company.id()));
        deal.responsibleId().ifPresent(id -> fields.put("ASSIGNED_BY_ID", id));
        fields.put("IS_RETURN_CUSTOMER", deal.returnCustomer() ? "Y" : "N");
        fields.put("SOURCE_ID", "EMAIL");
        fields.put("OPENED", "Y");
        origin(fields, deal.originKey());
        return new ItemRef(ItemType.DEAL, add("crm.deal.add", fields));
    }

    @Override
    public String createEmailActivity(NewEmailActivity email) throws CrmException {
        if (email.bindings().isEmpty()) {
            throw new CrmRejectedException("an e-mail activity needs at least one CRM item to bind to");
        }
        ItemRef owner = email.bindings().get(0);
        ObjectNode fields = client.params();
        fields.put("OWNER_TYPE_ID", OWNER_TYPE.get(owner.type()));
        fields.put("OWNER_ID", owner.id());
        fields.put("TYPE_ID", 4);
        fields.put("DIRECTION", email.direction() == ActivityDirection.INCOMING ? 1 : 2);
        fields.put("SUBJECT", email.subject().isBlank() ? "(no subject)" : email.subject());
        description(fields, email);
        // never created completed: an outgoing e-mail activity created completed is sent to the client again
        fields.put("COMPLETED", "N");
        email.responsibleId().ifPresent(id -> fields.put("RESPONSIBLE_ID", id));
        Instant start = email.sentAt().orElse(email.receivedAt());
        fields.put("START_TIME", start.toString());
        fields.put("END_TIME", start.toString());
        ArrayNode communications = fields.putArray("COMMUNICATIONS");
        EmailAddress clientAddress = email.clients().isEmpty() ? email.from().address() : email.clients().get(0);
        for (ItemRef binding : email.bindings()) {
            ObjectNode communication = communications.addObject();
            communication.put("VALUE", clientAddress.value());
            communication.put("ENTITY_TYPE_ID", OWNER_TYPE.get(binding.type()));
            communication.put("ENTITY_ID", binding.id());
            communication.put("TYPE", "EMAIL");
        }
        origin(fields, email.originKey());
        ObjectNode settings = fields.putObject("SETTINGS");
        ObjectNode meta = settings.putObject("EMAIL_META");
        meta.put("from", party(email.from()));
        meta.put("to", String.join(", ", email.to().stream().map(Bitrix24Connector::party).toList()));
        meta.put("cc", String.join(", ", email.cc().stream().map(Bitrix24Connector::party).toList()));
        email.messageId().ifPresent(id -> settings.putObject("MESSAGE_HEADERS").put("Message-Id", id));
        ArrayNode files = fields.putArray("FILES");
        for (AttachmentInfo attachment : email.attachments()) {
            if (attachment.hasContent() && attachment.size() > 0) {
                files.addObject().putArray("fileData").add(attachment.fileName()).add(Base64.getEncoder().encodeToString(attachment.content()));
            }
        }
        ObjectNode add = client.params();
        add.set("fields", fields);
        Map<String, Bitrix24Client.Command> commands = new LinkedHashMap<>();
        commands.put("add", new Bitrix24Client.Command("crm.activity.add", add));
        if (email.completed()) {
            ObjectNode update = client.params();
            update.put("id", "$result[add]");
            update.putObject("fields").put("COMPLETED", "Y");
            commands.put("complete", new Bitrix24Client.Command("crm.activity.update", update));
        }
        Bitrix24Client.BatchResult result = client.batch(commands, true);
        String id = result.get("add").asText();
        if (email.completed()) {
            result.get("complete");
        }
        return id;
    }

    // ---- helpers ----

    private String add(String method, ObjectNode fields) throws CrmException {
        ObjectNode params = client.params();
        params.set("fields", fields);
        return client.call(method, params).path("result").asText();
    }

    private Optional<String> firstIdByOrigin(String method, String originKey) throws CrmException {
        ObjectNode params = client.params();
        ObjectNode filter = params.putObject("filter");
        filter.put("ORIGINATOR_ID", originatorId);
        filter.put("ORIGIN_ID", originKey);
        return firstId(method, params);
    }

    private Optional<String> firstId(String method, String field, String value) throws CrmException {
        ObjectNode params = client.params();
        params.putObject("filter").put(field, value);
        return firstId(method, params);
    }

    private Optional<String> firstId(String method, ObjectNode params) throws CrmException {
        params.putArray("select").add("ID");
        params.put("start", -1);
        JsonNode rows = client.call(method, params).path("result");
        return rows.isArray() && rows.size() > 0 ? Optional.of(rows.get(0).path("ID").asText()) : Optional.empty();
    }

    private ObjectNode openFilter(String semanticField, String userId) {
        ObjectNode params = client.params();
        ObjectNode filter = params.putObject("filter");
        filter.put(semanticField, "P");
        filter.put("ASSIGNED_BY_ID", userId);
        params.putArray("select").add("ID");
        return params;
    }

    /** List commands for the rows whose {@code field} is one of {@code ids}, 50 ids per command. */
    private void listBy(Map<String, Bitrix24Client.Command> commands, String name, String method, String field, Set<String> ids,
                        String... select) {
        List<List<String>> chunks = chunks(List.copyOf(ids), PAGE);
        for (int i = 0; i < chunks.size(); i++) {
            ObjectNode params = client.params();
            ArrayNode filter = params.putObject("filter").putArray("@" + field);
            chunks.get(i).forEach(filter::add);
            ArrayNode fields = params.putArray("select");
            for (String selected : select) {
                fields.add(selected);
            }
            params.put("start", -1);
            commands.put(name + i, new Bitrix24Client.Command(method, params));
        }
    }

    private static List<JsonNode> rowsOf(Bitrix24Client.BatchResult rows, Set<String> commandIds, String name) throws CrmException {
        List<JsonNode> all = new ArrayList<>();
        for (String id : commandIds) {
            if (id.matches(name + "\\d+")) {
                rows.get(id).forEach(all::add);
            }
        }
        return all;
    }

    private void origin(ObjectNode fields, String originKey) {
        fields.put("ORIGINATOR_ID", originatorId);
        fields.put("ORIGIN_ID", originKey);
    }

    private static void email(ObjectNode fields, EmailAddress email) {
        ObjectNode value = fields.putArray("EMAIL").addObject();
        value.put("VALUE", email.value());
        value.put("VALUE_TYPE", "WORK");
    }

    private static void description(ObjectNode fields, NewEmailActivity email) {
        StringBuilder listed = new StringBuilder();
        for (AttachmentInfo attachment : email.attachments()) {
            if (!attachment.hasContent()) {
                listed.append(attachment.fileName()).append(" (").append(attachment.size()).append(" bytes)\n");
            }
        }
        if (email.htmlBody().isPresent()) {
            // sanitized: the CRM shows this HTML to its users
            String html = Jsoup.clean(email.htmlBody().get(), Safelist.relaxed());
            if (listed.length() > 0) {
                html += "<p>Attachments not stored:<br>" + Jsoup.clean(listed.toString().replace("\n", "<br>"), Safelist.basic()) + "</p>";
            }
            fields.put("DESCRIPTION", html);
            fields.put("DESCRIPTION_TYPE", 3);
        } else {
            fields.put("DESCRIPTION", email.textBody() + (listed.length() > 0 ? "\n\nAttachments not stored:\n" + listed : ""));
            fields.put("DESCRIPTION_TYPE", 1);
        }
    }

    private static String party(MailParty party) {
        return party.displayName().map(name -> name + " <" + party.address().value() + ">").orElse(party.address().value());
    }

    private static Optional<ItemRef> itemRef(int ownerType, String id) {
        return OWNER_TYPE.entrySet().stream().filter(entry -> entry.getValue() == ownerType).findFirst()
            .filter(entry -> !id.isEmpty() && !id.equals("0"))
            .map(entry -> new ItemRef(entry.getKey(), id));
    }

    private static Optional<String> user(JsonNode value) {
        String text = value.asText("");
        return text.isEmpty() || text.equals("0") ? Optional.empty() : Optional.of(text);
    }

    private static boolean hasEmail(JsonNode entity, EmailAddress email) {
        for (JsonNode value : entity.path("EMAIL")) {
            if (value.path("VALUE").asText("").strip().toLowerCase(Locale.ROOT).equals(email.value())) {
                return true;
            }
        }
        return false;
    }

    private static LeadStatus leadStatus(String semantic) {
        return switch (semantic) {
            case "S" -> LeadStatus.CONVERTED;
            case "F" -> LeadStatus.JUNK;
            default -> LeadStatus.OPEN;
        };
    }

    private static DealStage dealStage(String semantic) {
        return switch (semantic) {
            case "S" -> DealStage.WON;
            case "F" -> DealStage.LOST;
            default -> DealStage.IN_PROGRESS;
        };
    }

    private static Instant time(JsonNode value) {
        try {
            return OffsetDateTime.parse(value.asText("")).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.EPOCH; // an empty or odd date sorts last
        }
    }

    private static <T> List<List<T>> chunks(List<T> items, int size) {
        List<List<T>> chunks = new ArrayList<>();
        for (int i = 0; i < items.size(); i += size) {
            chunks.add(items.subList(i, Math.min(items.size(), i + size)));
        }
        return chunks;
    }
}

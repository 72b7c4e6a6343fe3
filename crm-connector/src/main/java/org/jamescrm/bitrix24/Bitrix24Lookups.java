package org.jamescrm.bitrix24;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.spi.ClientRecord;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.ItemType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The capture's lookups as {@code batch} commands, so the lookups of many mails share a few
 * requests: each kind adds its commands to a set, {@link #run} sends the set fifty commands per
 * request and follows the pages of long lists, and the kind reads its rows back by name.
 */
final class Bitrix24Lookups {
    /** crm.duplicate.findbycomm looks at 20 values per call (bitrix24-api §7.5). */
    static final int FIND_BY_COMM_VALUES = 20;
    /** List methods return 50 rows per page (bitrix24-api §4). */
    static final int PAGE = 50;
    /** A batch holds at most 50 commands (bitrix24-api §5). */
    static final int BATCH = 50;
    /** Pages followed per list command at most: a lookup never walks a whole portal. */
    private static final int MAX_PAGES = 20;
    private static final String[] DEAL_FIELDS = {"ID", "STAGE_SEMANTIC_ID", "ASSIGNED_BY_ID", "DATE_MODIFY", "LEAD_ID", "CONTACT_ID",
        "COMPANY_ID", "ORIGINATOR_ID", "ORIGIN_ID"};

    private final Bitrix24Client client;
    private final Bitrix24Fields fields;

    Bitrix24Lookups(Bitrix24Client client, Bitrix24Fields fields) {
        this.client = client;
        this.fields = fields;
    }

    /** The leads, contacts and companies found by address, by id. */
    record ClientIds(Set<String> leads, Set<String> contacts, Set<String> companies) {
    }

    /**
     * The rows and totals of a command set, by command name; the rows of later pages are added to
     * their command's.
     */
    record Rows(Map<String, List<JsonNode>> rows, Map<String, Integer> totals) {

        /** All rows of the commands {@code name0}, {@code name1}, … */
        List<JsonNode> named(String name) {
            Pattern pattern = Pattern.compile(Pattern.quote(name) + "\\d+");
            List<JsonNode> all = new ArrayList<>();
            rows.forEach((id, list) -> {
                if (pattern.matcher(id).matches()) {
                    all.addAll(list);
                }
            });
            return all;
        }

        /** The single result of a command that is not a list (e.g. findbycomm's map). */
        JsonNode result(String id) {
            List<JsonNode> list = rows.getOrDefault(id, List.of());
            return list.isEmpty() ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : list.get(0);
        }
    }

    // ---- command builders ----

    /** {@code crm.duplicate.findbycomm} for the addresses, 20 per command: {@code f0}, {@code f1}, … */
    void findByComm(Map<String, Bitrix24Client.Command> commands, Collection<EmailAddress> emails) {
        List<List<EmailAddress>> chunks = chunks(List.copyOf(emails), FIND_BY_COMM_VALUES);
        for (int i = 0; i < chunks.size(); i++) {
            ObjectNode params = client.params();
            params.put("type", "EMAIL");
            ArrayNode values = params.putArray("values");
            chunks.get(i).forEach(email -> values.add(email.value()));
            commands.put("f" + i, new Bitrix24Client.Command("crm.duplicate.findbycomm", params));
        }
    }

    /** The ids {@link #findByComm} found ({@code []} when nothing matched). */
    ClientIds clientIds(Rows rows) {
        Set<String> leads = new LinkedHashSet<>();
        Set<String> contacts = new LinkedHashSet<>();
        Set<String> companies = new LinkedHashSet<>();
        for (String id : rows.rows().keySet()) {
            if (id.matches("f\\d+")) {
                JsonNode result = rows.result(id);
                result.path("LEAD").forEach(value -> leads.add(value.asText()));
                result.path("CONTACT").forEach(value -> contacts.add(value.asText()));
                result.path("COMPANY").forEach(value -> companies.add(value.asText()));
            }
        }
        return new ClientIds(leads, contacts, companies);
    }

    /** The found items' details and their deals. */
    void details(Map<String, Bitrix24Client.Command> commands, ClientIds ids) {
        listIn(commands, "leads", "crm.lead.list", "ID", ids.leads(), "ID", "STATUS_SEMANTIC_ID", "ASSIGNED_BY_ID", "DATE_MODIFY", "EMAIL",
            "ORIGINATOR_ID", "ORIGIN_ID");
        listIn(commands, "contacts", "crm.contact.list", "ID", ids.contacts(), "ID", "ASSIGNED_BY_ID", "COMPANY_ID", "EMAIL",
            "ORIGINATOR_ID", "ORIGIN_ID");
        listIn(commands, "companies", "crm.company.list", "ID", ids.companies(), "ID", "ASSIGNED_BY_ID", "EMAIL");
        listIn(commands, "dealsByContact", "crm.deal.list", "CONTACT_ID", ids.contacts(), DEAL_FIELDS);
        listIn(commands, "dealsByCompany", "crm.deal.list", "COMPANY_ID", ids.companies(), DEAL_FIELDS);
        listIn(commands, "dealsByLead", "crm.deal.list", "LEAD_ID", ids.leads(), DEAL_FIELDS);
    }

    /**
     * The leads, contacts and deals among the rows of {@link #details} that the capture created for
     * one of {@code originKeys}: what an interrupted capture already wrote. They carry the client's
     * address (leads, contacts) or belong to its contact or lead (deals), so the lookup of the
     * client's details finds them without a query of their own.
     */
    Map<String, List<ItemRef>> createdFor(Collection<String> originKeys, Rows rows) {
        Map<String, List<ItemRef>> created = new LinkedHashMap<>();
        Set<String> keys = Set.copyOf(originKeys);
        Map<ItemType, List<JsonNode>> rowsByType = Map.of(
            ItemType.LEAD, rows.named("leads"),
            ItemType.CONTACT, rows.named("contacts"),
            ItemType.DEAL, deals(rows));
        for (ItemType type : List.of(ItemType.LEAD, ItemType.CONTACT,
            ItemType.DEAL)) {
            for (JsonNode row : rowsByType.get(type)) {
                String key = row.path("ORIGIN_ID").asText("");
                if (keys.contains(key) && fields.isOurs(row)) {
                    ItemRef item = new ItemRef(type, row.path("ID").asText());
                    List<ItemRef> items = created.computeIfAbsent(key, k -> new ArrayList<>());
                    if (!items.contains(item)) {
                        items.add(item);
                    }
                }
            }
        }
        return created;
    }

    private static List<JsonNode> deals(Rows rows) {
        List<JsonNode> deals = new ArrayList<>(rows.named("dealsByContact"));
        deals.addAll(rows.named("dealsByCompany"));
        deals.addAll(rows.named("dealsByLead"));
        return deals;
    }

    /** The record of each address from the rows of {@link #details}. */
    Map<EmailAddress, ClientRecord> clients(Collection<EmailAddress> emails, Rows rows) {
        List<JsonNode> deals = deals(rows);
        Map<EmailAddress, ClientRecord> records = new LinkedHashMap<>();
        for (EmailAddress email : emails) {
            records.put(email, Bitrix24Records.clientRecord(email, rows.named("leads"), rows.named("contacts"),
                rows.named("companies"), deals));
        }
        return records;
    }

    /** The capture's own rows of {@code method} whose ORIGIN_ID is one of {@code keys}: {@code name0}, … */
    void byOrigin(Map<String, Bitrix24Client.Command> commands, String name, String method, Collection<String> keys,
                  String... select) {
        List<List<String>> chunks = chunks(List.copyOf(keys), PAGE);
        for (int i = 0; i < chunks.size(); i++) {
            ObjectNode params = client.params();
            ArrayNode in = fields.originFilter(params).putArray("@ORIGIN_ID");
            chunks.get(i).forEach(in::add);
            select(params, select);
            commands.put(name + i, new Bitrix24Client.Command(method, params));
        }
    }

    /** The rows of {@link #byOrigin} by their ORIGIN_ID. */
    static Map<String, List<JsonNode>> byOrigin(Rows rows, String name) {
        Map<String, List<JsonNode>> byKey = new LinkedHashMap<>();
        for (JsonNode row : rows.named(name)) {
            byKey.computeIfAbsent(row.path("ORIGIN_ID").asText(), key -> new ArrayList<>()).add(row);
        }
        return byKey;
    }

    /** Counts of each user's open leads and deals in progress: {@code openLeads0}, {@code openDeals0}, … */
    void openItems(Map<String, Bitrix24Client.Command> commands, List<String> userIds) {
        for (int i = 0; i < userIds.size(); i++) {
            commands.put("openLeads" + i, new Bitrix24Client.Command("crm.lead.list", openFilter("STATUS_SEMANTIC_ID", userIds.get(i))));
            commands.put("openDeals" + i, new Bitrix24Client.Command("crm.deal.list", openFilter("STAGE_SEMANTIC_ID", userIds.get(i))));
        }
    }

    /** The counts of {@link #openItems}, by user id. */
    static Map<String, Integer> openItems(Rows rows, List<String> userIds) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < userIds.size(); i++) {
            counts.put(userIds.get(i), rows.totals().getOrDefault("openLeads" + i, 0) + rows.totals().getOrDefault("openDeals" + i, 0));
        }
        return counts;
    }

    // ---- running ----

    /**
     * Sends the commands, fifty per request; then, for list commands with more rows than one page
     * (except the counting commands of {@link #openItems}, whose total is all they need), the next
     * pages, again fifty commands per request.
     *
     * @throws CrmException when a request or a command fails
     */
    Rows run(Map<String, Bitrix24Client.Command> commands) throws CrmException {
        Map<String, List<JsonNode>> rows = new LinkedHashMap<>();
        Map<String, Integer> totals = new LinkedHashMap<>();
        Map<String, Bitrix24Client.Command> next = new LinkedHashMap<>(commands);
        Map<String, String> pageOf = new LinkedHashMap<>(); // page command -> its command
        int pages = 0;
        while (!next.isEmpty() && pages++ <= MAX_PAGES) {
            Map<String, Bitrix24Client.Command> following = new LinkedHashMap<>();
            for (Map<String, Bitrix24Client.Command> chunk : chunks(next)) {
                Bitrix24Client.BatchResult result = client.batch(chunk, false);
                for (Map.Entry<String, Bitrix24Client.Command> entry : chunk.entrySet()) {
                    String id = entry.getKey();
                    String command = pageOf.getOrDefault(id, id);
                    JsonNode value = result.get(id);
                    List<JsonNode> list = rows.computeIfAbsent(command, key -> new ArrayList<>());
                    if (value.isArray()) {
                        value.forEach(list::add);
                    } else if (!value.isMissingNode()) {
                        list.add(value);
                    }
                    Integer total = result.totals().get(id);
                    if (total != null) {
                        totals.putIfAbsent(command, total);
                        if (!command.matches("open(Leads|Deals)\\d+") && list.size() < total && value.isArray() && value.size() > 0) {
                            ObjectNode params = entry.getValue().params().deepCopy();
                            params.put("start", list.size());
                            String page = command + "_p" + list.size();
                            pageOf.put(page, command);
                            following.put(page, new Bitrix24Client.Command(entry.getValue().method(), params));
                        }
                    }
                }
            }
            next = following;
        }
        return new Rows(rows, totals);
    }

    private ObjectNode openFilter(String semanticField, String userId) {
        ObjectNode params = client.params();
        ObjectNode filter = params.putObject("filter");
        filter.put(semanticField, "P");
        filter.put("ASSIGNED_BY_ID", userId);
        params.putArray("select").add("ID");
        return params;
    }

    /** List commands for the rows whose {@code field} is one of {@code ids}, 50 ids per command: {@code name0}, … */
    void listIn(Map<String, Bitrix24Client.Command> commands, String name, String method, String field, Set<String> ids,
                        String... select) {
        List<List<String>> chunks = chunks(List.copyOf(ids), PAGE);
        for (int i = 0; i < chunks.size(); i++) {
            ObjectNode params = client.params();
            ArrayNode filter = params.putObject("filter").putArray("@" + field);
            chunks.get(i).forEach(filter::add);
            select(params, select);
            commands.put(name + i, new Bitrix24Client.Command(method, params));
        }
    }

    private static void select(ObjectNode params, String... select) {
        ArrayNode fields = params.putArray("select");
        for (String selected : select) {
            fields.add(selected);
        }
    }

    private static List<Map<String, Bitrix24Client.Command>> chunks(Map<String, Bitrix24Client.Command> commands) {
        List<Map<String, Bitrix24Client.Command>> chunks = new ArrayList<>();
        Map<String, Bitrix24Client.Command> chunk = new LinkedHashMap<>();
        for (Map.Entry<String, Bitrix24Client.Command> entry : commands.entrySet()) {
            if (chunk.size() == BATCH) {
                chunks.add(chunk);
                chunk = new LinkedHashMap<>();
            }
            chunk.put(entry.getKey(), entry.getValue());
        }
        if (!chunk.isEmpty()) {
            chunks.add(chunk);
        }
        return chunks;
    }

    static <T> List<List<T>> chunks(List<T> items, int size) {
        List<List<T>> chunks = new ArrayList<>();
        for (int i = 0; i < items.size(); i += size) {
            chunks.add(items.subList(i, Math.min(items.size(), i + size)));
        }
        return chunks;
    }
}

package org.jamescrm.zoho;

import static org.jamescrm.zoho.ZohoFields.CAPTURE_KEY;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.spi.ClientRecord;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmUser;
import org.jamescrm.spi.DealStage;
import org.jamescrm.spi.ItemRef;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The reads of the Zoho connector. People and deals by COQL ({@code POST coql}): exact and immediate,
 * where the search API treats {@code equals} as "contains" and lags behind writes; each query covers a
 * round's values at once ({@code in} of up to {@value #IN_VALUES}), and every answer is compared
 * exactly again. E-mails by their {@code original_message_id} ({@code email_available}, five to a
 * composite request). Active users from one cached list.
 */
final class ZohoLookups {
    /** Values of one {@code in}: COQL's limit. */
    static final int IN_VALUES = 50;
    /** Rows of one COQL page. */
    static final int PAGE = 200;
    static final Duration USERS_KEPT = Duration.ofMinutes(10);
    static final String PERSON = "id, First_Name, Last_Name, Email, Secondary_Email, Owner, Modified_Time, " + CAPTURE_KEY;

    private final ZohoClient client;
    private final ZohoComposite composite;
    private final ZohoMetadata metadata;
    private final Clock clock;
    private final Executor executor;
    private Users users;

    private record Users(Map<String, CrmUser> byAddress, Instant until) {
    }

    /** @param executor runs the queries of one lookup at once (the client keeps the concurrency) */
    ZohoLookups(ZohoClient client, ZohoComposite composite, ZohoMetadata metadata, Clock clock, Executor executor) {
        this.client = client;
        this.composite = composite;
        this.metadata = metadata;
        this.clock = clock;
        this.executor = executor;
    }

    /** The rows of several COQL queries on one module, sent at once, in the order of {@code wheres}. */
    List<JsonNode> coql(String module, String fields, List<String> wheres) throws CrmException {
        List<CompletableFuture<List<JsonNode>>> queries = new ArrayList<>();
        for (String where : wheres) {
            queries.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return coql(module, fields, where);
                } catch (CrmException e) {
                    throw new CompletionException(e);
                }
            }, executor));
        }
        List<JsonNode> rows = new ArrayList<>();
        CrmException failure = null;
        for (CompletableFuture<List<JsonNode>> query : queries) {
            try {
                rows.addAll(query.join());
            } catch (CompletionException e) {
                if (!(e.getCause() instanceof CrmException crm)) {
                    throw e;
                }
                failure = failure == null ? crm : failure; // every query ends before the first failure is the lookup's
            }
        }
        if (failure != null) {
            throw failure;
        }
        return rows;
    }

    /** Every row of a COQL query, page after page of {@value #PAGE}. */
    List<JsonNode> coql(String module, String fields, String where) throws CrmException {
        List<JsonNode> rows = new ArrayList<>();
        for (int offset = 0; ; offset += PAGE) {
            String query = "select " + fields + " from " + module + " where " + where + " limit " + PAGE + " offset " + offset;
            JsonNode answer = client.post("coql", client.object().put("select_query", query));
            JsonNode data = answer.path("data");
            data.forEach(rows::add);
            if (data.size() < PAGE || !answer.path("info").path("more_records").asBoolean(false)) {
                return rows;
            }
        }
    }

    /** {@code field in ('a', 'b')}. */
    static String in(String field, Collection<String> values) {
        return field + " in (" + values.stream().map(ZohoFields::literal).collect(Collectors.joining(", ")) + ")";
    }

    /** The chunks of {@code values} that fit one {@code in}. */
    static List<List<String>> chunks(Collection<String> values) {
        List<String> all = List.copyOf(new LinkedHashSet<>(values));
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < all.size(); from += IN_VALUES) {
            chunks.add(all.subList(from, Math.min(all.size(), from + IN_VALUES)));
        }
        return chunks;
    }

    /**
     * The records of {@code module} with one of these addresses (and {@code addressCondition}) or made by one of
     * these capture keys, in as few queries as the {@code in} limit allows.
     */
    List<JsonNode> people(String module, Set<EmailAddress> emails, Set<String> keys, String addressCondition) throws CrmException {
        List<List<String>> addressChunks = chunks(emails.stream()
            .flatMap(email -> java.util.stream.Stream.of(email.value(), email.value().toLowerCase(Locale.ROOT))).toList());
        List<List<String>> keyChunks = chunks(keys);
        List<String> wheres = new ArrayList<>();
        for (int i = 0; i < Math.max(addressChunks.size(), keyChunks.size()); i++) {
            List<String> parts = new ArrayList<>();
            if (i < addressChunks.size()) {
                parts.add("(" + in("Email", addressChunks.get(i)) + addressCondition + ")");
            }
            if (i < keyChunks.size()) {
                parts.add("(" + in(CAPTURE_KEY, keyChunks.get(i)) + ")");
            }
            wheres.add(String.join(" or ", parts));
        }
        return coql(module, PERSON + (module.equals(ZohoFields.LEADS) ? ", Lead_Status, Converted__s" : ", Account_Name"), wheres);
    }

    /** The deals of these contacts or accounts, or made by these capture keys. */
    List<JsonNode> deals(Set<String> contactIds, Set<String> accountIds, Set<String> keys) throws CrmException {
        List<List<String>> contactChunks = chunks(contactIds);
        List<List<String>> accountChunks = chunks(accountIds);
        List<List<String>> keyChunks = chunks(keys);
        int queries = Math.max(contactChunks.size(), Math.max(accountChunks.size(), keyChunks.size()));
        List<String> wheres = new ArrayList<>();
        for (int i = 0; i < queries; i++) {
            List<String> parts = new ArrayList<>();
            if (i < contactChunks.size()) {
                parts.add("(" + in("Contact_Name", contactChunks.get(i)) + ")");
            }
            if (i < accountChunks.size()) {
                parts.add("(" + in("Account_Name", accountChunks.get(i)) + ")");
            }
            if (i < keyChunks.size()) {
                parts.add("(" + in(CAPTURE_KEY, keyChunks.get(i)) + ")");
            }
            wheres.add(String.join(" or ", parts));
        }
        List<JsonNode> found = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (JsonNode deal : coql(ZohoFields.DEALS, "id, Deal_Name, Stage, Pipeline, Owner, Modified_Time, Contact_Name, Account_Name, "
            + CAPTURE_KEY, wheres)) {
            if (seen.add(deal.path("id").asText())) {
                found.add(deal);
            }
        }
        return found;
    }

    /** The accounts of these ids. */
    List<JsonNode> accounts(Set<String> ids) throws CrmException {
        return coql(ZohoFields.ACCOUNTS, "id, Account_Name, Owner", chunks(ids).stream().map(chunk -> in("id", chunk)).toList());
    }

    /** The id of each capture key's record of {@code type}, among records already read. */
    static Map<String, String> byCaptureKey(List<JsonNode> records, Set<String> keys) {
        Map<String, String> ids = new LinkedHashMap<>();
        for (JsonNode record : records) {
            String key = record.path(CAPTURE_KEY).asText("");
            if (keys.contains(key)) {
                ids.putIfAbsent(key, record.path("id").asText());
            }
        }
        return ids;
    }

    /**
     * What Zoho holds of each e-mail by its {@code original_message_id}: the record it was associated with
     * and its linked record; absent when Zoho holds no such e-mail. The OAS spells the parameter
     * {@code orginal_message_id}; both spellings are sent, so either server reading works.
     */
    Map<String, List<ItemRef>> emails(Set<String> messageIds) throws CrmException {
        List<String> ids = List.copyOf(messageIds);
        List<ZohoComposite.Sub> subs = ids.stream().map(id -> ZohoComposite.Sub.get("actions/email_available",
            Map.of("original_message_id", id, "orginal_message_id", id))).toList();
        List<ZohoComposite.Answer> answers = composite.run(subs);
        Map<String, List<ItemRef>> found = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            ZohoComposite.Answer answer = answers.get(i);
            if (answer.failed()) {
                throw answer.failure();
            }
            JsonNode body = answer.body();
            if (!body.path("available").asBoolean(false)) {
                continue;
            }
            List<ItemRef> items = new ArrayList<>();
            JsonNode record = body.path("record");
            item(record).ifPresent(items::add);
            JsonNode linked = body.has("linked_record") ? body.path("linked_record") : record.path("linked_record");
            item(linked).filter(ref -> !items.contains(ref)).ifPresent(items::add);
            found.put(ids.get(i), items);
        }
        return found;
    }

    private static Optional<ItemRef> item(JsonNode record) {
        JsonNode module = record.path("module");
        String name = module.isTextual() ? module.asText() : module.path("api_name").asText("");
        String id = record.path("id").asText("");
        if (id.isEmpty()) {
            return Optional.empty();
        }
        return ZohoFields.itemType(name).map(type -> new ItemRef(type, id));
    }

    /** The active users of these addresses, from the list of active users kept {@link #USERS_KEPT}. */
    Map<EmailAddress, CrmUser> users(Set<EmailAddress> emails) throws CrmException {
        Map<EmailAddress, CrmUser> found = new LinkedHashMap<>();
        if (emails.isEmpty()) {
            return found;
        }
        Map<String, CrmUser> active = activeUsers();
        for (EmailAddress email : emails) {
            CrmUser user = active.get(email.value().toLowerCase(Locale.ROOT));
            if (user != null) {
                found.put(email, new CrmUser(user.id(), email, user.name()));
            }
        }
        return found;
    }

    private synchronized Map<String, CrmUser> activeUsers() throws CrmException {
        Instant now = clock.instant();
        if (users != null && users.until().isAfter(now)) {
            return users.byAddress();
        }
        Map<String, CrmUser> byAddress = new LinkedHashMap<>();
        for (int page = 1; ; page++) {
            JsonNode answer = client.get("users", "type", "ActiveUsers", "page", String.valueOf(page), "per_page", "200");
            for (JsonNode user : answer.path("users")) {
                String email = user.path("email").asText("");
                try {
                    EmailAddress address = EmailAddress.of(email);
                    byAddress.putIfAbsent(address.value().toLowerCase(Locale.ROOT),
                        new CrmUser(user.path("id").asText(), address, user.path("full_name").asText(email)));
                } catch (IllegalArgumentException notAnAddress) {
                    // a user without a usable address cannot be an employee's
                }
            }
            if (!answer.path("info").path("more_records").asBoolean(false)) {
                break;
            }
        }
        users = new Users(Map.copyOf(byAddress), now.plus(USERS_KEPT));
        return users.byAddress();
    }

    /** Open leads (unconverted, not junk) and deals in an open stage of each user. */
    Map<String, Integer> openItems(Set<String> userIds) throws CrmException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        userIds.forEach(id -> counts.put(id, 0));
        List<List<String>> chunks = chunks(userIds);
        for (JsonNode lead : coql(ZohoFields.LEADS, "id, Owner, Lead_Status, Converted__s", chunks.stream()
            .map(chunk -> "(" + in("Owner", chunk) + ") and (Converted__s = false)").toList())) {
            if (!ZohoFields.leadStatus(lead).closed()) {
                ZohoFields.lookupId(lead, "Owner").ifPresent(owner -> counts.computeIfPresent(owner, (id, count) -> count + 1));
            }
        }
        for (JsonNode deal : coql(ZohoFields.DEALS, "id, Owner, Stage", chunks.stream().map(chunk -> in("Owner", chunk)).toList())) {
            if (metadata.stage(deal.path("Stage").asText("")) == DealStage.IN_PROGRESS) {
                ZohoFields.lookupId(deal, "Owner").ifPresent(owner -> counts.computeIfPresent(owner, (id, count) -> count + 1));
            }
        }
        return counts;
    }

    /** What Zoho knows of each address, from the people and deals already read, each compared exactly. */
    Map<EmailAddress, ClientRecord> clients(Set<EmailAddress> emails, List<JsonNode> contacts, List<JsonNode> leads, List<JsonNode> accounts,
                                            List<JsonNode> deals) throws CrmException {
        Map<EmailAddress, ClientRecord> records = new LinkedHashMap<>();
        for (EmailAddress email : emails) {
            List<ClientRecord.Contact> theirContacts = new ArrayList<>();
            Set<String> contactIds = new LinkedHashSet<>();
            Set<String> accountIds = new LinkedHashSet<>();
            for (JsonNode contact : contacts) {
                if (ZohoFields.hasAddress(contact, email)) {
                    Optional<String> account = ZohoFields.lookupId(contact, "Account_Name");
                    theirContacts.add(new ClientRecord.Contact(contact.path("id").asText(), ZohoFields.lookupId(contact, "Owner"), account));
                    contactIds.add(contact.path("id").asText());
                    account.ifPresent(accountIds::add);
                }
            }
            List<ClientRecord.Company> companies = accounts.stream().filter(account -> accountIds.contains(account.path("id").asText()))
                .map(account -> new ClientRecord.Company(account.path("id").asText(), ZohoFields.lookupId(account, "Owner"))).toList();
            List<ClientRecord.Lead> theirLeads = new ArrayList<>();
            for (JsonNode lead : leads) {
                if (ZohoFields.hasAddress(lead, email) && !lead.path("Converted__s").asBoolean(false)) {
                    theirLeads.add(new ClientRecord.Lead(lead.path("id").asText(), ZohoFields.leadStatus(lead),
                        ZohoFields.lookupId(lead, "Owner"), ZohoFields.instant(lead.path("Modified_Time"))));
                }
            }
            List<ClientRecord.Deal> theirDeals = new ArrayList<>();
            for (JsonNode deal : deals) {
                boolean theirs = ZohoFields.lookupId(deal, "Contact_Name").filter(contactIds::contains).isPresent()
                    || ZohoFields.lookupId(deal, "Account_Name").filter(accountIds::contains).isPresent();
                if (theirs) {
                    theirDeals.add(new ClientRecord.Deal(deal.path("id").asText(), metadata.stage(deal.path("Stage").asText("")),
                        ZohoFields.lookupId(deal, "Owner"), ZohoFields.instant(deal.path("Modified_Time")), Optional.empty()));
                }
            }
            records.put(email, new ClientRecord(email, theirContacts, companies, theirLeads, theirDeals));
        }
        return records;
    }

    /** The ids of the records, as a set. */
    static Set<String> ids(List<JsonNode> records, String field) {
        Set<String> ids = new LinkedHashSet<>();
        records.forEach(record -> {
            if (field.equals("id")) {
                ids.add(record.path("id").asText());
            } else {
                ZohoFields.lookupId(record, field).ifPresent(ids::add);
            }
        });
        return ids;
    }
}

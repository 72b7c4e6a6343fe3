package org.jamescrm.espocrm;

import static org.jamescrm.espocrm.EspoCrmFields.ACCOUNT;
import static org.jamescrm.espocrm.EspoCrmFields.CAPTURE_ITEMS;
import static org.jamescrm.espocrm.EspoCrmFields.CAPTURE_KEY;
import static org.jamescrm.espocrm.EspoCrmFields.CASE;
import static org.jamescrm.espocrm.EspoCrmFields.CONTACT;
import static org.jamescrm.espocrm.EspoCrmFields.EMAIL;
import static org.jamescrm.espocrm.EspoCrmFields.LEAD;
import static org.jamescrm.espocrm.EspoCrmFields.OPPORTUNITY;
import static org.jamescrm.espocrm.EspoCrmFields.USER;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.spi.CaseRecord;
import org.jamescrm.spi.ClientRecord;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmUser;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.ItemType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The reads of the EspoCRM connector, each a list request over a round's values at once ({@code where}
 * with {@code in}, at most {@value #IN_VALUES} values a request, paged by {@link EspoCrmClient#MAX_SIZE}):
 * people by address as EspoCRM's own parent finder looks them up (Contact, its Account, Lead), the
 * Opportunities of those clients, users by address (cached), open items per user, e-mails by Message-ID,
 * Cases by number or id, and what an interrupted capture wrote, by capture key.
 */
final class EspoCrmLookups {
    /** Values of one {@code in} filter, so that a request's URL stays short. */
    static final int IN_VALUES = 100;
    static final Duration USER_CACHE = Duration.ofMinutes(10);
    static final Duration NO_USER_CACHE = Duration.ofMinutes(1);
    private static final String PERSON = "id,name,emailAddress,emailAddressData,assignedUserId";

    private final EspoCrmClient client;
    private final Clock clock;
    private final Map<EmailAddress, CachedUser> users = new ConcurrentHashMap<>();

    private record CachedUser(Optional<CrmUser> user, Instant until) {
    }

    EspoCrmLookups(EspoCrmClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** Every record of {@code entityType} whose {@code attribute} is one of {@code values}, and matching {@code also}. */
    List<JsonNode> listIn(String entityType, String attribute, Collection<String> values, String select, ObjectNode... also)
            throws CrmException {
        List<JsonNode> found = new ArrayList<>();
        List<String> all = List.copyOf(new LinkedHashSet<>(values));
        for (int from = 0; from < all.size(); from += IN_VALUES) {
            ArrayNode where = client.array();
            where.add(in(attribute, all.subList(from, Math.min(all.size(), from + IN_VALUES))));
            for (ObjectNode item : also) {
                where.add(item);
            }
            found.addAll(client.list(entityType, where, select));
        }
        return found;
    }

    ObjectNode in(String attribute, Collection<String> values) {
        ObjectNode item = client.object().put("type", "in").put("attribute", attribute);
        ArrayNode array = item.putArray("value");
        values.forEach(array::add);
        return item;
    }

    ObjectNode notIn(String attribute, Collection<String> values) {
        ObjectNode item = in(attribute, values);
        item.put("type", "notIn");
        return item;
    }

    /** The id of each capture key's record of {@code entityType}. */
    Map<String, String> byCaptureKey(String entityType, Set<String> keys) throws CrmException {
        Map<String, String> ids = new LinkedHashMap<>();
        if (keys.isEmpty()) {
            return ids;
        }
        for (JsonNode record : listIn(entityType, CAPTURE_KEY, keys, "id," + CAPTURE_KEY)) {
            ids.putIfAbsent(record.path(CAPTURE_KEY).asText(), record.path("id").asText());
        }
        return ids;
    }

    /**
     * The e-mails of these capture keys: each key's e-mail written by a capture ({@code cCaptureKey}) in
     * {@code captured}, and the e-mail EspoCRM fetched itself with that Message-ID in {@code imported}, in
     * one list request per {@value #IN_VALUES} keys.
     */
    void emailsByKey(Set<String> keys, Map<String, String> captured, Map<String, String> imported) throws CrmException {
        List<String> all = List.copyOf(keys);
        for (int from = 0; from < all.size(); from += IN_VALUES) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + IN_VALUES));
            ArrayNode where = client.array();
            where.addObject().put("type", "or").putArray("value").add(in(CAPTURE_KEY, chunk)).add(in("messageId", chunk));
            for (JsonNode email : client.list(EMAIL, where, "id,messageId," + CAPTURE_KEY)) {
                String id = email.path("id").asText();
                String key = email.path(CAPTURE_KEY).asText("");
                if (keys.contains(key)) {
                    captured.putIfAbsent(key, id);
                } else if (keys.contains(email.path("messageId").asText(""))) {
                    imported.putIfAbsent(email.path("messageId").asText(), id);
                }
            }
        }
    }

    /**
     * The items each Message-ID's e-mail is bound to: the items the capture recorded in
     * {@value EspoCrmFields#CAPTURE_ITEMS}, or the e-mail's parent for mail EspoCRM imported itself. The
     * Message-ID is EspoCRM's {@code messageId} (importEml, its own mailboxes) or the capture key.
     */
    Map<String, List<ItemRef>> threadItems(Set<String> messageIds) throws CrmException {
        Map<String, List<ItemRef>> items = new LinkedHashMap<>();
        if (messageIds.isEmpty()) {
            return items;
        }
        List<String> ids = List.copyOf(messageIds);
        for (int from = 0; from < ids.size(); from += IN_VALUES) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IN_VALUES));
            ArrayNode where = client.array();
            ObjectNode or = where.addObject().put("type", "or");
            or.putArray("value").add(in("messageId", chunk)).add(in(CAPTURE_KEY, chunk));
            for (JsonNode email : client.list(EMAIL, where, "id,messageId," + CAPTURE_KEY + "," + CAPTURE_ITEMS + ",parentType,parentId")) {
                List<ItemRef> bound = EspoCrmFields.capturedItems(email.path(CAPTURE_ITEMS).asText(""));
                if (bound.isEmpty()) {
                    Optional<ItemType> parent = EspoCrmFields.itemType(email.path("parentType").asText(""));
                    if (parent.isPresent() && email.hasNonNull("parentId")) {
                        bound = List.of(new ItemRef(parent.get(), email.path("parentId").asText()));
                    }
                }
                if (bound.isEmpty()) {
                    continue;
                }
                for (String key : List.of(email.path("messageId").asText(""), email.path(CAPTURE_KEY).asText(""))) {
                    if (messageIds.contains(key)) {
                        items.putIfAbsent(key, bound);
                    }
                }
            }
        }
        return items;
    }

    /** What EspoCRM knows of each address: Contacts, their Accounts and Accounts by address, Leads, Opportunities. */
    Map<EmailAddress, ClientRecord> clients(Set<EmailAddress> emails) throws CrmException {
        if (emails.isEmpty()) {
            return new LinkedHashMap<>();
        }
        return clients(emails, contactsOf(emails), leadsOf(emails), accountsOf(emails));
    }

    /** The Contacts of these addresses (the first step of {@link #clients}, independent of the others). */
    List<JsonNode> contactsOf(Set<EmailAddress> emails) throws CrmException {
        return emails.isEmpty() ? List.of() : listIn(CONTACT, "emailAddress", addresses(emails), PERSON + ",accountId");
    }

    /** The Leads of these addresses (the first step of {@link #clients}, independent of the others). */
    List<JsonNode> leadsOf(Set<EmailAddress> emails) throws CrmException {
        return emails.isEmpty() ? List.of() : listIn(LEAD, "emailAddress", addresses(emails), PERSON + ",status,modifiedAt");
    }

    /** The Accounts of these addresses (the first step of {@link #clients}, independent of the others). */
    List<JsonNode> accountsOf(Set<EmailAddress> emails) throws CrmException {
        return emails.isEmpty() ? List.of() : listIn(ACCOUNT, "emailAddress", addresses(emails), PERSON);
    }

    private static List<String> addresses(Set<EmailAddress> emails) {
        return emails.stream().map(EmailAddress::value).toList();
    }

    /**
     * What EspoCRM knows of each address, from the Contacts, Leads and Accounts of these addresses already
     * read: the Accounts of the Contacts not among them, and the Opportunities, are read here.
     */
    Map<EmailAddress, ClientRecord> clients(Set<EmailAddress> emails, List<JsonNode> contacts, List<JsonNode> leads,
                                            List<JsonNode> accountsByAddress) throws CrmException {
        Map<EmailAddress, ClientRecord> records = new LinkedHashMap<>();
        if (emails.isEmpty()) {
            return records;
        }
        Set<String> contactAccounts = new LinkedHashSet<>();
        contacts.stream().map(contact -> contact.path("accountId").asText("")).filter(id -> !id.isEmpty()).forEach(contactAccounts::add);
        List<JsonNode> accounts = new ArrayList<>(accountsByAddress);
        Set<String> missing = new LinkedHashSet<>(contactAccounts);
        accounts.forEach(account -> missing.remove(account.path("id").asText()));
        if (!missing.isEmpty()) {
            accounts.addAll(listIn(ACCOUNT, "id", missing, PERSON));
        }
        Set<String> contactIds = new LinkedHashSet<>();
        contacts.forEach(contact -> contactIds.add(contact.path("id").asText()));
        Set<String> accountIds = new LinkedHashSet<>();
        accounts.forEach(account -> accountIds.add(account.path("id").asText()));
        List<JsonNode> opportunities = opportunities(contactIds, accountIds);
        for (EmailAddress email : emails) {
            List<ClientRecord.Contact> theirContacts = new ArrayList<>();
            Set<String> theirAccounts = new LinkedHashSet<>();
            Set<String> theirContactIds = new LinkedHashSet<>();
            for (JsonNode contact : contacts) {
                if (EspoCrmFields.hasAddress(contact, email)) {
                    Optional<String> account = text(contact, "accountId");
                    theirContacts.add(new ClientRecord.Contact(contact.path("id").asText(), text(contact, "assignedUserId"), account));
                    account.ifPresent(theirAccounts::add);
                    theirContactIds.add(contact.path("id").asText());
                }
            }
            accounts.stream().filter(account -> EspoCrmFields.hasAddress(account, email))
                .forEach(account -> theirAccounts.add(account.path("id").asText()));
            List<ClientRecord.Company> companies = accounts.stream().filter(account -> theirAccounts.contains(account.path("id").asText()))
                .map(account -> new ClientRecord.Company(account.path("id").asText(), text(account, "assignedUserId"))).distinct().toList();
            List<ClientRecord.Lead> theirLeads = leads.stream().filter(lead -> EspoCrmFields.hasAddress(lead, email))
                .map(lead -> new ClientRecord.Lead(lead.path("id").asText(), EspoCrmFields.leadStatus(lead.path("status").asText("New")),
                    text(lead, "assignedUserId"), EspoCrmFields.instant(lead.path("modifiedAt").asText(null)))).toList();
            List<ClientRecord.Deal> deals = opportunities.stream()
                .filter(deal -> theirAccounts.contains(deal.path("accountId").asText("")) || linked(deal, theirContactIds))
                .map(deal -> new ClientRecord.Deal(deal.path("id").asText(), EspoCrmFields.dealStage(deal.path("stage").asText("")),
                    text(deal, "assignedUserId"), EspoCrmFields.instant(deal.path("modifiedAt").asText(null)), text(deal, "originalLeadId")))
                .toList();
            records.put(email, new ClientRecord(email, theirContacts, companies, theirLeads, deals));
        }
        return records;
    }

    private List<JsonNode> opportunities(Set<String> contactIds, Set<String> accountIds) throws CrmException {
        String select = "id,name,stage,assignedUserId,modifiedAt,accountId,contactId,contactsIds,originalLeadId";
        Map<String, JsonNode> found = new LinkedHashMap<>();
        if (!contactIds.isEmpty()) {
            ObjectNode linked = client.object().put("type", "linkedWith").put("attribute", "contacts");
            contactIds.forEach(linked.putArray("value")::add);
            ArrayNode where = client.array().add(linked);
            client.list(OPPORTUNITY, where, select).forEach(deal -> found.putIfAbsent(deal.path("id").asText(), deal));
        }
        if (!accountIds.isEmpty()) {
            listIn(OPPORTUNITY, "accountId", accountIds, select).forEach(deal -> found.putIfAbsent(deal.path("id").asText(), deal));
        }
        return List.copyOf(found.values());
    }

    private static boolean linked(JsonNode deal, Set<String> contactIds) {
        if (contactIds.contains(deal.path("contactId").asText(""))) {
            return true;
        }
        for (JsonNode id : deal.path("contactsIds")) {
            if (contactIds.contains(id.asText())) {
                return true;
            }
        }
        return false;
    }

    /** The active users of these addresses, from the cache or one list request for the others. */
    Map<EmailAddress, CrmUser> users(Set<EmailAddress> emails) throws CrmException {
        Map<EmailAddress, CrmUser> found = new LinkedHashMap<>();
        Instant now = clock.instant();
        Set<EmailAddress> asked = new LinkedHashSet<>();
        for (EmailAddress email : emails) {
            CachedUser cached = users.get(email);
            if (cached != null && cached.until().isAfter(now)) {
                cached.user().ifPresent(user -> found.put(email, user));
            } else {
                asked.add(email);
            }
        }
        if (asked.isEmpty()) {
            return found;
        }
        ObjectNode active = client.object().put("type", "isTrue").put("attribute", "isActive");
        List<JsonNode> records = listIn(USER, "emailAddress", asked.stream().map(EmailAddress::value).toList(),
            "id,name,userName,emailAddress,emailAddressData,isActive", active);
        for (EmailAddress email : asked) {
            Optional<CrmUser> user = records.stream().filter(record -> EspoCrmFields.hasAddress(record, email)).findFirst()
                .map(record -> new CrmUser(record.path("id").asText(), email,
                    record.path("name").asText(record.path("userName").asText(email.value()))));
            users.put(email, new CachedUser(user, now.plus(user.isPresent() ? USER_CACHE : NO_USER_CACHE)));
            user.ifPresent(value -> found.put(email, value));
        }
        return found;
    }

    /**
     * The Cases of these numbers (case tokens) or ids (the Cases among thread items), by number, in one list
     * request ({@code or} of two {@code in} filters) per {@value #IN_VALUES} values of each. The numbers are compared again, exactly, in the answer: the
     * token's text against EspoCRM's integer, whatever the database made of the {@code in} filter.
     */
    Map<String, CaseRecord> cases(Set<String> numbers, Set<String> ids) throws CrmException {
        Map<String, CaseRecord> found = new LinkedHashMap<>();
        List<String> byNumber = List.copyOf(numbers);
        List<String> byId = List.copyOf(ids);
        List<JsonNode> records = new ArrayList<>();
        for (int from = 0; from < Math.max(byNumber.size(), byId.size()); from += IN_VALUES) {
            ArrayNode either = client.array();
            if (from < byNumber.size()) {
                either.add(in("number", byNumber.subList(from, Math.min(byNumber.size(), from + IN_VALUES))));
            }
            if (from < byId.size()) {
                either.add(in("id", byId.subList(from, Math.min(byId.size(), from + IN_VALUES))));
            }
            ArrayNode where = client.array();
            where.addObject().put("type", "or").set("value", either);
            records.addAll(client.list(CASE, where, "id,number,status,assignedUserId"));
        }
        for (JsonNode record : records) {
            String number = record.path("number").asText("");
            if (!number.isEmpty() && (numbers.contains(number) || ids.contains(record.path("id").asText()))) {
                found.putIfAbsent(number, caseRecord(record));
            }
        }
        return found;
    }

    /** A Case as the rules see it: open unless Closed, Rejected or Duplicate. */
    static CaseRecord caseRecord(JsonNode record) {
        return new CaseRecord(record.path("id").asText(), record.path("number").asText(), text(record, "assignedUserId"),
            !EspoCrmFields.CLOSED_CASE.contains(record.path("status").asText("New")));
    }

    /** Open Leads (status not Converted, Recycled, Dead), Opportunities in progress and open Cases of each user. */
    Map<String, Integer> openItems(Set<String> userIds) throws CrmException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        if (userIds.isEmpty()) {
            return counts;
        }
        userIds.forEach(id -> counts.put(id, 0));
        List<JsonNode> open = new ArrayList<>(listIn(LEAD, "assignedUserId", userIds, "id,assignedUserId",
            notIn("status", EspoCrmFields.CLOSED_LEAD)));
        open.addAll(listIn(OPPORTUNITY, "assignedUserId", userIds, "id,assignedUserId", notIn("stage", EspoCrmFields.CLOSED_STAGES)));
        open.addAll(listIn(CASE, "assignedUserId", userIds, "id,assignedUserId", notIn("status", EspoCrmFields.CLOSED_CASE)));
        open.forEach(item -> counts.computeIfPresent(item.path("assignedUserId").asText(), (id, count) -> count + 1));
        return counts;
    }

    static Optional<String> text(JsonNode record, String attribute) {
        JsonNode value = record.path(attribute);
        return value.isTextual() && !value.asText().isEmpty() ? Optional.of(value.asText()) : Optional.empty();
    }
}

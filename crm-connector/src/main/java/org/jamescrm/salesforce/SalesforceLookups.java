package org.jamescrm.salesforce;

import static org.jamescrm.salesforce.SalesforceFields.CONTACT;
import static org.jamescrm.salesforce.SalesforceFields.EMAIL_MESSAGE;
import static org.jamescrm.salesforce.SalesforceFields.EMAIL_RELATION;
import static org.jamescrm.salesforce.SalesforceFields.LEAD;
import static org.jamescrm.salesforce.SalesforceFields.OPPORTUNITY;
import static org.jamescrm.salesforce.SalesforceFields.USER;
import static org.jamescrm.salesforce.SalesforceFields.optional;
import static org.jamescrm.salesforce.SalesforceFields.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.spi.ClientRecord;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmLookup;
import org.jamescrm.spi.CrmLookupResult;
import org.jamescrm.spi.CrmUser;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.ItemType;
import org.jamescrm.spi.LeadStatus;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A round's lookups in two steps of SOQL queries, each step Composite requests of five queries (one API call each
 * for a round of up to 200 addresses and keys): first the Contacts and unconverted or converted Leads by
 * {@code Email IN (…)} or by capture key, the active Users by e-mail and the activities by capture key; then the
 * Opportunities of those Contacts (OpportunityContactRole) and Accounts, or created by the round's keys, the
 * senders linked to the threads' e-mails (EmailMessageRelation), and the open items of the counted users (optional
 * work, skipped above the budget share). A converted Lead is never answered: its converted Contact, Account and
 * Opportunity are.
 */
final class SalesforceLookups {
    private static final String CONTACT_FIELDS = "Id, Email, AccountId, OwnerId, Account.OwnerId";
    private static final String LEAD_FIELDS = "Id, Email, Status, OwnerId, LastModifiedDate, IsConverted, ConvertedContactId, "
        + "ConvertedAccountId, ConvertedOpportunityId";
    private static final String OPPORTUNITY_FIELDS = "Id, StageName, IsClosed, IsWon, OwnerId, LastModifiedDate, AccountId";

    private final SalesforceClient client;
    private final String key;
    private final Map<EmailAddress, String> configuredUsers;

    SalesforceLookups(SalesforceClient client, SalesforceConfiguration configuration) {
        this.client = client;
        this.key = configuration.captureKeyField();
        this.configuredUsers = configuration.users();
    }

    /** The queries of one step, named, sent together. */
    private final class Step {
        private final Map<String, List<String>> named = new LinkedHashMap<>();
        private final Map<String, List<JsonNode>> answered = new LinkedHashMap<>();

        Step add(String name, List<String> queries) {
            named.put(name, queries);
            return this;
        }

        Step run() throws CrmException {
            List<String> all = new ArrayList<>();
            named.values().forEach(all::addAll);
            List<List<JsonNode>> results = all.isEmpty() ? List.of() : client.query(all);
            int index = 0;
            for (Map.Entry<String, List<String>> entry : named.entrySet()) {
                List<JsonNode> records = new ArrayList<>();
                for (int i = 0; i < entry.getValue().size(); i++) {
                    records.addAll(results.get(index++));
                }
                answered.put(entry.getKey(), records);
            }
            return this;
        }

        List<JsonNode> get(String name) {
            return answered.getOrDefault(name, List.of());
        }
    }

    /**
     * Everything a round needs.
     *
     * @param activityObject  {@code EmailMessage} or {@code Task}
     * @param countOpenItems  whether the open items of users are counted (optional work)
     */
    CrmLookupResult lookUp(CrmLookup lookup, String activityObject, boolean countOpenItems) throws CrmException {
        Map<String, String> keyOf = new LinkedHashMap<>();
        lookup.originKeys().forEach(origin -> keyOf.put(SalesforceFields.keyHash(origin), origin));
        Map<String, String> threadOf = new LinkedHashMap<>();
        lookup.threadMessageIds().forEach(id -> threadOf.put(SalesforceFields.keyHash(id), id));
        List<String> emails = lookup.clients().stream().map(EmailAddress::value).toList();
        Set<EmailAddress> employees = new LinkedHashSet<>(lookup.employees());
        employees.addAll(lookup.openItemsOf());
        employees.removeAll(configuredUsers.keySet());
        Set<String> activityKeys = new LinkedHashSet<>(keyOf.keySet());
        activityKeys.addAll(threadOf.keySet());
        boolean email = activityObject.equals(EMAIL_MESSAGE);

        Step first = new Step()
            .add(CONTACT, Soql.selectWhereAny(CONTACT_FIELDS + ", " + key, CONTACT, Map.of("Email", emails, key, keyOf.keySet()), ""))
            .add(LEAD, Soql.selectWhereAny(LEAD_FIELDS + ", " + key, LEAD, Map.of("Email", emails, key, keyOf.keySet()), ""))
            .add(USER, Soql.selectWhereAny("Id, Name, Email, UserType", USER,
                Map.of("Email", employees.stream().map(EmailAddress::value).toList()), "IsActive = true"))
            .add(activityObject, Soql.selectWhereAny("Id, " + key + (email ? ", RelatedToId, Status" : ", WhoId, WhatId, Status"),
                activityObject, Map.of(key, activityKeys), ""))
            .run();

        List<JsonNode> contacts = first.get(CONTACT);
        List<JsonNode> leads = first.get(LEAD);
        Map<EmailAddress, CrmUser> users = users(employees, first.get(USER));
        Set<String> contactIds = new LinkedHashSet<>();
        Set<String> accountIds = new LinkedHashSet<>();
        Set<String> convertedOpportunities = new LinkedHashSet<>();
        contacts.forEach(contact -> {
            contactIds.add(text(contact, "Id"));
            optional(contact, "AccountId").ifPresent(accountIds::add);
        });
        leads.stream().filter(lead -> lead.path("IsConverted").asBoolean(false)).forEach(lead -> {
            optional(lead, "ConvertedContactId").ifPresent(contactIds::add);
            optional(lead, "ConvertedAccountId").ifPresent(accountIds::add);
            optional(lead, "ConvertedOpportunityId").ifPresent(convertedOpportunities::add);
        });
        Map<String, String> activities = new LinkedHashMap<>();
        Map<String, JsonNode> threadActivities = new LinkedHashMap<>();
        for (JsonNode activity : first.get(activityObject)) {
            String hash = text(activity, key);
            if (keyOf.containsKey(hash)) {
                activities.putIfAbsent(keyOf.get(hash), text(activity, "Id"));
            }
            if (threadOf.containsKey(hash)) {
                threadActivities.putIfAbsent(threadOf.get(hash), activity);
            }
        }
        Set<String> counted = new LinkedHashSet<>();
        lookup.openItemsOf().forEach(employee -> {
            if (configuredUsers.containsKey(employee)) {
                counted.add(configuredUsers.get(employee));
            } else if (users.containsKey(employee)) {
                counted.add(users.get(employee).id());
            }
        });
        boolean counting = countOpenItems && !counted.isEmpty();

        Map<String, List<String>> opportunitiesBy = new LinkedHashMap<>();
        opportunitiesBy.put("AccountId", List.copyOf(accountIds));
        opportunitiesBy.put("Id", List.copyOf(convertedOpportunities));
        opportunitiesBy.put(key, List.copyOf(keyOf.keySet()));
        Step second = new Step()
            .add("OpportunityContactRole", Soql.selectWhereAny("OpportunityId, ContactId, Opportunity.StageName, Opportunity.IsClosed, "
                + "Opportunity.IsWon, Opportunity.OwnerId, Opportunity.LastModifiedDate, Opportunity.AccountId", "OpportunityContactRole",
                Map.of("ContactId", contactIds), ""))
            .add(OPPORTUNITY, Soql.selectWhereAny(OPPORTUNITY_FIELDS + ", " + key, OPPORTUNITY, opportunitiesBy, ""))
            .add(EMAIL_RELATION, email ? Soql.selectWhereAny("EmailMessageId, RelationId, RelationType", EMAIL_RELATION,
                Map.of("EmailMessageId", threadActivities.values().stream().map(activity -> text(activity, "Id")).toList()), "") : List.of())
            .add("openLeads", counting ? Soql.selectWhereAny("Id, OwnerId, Status", LEAD, Map.of("OwnerId", counted), "IsConverted = false")
                : List.of())
            .add("openOpportunities", counting ? Soql.selectWhereAny("Id, OwnerId", OPPORTUNITY, Map.of("OwnerId", counted), "IsClosed = false")
                : List.of())
            .run();

        Map<String, JsonNode> opportunities = new LinkedHashMap<>();
        Map<String, Set<String>> contactsOfOpportunity = new LinkedHashMap<>();
        for (JsonNode role : second.get("OpportunityContactRole")) {
            JsonNode opportunity = role.path("Opportunity").deepCopy();
            ((com.fasterxml.jackson.databind.node.ObjectNode) opportunity).put("Id", text(role, "OpportunityId"));
            opportunities.putIfAbsent(text(role, "OpportunityId"), opportunity);
            contactsOfOpportunity.computeIfAbsent(text(role, "OpportunityId"), unused -> new LinkedHashSet<>()).add(text(role, "ContactId"));
        }
        Map<String, List<ItemRef>> created = new LinkedHashMap<>();
        for (JsonNode opportunity : second.get(OPPORTUNITY)) {
            opportunities.putIfAbsent(text(opportunity, "Id"), opportunity);
            createdBy(opportunity, keyOf, ItemType.DEAL, created);
        }
        contacts.forEach(contact -> createdBy(contact, keyOf, ItemType.CONTACT, created));
        leads.forEach(lead -> createdBy(lead, keyOf, ItemType.LEAD, created));

        Map<EmailAddress, ClientRecord> clients = new LinkedHashMap<>();
        for (EmailAddress client : lookup.clients()) {
            clients.put(client, client(client, contacts, leads, opportunities, contactsOfOpportunity));
        }
        return new CrmLookupResult(activities, created, clients, threadItems(threadActivities, second.get(EMAIL_RELATION)), users,
            counting ? openItems(counted, second.get("openLeads"), second.get("openOpportunities")) : zero(counted));
    }

    private void createdBy(JsonNode record, Map<String, String> keyOf, ItemType type, Map<String, List<ItemRef>> created) {
        String origin = keyOf.get(text(record, key));
        if (origin != null) {
            List<ItemRef> items = created.computeIfAbsent(origin, unused -> new ArrayList<>());
            ItemRef item = new ItemRef(type, text(record, "Id"));
            if (!items.contains(item)) {
                items.add(item);
            }
        }
    }

    private ClientRecord client(EmailAddress email, List<JsonNode> contacts, List<JsonNode> leads, Map<String, JsonNode> opportunities,
                                Map<String, Set<String>> contactsOfOpportunity) {
        Map<String, ClientRecord.Contact> theirContacts = new LinkedHashMap<>();
        Map<String, ClientRecord.Company> companies = new LinkedHashMap<>();
        Map<String, String> dealFromLead = new LinkedHashMap<>();
        for (JsonNode contact : contacts) {
            if (text(contact, "Email").equalsIgnoreCase(email.value())) {
                Optional<String> account = optional(contact, "AccountId");
                theirContacts.put(text(contact, "Id"), new ClientRecord.Contact(text(contact, "Id"), optional(contact, "OwnerId"), account));
                account.ifPresent(id -> companies.putIfAbsent(id, new ClientRecord.Company(id, optional(contact.path("Account"), "OwnerId"))));
            }
        }
        List<ClientRecord.Lead> theirLeads = new ArrayList<>();
        for (JsonNode lead : leads) {
            if (!text(lead, "Email").equalsIgnoreCase(email.value())) {
                continue;
            }
            if (SalesforceFields.leadStatus(lead) == LeadStatus.CONVERTED) {
                // never the dead lead: the records it became
                Optional<String> account = optional(lead, "ConvertedAccountId");
                optional(lead, "ConvertedContactId").ifPresent(id -> theirContacts.putIfAbsent(id,
                    new ClientRecord.Contact(id, optional(lead, "OwnerId"), account)));
                account.ifPresent(id -> companies.putIfAbsent(id, new ClientRecord.Company(id, optional(lead, "OwnerId"))));
                optional(lead, "ConvertedOpportunityId").ifPresent(id -> dealFromLead.put(id, text(lead, "Id")));
            } else {
                theirLeads.add(new ClientRecord.Lead(text(lead, "Id"), SalesforceFields.leadStatus(lead), optional(lead, "OwnerId"),
                    SalesforceFields.instant(text(lead, "LastModifiedDate"))));
            }
        }
        List<ClientRecord.Deal> deals = new ArrayList<>();
        for (JsonNode opportunity : opportunities.values()) {
            String id = text(opportunity, "Id");
            boolean theirs = companies.containsKey(text(opportunity, "AccountId")) || dealFromLead.containsKey(id)
                || contactsOfOpportunity.getOrDefault(id, Set.of()).stream().anyMatch(theirContacts::containsKey);
            if (theirs) {
                deals.add(new ClientRecord.Deal(id, SalesforceFields.dealStage(opportunity), optional(opportunity, "OwnerId"),
                    SalesforceFields.instant(text(opportunity, "LastModifiedDate")), Optional.ofNullable(dealFromLead.get(id))));
            }
        }
        return new ClientRecord(email, List.copyOf(theirContacts.values()), List.copyOf(companies.values()), theirLeads, deals);
    }

    /**
     * The user of each employee: the configured one, else the active user of the address (a person holding several,
     * e.g. an integration user beside their own, gets the Standard one, then the oldest).
     */
    private Map<EmailAddress, CrmUser> users(Set<EmailAddress> asked, List<JsonNode> records) {
        Map<EmailAddress, CrmUser> users = new LinkedHashMap<>();
        configuredUsers.forEach((email, id) -> users.put(email, new CrmUser(id, email, email.value())));
        for (EmailAddress email : asked) {
            records.stream().filter(user -> text(user, "Email").equalsIgnoreCase(email.value()))
                .min(Comparator.comparing((JsonNode user) -> !"Standard".equals(text(user, "UserType"))).thenComparing(user -> text(user, "Id")))
                .ifPresent(user -> users.put(email, new CrmUser(text(user, "Id"), email, text(user, "Name").isEmpty() ? email.value()
                    : text(user, "Name"))));
        }
        return users;
    }

    /** The items of each thread's captured e-mail: the Opportunity or Account it is related to, and the people it links. */
    private static Map<String, List<ItemRef>> threadItems(Map<String, JsonNode> activities, List<JsonNode> relations) {
        Map<String, List<ItemRef>> items = new LinkedHashMap<>();
        activities.forEach((messageId, activity) -> {
            List<ItemRef> bound = new ArrayList<>();
            String id = text(activity, "Id");
            for (String field : List.of("RelatedToId", "WhatId", "WhoId")) {
                optional(activity, field).flatMap(value -> SalesforceFields.itemType(value).map(type -> new ItemRef(type, value)))
                    .filter(item -> !bound.contains(item)).ifPresent(bound::add);
            }
            for (JsonNode relation : relations) {
                if (text(relation, "EmailMessageId").equals(id)) {
                    String person = text(relation, "RelationId");
                    SalesforceFields.itemType(person).filter(type -> type == ItemType.LEAD || type == ItemType.CONTACT)
                        .map(type -> new ItemRef(type, person)).filter(item -> !bound.contains(item)).ifPresent(bound::add);
                }
            }
            if (!bound.isEmpty()) {
                items.put(messageId, bound);
            }
        });
        return items;
    }

    /** The open Leads and Opportunities in progress of each user, in one Composite request. */
    Map<String, Integer> openItems(Set<String> userIds) throws CrmException {
        if (userIds.isEmpty()) {
            return new LinkedHashMap<>();
        }
        Step step = new Step()
            .add("openLeads", Soql.selectWhereAny("Id, OwnerId, Status", LEAD, Map.of("OwnerId", userIds), "IsConverted = false"))
            .add("openOpportunities", Soql.selectWhereAny("Id, OwnerId", OPPORTUNITY, Map.of("OwnerId", userIds), "IsClosed = false"))
            .run();
        return openItems(userIds, step.get("openLeads"), step.get("openOpportunities"));
    }

    private static Map<String, Integer> openItems(Set<String> users, List<JsonNode> leads, List<JsonNode> opportunities) {
        Map<String, Integer> counts = zero(users);
        leads.stream().filter(lead -> SalesforceFields.leadStatus(lead) == LeadStatus.OPEN)
            .forEach(lead -> counts.computeIfPresent(text(lead, "OwnerId"), (id, count) -> count + 1));
        opportunities.forEach(opportunity -> counts.computeIfPresent(text(opportunity, "OwnerId"), (id, count) -> count + 1));
        return counts;
    }

    private static Map<String, Integer> zero(Set<String> users) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        users.forEach(id -> counts.put(id, 0));
        return counts;
    }
}

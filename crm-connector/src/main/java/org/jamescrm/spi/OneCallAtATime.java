package org.jamescrm.spi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jamescrm.model.EmailAddress;

/**
 * The round operations of {@link CrmConnector} made of the one-by-one operations of a
 * {@link OneByOneCrm}: what a connector uses when its CRM has no way to combine calls.
 */
public final class OneCallAtATime {
    private final OneByOneCrm connector;

    /** @param crm the one-by-one operations of the CRM */
    public OneCallAtATime(OneByOneCrm crm) {
        this.connector = crm;
    }

    /** Answers a round's lookups with one call per origin key, thread and kind of record. */
    public CrmLookupResult lookUp(CrmLookup lookup) throws CrmException {
        Map<String, String> activities = new LinkedHashMap<>();
        Map<String, List<ItemRef>> created = new LinkedHashMap<>();
        for (String key : lookup.originKeys()) {
            connector.findActivityByOriginKey(key).ifPresent(id -> activities.put(key, id));
            List<ItemRef> items = new ArrayList<>();
            connector.findLeadByOriginKey(key).ifPresent(items::add);
            connector.findContactByOriginKey(key).ifPresent(items::add);
            connector.findDealByOriginKey(key).ifPresent(items::add);
            connector.findCaseByOriginKey(key).ifPresent(items::add);
            if (!items.isEmpty()) {
                created.put(key, items);
            }
        }
        Map<String, List<ItemRef>> threadItems = new LinkedHashMap<>();
        for (String messageId : lookup.threadMessageIds()) {
            List<ItemRef> items = connector.findThreadItems(List.of(messageId));
            if (!items.isEmpty()) {
                threadItems.put(messageId, items);
            }
        }
        Set<EmailAddress> employees = new LinkedHashSet<>(lookup.employees());
        employees.addAll(lookup.openItemsOf());
        Map<EmailAddress, CrmUser> users = employees.isEmpty() ? Map.of() : connector.findUsers(employees);
        Set<String> counted = new LinkedHashSet<>();
        lookup.openItemsOf().stream().map(users::get).filter(user -> user != null).forEach(user -> counted.add(user.id()));
        Set<String> threadCases = new LinkedHashSet<>();
        threadItems.values().forEach(items -> items.stream().filter(item -> item.type() == ItemType.CASE)
            .forEach(item -> threadCases.add(item.id())));
        // and the cases interrupted attempts opened: their numbers for the acknowledgement the retry sends
        created.values().forEach(items -> items.stream().filter(item -> item.type() == ItemType.CASE)
            .forEach(item -> threadCases.add(item.id())));
        return new CrmLookupResult(activities, created,
            lookup.clients().isEmpty() ? Map.of() : connector.findClients(lookup.clients()),
            threadItems, users,
            counted.isEmpty() ? Map.of() : connector.countOpenItems(counted),
            lookup.caseNumbers().isEmpty() && threadCases.isEmpty() ? Map.of() : connector.findCases(lookup.caseNumbers(), threadCases));
    }

    /** Writes plan after plan; a failing plan fails alone. */
    public List<WriteResult> write(List<WritePlan> plans) {
        List<WriteResult> results = new ArrayList<>();
        for (WritePlan plan : plans) {
            try {
                results.add(write(plan));
            } catch (CrmException e) {
                results.add(new WriteResult.Failed(e));
            }
        }
        return results;
    }

    private WriteResult.Written write(WritePlan plan) throws CrmException {
        List<ItemRef> created = new ArrayList<>();
        Optional<ItemRef> createdContact = Optional.empty();
        Optional<String> caseNumber = Optional.empty();
        for (NewItem item : plan.creations()) {
            ItemRef ref;
            if (item instanceof NewCase newCase) {
                CaseRecord opened = connector.createCase(newCase, List.copyOf(created));
                caseNumber = Optional.of(opened.number());
                ref = opened.ref();
            } else {
                ref = create(item, createdContact);
            }
            if (ref.type() == ItemType.CONTACT) {
                createdContact = Optional.of(ref);
            }
            if (!plan.teams().isEmpty()) {
                connector.assignTeams(ref, plan.teams());
            }
            created.add(ref);
        }
        return new WriteResult.Written(created, connector.createEmailActivity(Plans.bindCreated(plan.activity(), created)), caseNumber);
    }

    private ItemRef create(NewItem item, Optional<ItemRef> createdContact) throws CrmException {
        if (item instanceof NewLead lead) {
            return connector.createLead(lead);
        }
        if (item instanceof NewDeal deal) {
            return connector.createDeal(Plans.linkContact(deal, createdContact));
        }
        return connector.createContact((NewContact) item);
    }
}

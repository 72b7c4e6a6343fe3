package org.jamescrm.spi;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jamescrm.model.EmailAddress;

/**
 * The CRM's answer to a {@link CrmLookup}.
 *
 * @param activities  the e-mail activity id of each origin key already captured
 * @param created     the leads, contacts and deals already created for an origin key (a retry of a
 *                    capture interrupted between its writes)
 * @param clients     the record of each client address; unknown addresses may be absent
 * @param threadItems the items the captured mail of each Message-ID is bound to; absent when that
 *                    mail was not captured
 * @param users       the CRM user of each employee address that has one
 * @param openItems   the number of open items of each counted user, by user id
 * @param cases       by number: the cases of the lookup's case numbers, the cases among the thread
 *                    items (so the rules know their responsible) and the cases among {@code created} (the
 *                    number of a case an interrupted attempt opened, for its acknowledgement); empty for a
 *                    CRM without cases
 */
public record CrmLookupResult(Map<String, String> activities, Map<String, List<ItemRef>> created,
                              Map<EmailAddress, ClientRecord> clients, Map<String, List<ItemRef>> threadItems,
                              Map<EmailAddress, CrmUser> users, Map<String, Integer> openItems, Map<String, CaseRecord> cases) {

    /** An answer of a CRM without cases. */
    public CrmLookupResult(Map<String, String> activities, Map<String, List<ItemRef>> created,
                           Map<EmailAddress, ClientRecord> clients, Map<String, List<ItemRef>> threadItems,
                           Map<EmailAddress, CrmUser> users, Map<String, Integer> openItems) {
        this(activities, created, clients, threadItems, users, openItems, Map.of());
    }

    public CrmLookupResult {
        activities = Map.copyOf(activities);
        created = Map.copyOf(created);
        clients = Map.copyOf(clients);
        threadItems = Map.copyOf(threadItems);
        users = Map.copyOf(users);
        openItems = Map.copyOf(openItems);
        cases = Map.copyOf(cases);
    }

    /** The activity already written for {@code originKey}. */
    public Optional<String> activity(String originKey) {
        return Optional.ofNullable(activities.get(originKey));
    }

    /** The item of {@code type} already created for {@code originKey}. */
    public Optional<ItemRef> created(String originKey, ItemType type) {
        return created.getOrDefault(originKey, List.of()).stream().filter(item -> item.type() == type).findFirst();
    }

    /** The items of the first captured mail among {@code messageIds}, in their order; empty when none was captured. */
    public List<ItemRef> threadItems(List<String> messageIds) {
        return messageIds.stream().map(threadItems::get).filter(items -> items != null && !items.isEmpty()).findFirst()
            .orElse(List.of());
    }
}

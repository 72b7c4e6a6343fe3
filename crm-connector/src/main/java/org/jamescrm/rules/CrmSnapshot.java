package org.jamescrm.rules;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.spi.ClientRecord;
import org.jamescrm.spi.CaseRecord;
import org.jamescrm.spi.CrmUser;
import org.jamescrm.spi.ItemRef;

/**
 * What the CRM knows about the parties of one message, looked up before the linking rules run.
 *
 * @param clients     each client address with its CRM record (unknown clients have an empty one)
 * @param threadItems the items earlier captured mails of the same thread are bound to
 * @param users       the CRM users of the employees taking part and of the mailbox's queue, by address
 * @param openItems   open items per CRM user id of the queue (least-busy rule); empty when not needed
 * @param turn        the mailbox's round-robin position (number of items assigned so far)
 * @param cases       the cases named by case tokens and found among thread items, by number
 */
public record CrmSnapshot(Map<EmailAddress, ClientRecord> clients, List<ItemRef> threadItems, Map<EmailAddress, CrmUser> users,
                          Map<String, Integer> openItems, long turn, Map<String, CaseRecord> cases) {

    /** A snapshot of a CRM without cases. */
    public CrmSnapshot(Map<EmailAddress, ClientRecord> clients, List<ItemRef> threadItems, Map<EmailAddress, CrmUser> users,
                       Map<String, Integer> openItems, long turn) {
        this(clients, threadItems, users, openItems, turn, Map.of());
    }

    public CrmSnapshot {
        clients = Map.copyOf(clients);
        threadItems = List.copyOf(threadItems);
        users = Map.copyOf(users);
        openItems = Map.copyOf(openItems);
        cases = Map.copyOf(cases);
    }

    /** The case of {@code number}, when the CRM has it. */
    public Optional<CaseRecord> caseNumbered(String number) {
        return Optional.ofNullable(cases.get(number));
    }

    /** The case whose id is {@code id}, when the lookup found it. */
    public Optional<CaseRecord> caseWithId(String id) {
        return cases.values().stream().filter(found -> found.id().equals(id)).findFirst();
    }

    /** A snapshot without distribution data. */
    public CrmSnapshot(Map<EmailAddress, ClientRecord> clients, List<ItemRef> threadItems, Map<EmailAddress, CrmUser> users) {
        this(clients, threadItems, users, Map.of(), 0);
    }

    /** The record of {@code client}; unknown when the lookup did not return it. */
    public ClientRecord client(EmailAddress client) {
        return clients.getOrDefault(client, ClientRecord.unknown(client));
    }

    /** The CRM user id of an employee, when the employee has a CRM user. */
    public Optional<String> userId(EmailAddress employee) {
        return Optional.ofNullable(users.get(employee)).map(org.jamescrm.spi.CrmUser::id);
    }
}

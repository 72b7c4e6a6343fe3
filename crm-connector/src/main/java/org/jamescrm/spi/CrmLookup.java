package org.jamescrm.spi;

import java.util.Set;

import org.jamescrm.model.EmailAddress;

/**
 * Everything a round of captures needs to know from the CRM, asked at once so a connector can
 * answer it in a few requests (bitrix24-api §5: fifty lookups in one {@code batch}).
 *
 * @param originKeys       the capture keys of the round: their activities, and any lead, contact or
 *                         deal an interrupted earlier attempt created
 * @param threadMessageIds the Message-IDs the round's mails reply to or reference
 * @param clients          the client addresses of the round
 * @param employees        the employee addresses whose CRM users the rules need
 * @param openItemsOf      the employees whose open items the least-busy rule counts
 * @param caseNumbers      the case numbers named by case tokens ({@code [#123]}) in the round's subjects;
 *                         empty for a CRM without cases
 */
public record CrmLookup(Set<String> originKeys, Set<String> threadMessageIds, Set<EmailAddress> clients,
                        Set<EmailAddress> employees, Set<EmailAddress> openItemsOf, Set<String> caseNumbers) {

    /** A lookup without case numbers. */
    public CrmLookup(Set<String> originKeys, Set<String> threadMessageIds, Set<EmailAddress> clients,
                     Set<EmailAddress> employees, Set<EmailAddress> openItemsOf) {
        this(originKeys, threadMessageIds, clients, employees, openItemsOf, Set.of());
    }

    public CrmLookup {
        originKeys = Set.copyOf(originKeys);
        threadMessageIds = Set.copyOf(threadMessageIds);
        clients = Set.copyOf(clients);
        employees = Set.copyOf(employees);
        openItemsOf = Set.copyOf(openItemsOf);
        caseNumbers = Set.copyOf(caseNumbers);
    }
}

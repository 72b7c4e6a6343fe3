package org.jamescrm.spi;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jamescrm.model.EmailAddress;

/**
 * What the capture needs from a CRM. One implementation per CRM; connectors hold no capture rules:
 * they look up and write what the rules decided. Every method may be called concurrently.
 */
public interface CrmConnector {

    /** A short name for logs and the status route, e.g. {@code memory}, {@code bitrix24}. */
    String name();

    /**
     * Checks that the CRM answers with the configured credentials (shown on the status route).
     *
     * @throws CrmException with the reason when it does not
     */
    void checkConnection() throws CrmException;

    /** The CRM users whose e-mail address is one of {@code emails}; absent addresses have no user. */
    Map<EmailAddress, CrmUser> findUsers(Set<EmailAddress> emails) throws CrmException;

    /** What the CRM knows about each address; an unknown address maps to {@link ClientRecord#unknown}. */
    Map<EmailAddress, ClientRecord> findClients(Set<EmailAddress> emails) throws CrmException;

    /**
     * The items the captured e-mails with these Message-IDs are bound to (the thread of capture-rules
     * §4.1), in the order of {@code messageIds}; empty when none of them was captured.
     */
    List<ItemRef> findThreadItems(List<String> messageIds) throws CrmException;

    /** The id of the e-mail activity created for this capture key, if one exists. */
    Optional<String> findActivityByOriginKey(String originKey) throws CrmException;

    /** The lead created for this capture key, if one exists (a retry after a partial capture). */
    Optional<ItemRef> findLeadByOriginKey(String originKey) throws CrmException;

    /** The contact created for this capture key, if one exists. */
    Optional<ItemRef> findContactByOriginKey(String originKey) throws CrmException;

    /** The deal created for this capture key, if one exists. */
    Optional<ItemRef> findDealByOriginKey(String originKey) throws CrmException;

    /**
     * How many open items (open leads and deals in progress) each user is responsible for: the
     * least-busy distribution rule. Users without any open item map to 0.
     */
    Map<String, Integer> countOpenItems(Set<String> userIds) throws CrmException;

    /** Creates a lead. */
    ItemRef createLead(NewLead lead) throws CrmException;

    /** Creates a contact. */
    ItemRef createContact(NewContact contact) throws CrmException;

    /** Creates a deal in progress. */
    ItemRef createDeal(NewDeal deal) throws CrmException;

    /** Creates an e-mail activity bound to its items; returns its id. */
    String createEmailActivity(NewEmailActivity activity) throws CrmException;

    /**
     * Answers the lookups of a whole round of captures. The default asks the one-by-one methods
     * above; a connector whose CRM combines calls overrides it.
     */
    default CrmLookupResult lookUp(CrmLookup lookup) throws CrmException {
        return new OneCallAtATime(this).lookUp(lookup);
    }

    /**
     * Carries out the write plans of a round, each on its own: one plan failing does not fail the
     * others. The result list has the order of {@code plans}. The default writes plan after plan
     * with the one-by-one methods above.
     */
    default List<WriteResult> write(List<WritePlan> plans) {
        return new OneCallAtATime(this).write(plans);
    }
}

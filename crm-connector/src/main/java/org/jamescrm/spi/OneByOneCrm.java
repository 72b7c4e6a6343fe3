package org.jamescrm.spi;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jamescrm.model.EmailAddress;

/**
 * The CRM operations one call at a time, for a connector whose CRM has no way to combine calls: it
 * implements these and answers {@link CrmConnector#lookUp} and {@link CrmConnector#write} with
 * {@link OneCallAtATime}. Not part of {@link CrmConnector}: a CRM with a batch API never needs them.
 */
public interface OneByOneCrm {

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
     * The cases whose number is one of {@code numbers} (case tokens) or whose id is one of {@code ids}
     * (cases among thread items), by number. A CRM without cases has none.
     */
    default Map<String, CaseRecord> findCases(Set<String> numbers, Set<String> ids) throws CrmException {
        return Map.of();
    }

    /** The case opened for this capture key, if one exists (a retry after a partial capture). */
    default Optional<ItemRef> findCaseByOriginKey(String originKey) throws CrmException {
        return Optional.empty();
    }

    /**
     * Opens a case bound to the client's items and to {@code createdClientItems}, the lead or contact the
     * same plan created before it. Only called when the CRM declares cases.
     */
    default CaseRecord createCase(NewCase newCase, List<ItemRef> createdClientItems) throws CrmException {
        throw new CrmRejectedException("this CRM has no cases");
    }

    /** Assigns a created item to the CRM teams of a group mailbox. Only called when the CRM declares teams. */
    default void assignTeams(ItemRef item, List<String> teams) throws CrmException {
        throw new CrmRejectedException("this CRM has no teams");
    }
}

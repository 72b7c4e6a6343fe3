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
}

package org.jamescrm.spi;

import java.util.Optional;

import org.jamescrm.model.EmailAddress;

/**
 * What a CRM user does in the CRM itself, for the connector contract: each CRM (or its emulator)
 * implements it with its own administration API.
 */
public interface CrmFixture {

    /** Adds a CRM user; returns its id. */
    String addUser(EmailAddress email, String name);

    /** Adds a contact entered by hand; returns its id. */
    String addContact(String name, EmailAddress email, Optional<String> responsibleId);

    /** Adds a deal in progress for a contact; returns its id. */
    String addDeal(String title, String contactId, Optional<String> responsibleId);

    /**
     * Adds the lead a capture created before it was interrupted (no activity yet): marked with the
     * capture's origin key as the connector marks it; returns its id.
     */
    String addLeadOfInterruptedCapture(NewLead lead);

    /** Closes a deal as won. */
    void winDeal(String dealId);

    /** Closes a lead as junk. */
    void junkLead(String leadId);

    /** Whether the e-mail activity with this id is completed. */
    boolean activityCompleted(String activityId);
}

package org.jamescrm.spi;

/** The status semantics of a lead, whatever the CRM calls its statuses. */
public enum LeadStatus {
    /** In work: mail is attached to it. */
    OPEN,
    /** Converted into a contact, company and/or deal (a successful close). */
    CONVERTED,
    /** Closed as junk (an unsuccessful close). */
    JUNK;

    /** Whether the lead is closed, successfully or not. */
    public boolean closed() {
        return this != OPEN;
    }
}

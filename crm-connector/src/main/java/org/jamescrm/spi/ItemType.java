package org.jamescrm.spi;

/** The kinds of CRM item a captured e-mail can be bound to. */
public enum ItemType {
    LEAD, CONTACT, COMPANY, DEAL,
    /** A case (support ticket), opened by the first mail of a thread to a group mailbox (capture-rules §8). */
    CASE
}

package org.jamescrm.spi;

/** The kinds of CRM item a captured e-mail can be bound to. */
public enum ItemType {
    LEAD, CONTACT, COMPANY, DEAL
}

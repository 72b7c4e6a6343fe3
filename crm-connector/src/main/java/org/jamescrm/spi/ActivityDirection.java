package org.jamescrm.spi;

/** The direction of an e-mail activity, as CRMs record it. */
public enum ActivityDirection {
    /** From a client to the company. */
    INCOMING,
    /** From the company to a client. */
    OUTGOING
}

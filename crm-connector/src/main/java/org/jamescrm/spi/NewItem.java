package org.jamescrm.spi;

/** A CRM item that a capture creates before it writes the e-mail activity. */
public sealed interface NewItem permits NewLead, NewContact, NewDeal {

    /** The capture key of the mail that creates the item. */
    String originKey();

    /** The kind of CRM item this creates. */
    default ItemType type() {
        return this instanceof NewLead ? ItemType.LEAD : this instanceof NewDeal ? ItemType.DEAL : ItemType.CONTACT;
    }
}

package org.jamescrm.spi;

/** A CRM item that a capture creates before it writes the e-mail activity. */
public sealed interface NewItem permits NewLead, NewContact, NewDeal, NewCase {

    /** The capture key of the mail that creates the item. */
    String originKey();

    /** The kind of CRM item this creates. */
    default ItemType type() {
        if (this instanceof NewLead) {
            return ItemType.LEAD;
        }
        if (this instanceof NewDeal) {
            return ItemType.DEAL;
        }
        return this instanceof NewCase ? ItemType.CASE : ItemType.CONTACT;
    }
}

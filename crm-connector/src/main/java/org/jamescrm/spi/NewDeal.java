package org.jamescrm.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * A deal to create from a captured mail: a repeat deal of a known client, or the deal of a new client
 * in leadless mode.
 *
 * @param title          the deal title (the subject of the mail)
 * @param contact        the client's contact; empty: the contact created by the same capture
 * @param company        the client's company, when known
 * @param responsibleId  the CRM user responsible
 * @param returnCustomer whether this is a repeat deal of a known client
 * @param originKey      the capture key of the mail, for idempotent retries
 */
public record NewDeal(String title, Optional<ItemRef> contact, Optional<ItemRef> company, Optional<String> responsibleId,
                      boolean returnCustomer, String originKey) implements NewItem {

    public NewDeal {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(contact, "contact");
        Objects.requireNonNull(company, "company");
        Objects.requireNonNull(responsibleId, "responsibleId");
        Objects.requireNonNull(originKey, "originKey");
    }
}

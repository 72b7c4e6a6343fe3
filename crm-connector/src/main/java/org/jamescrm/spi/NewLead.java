package org.jamescrm.spi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jamescrm.model.EmailAddress;

/**
 * A lead to create from a captured mail.
 *
 * @param title          the lead title (the subject of the mail)
 * @param name           the client's name (the display name, else the local part)
 * @param email          the client's address
 * @param source         the lead source ({@code <leadSource>})
 * @param responsibleId  the CRM user responsible, when the distribution rule found one
 * @param returnCustomer whether this is a repeat lead of a known client
 * @param originKey      the capture key of the mail: a retry finds the lead instead of creating another
 * @param clientItems    the known client's contact and company, for a repeat lead (CRMs link them)
 */
public record NewLead(String title, String name, EmailAddress email, String source, Optional<String> responsibleId,
                      boolean returnCustomer, String originKey, List<ItemRef> clientItems) implements NewItem {

    /** A lead of a new client. */
    public NewLead(String title, String name, EmailAddress email, String source, Optional<String> responsibleId,
                   boolean returnCustomer, String originKey) {
        this(title, name, email, source, responsibleId, returnCustomer, originKey, List.of());
    }

    public NewLead {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(responsibleId, "responsibleId");
        Objects.requireNonNull(originKey, "originKey");
        clientItems = List.copyOf(clientItems);
    }
}

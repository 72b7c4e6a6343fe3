package org.jamescrm.spi;

import java.util.Objects;
import java.util.Optional;

import org.jamescrm.model.EmailAddress;

/**
 * A contact to create from a captured mail.
 *
 * @param name          the client's name
 * @param email         the client's address
 * @param responsibleId the CRM user responsible, when known
 * @param originKey     the capture key of the mail, for idempotent retries
 */
public record NewContact(String name, EmailAddress email, Optional<String> responsibleId, String originKey)
        implements NewItem {

    public NewContact {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(responsibleId, "responsibleId");
        Objects.requireNonNull(originKey, "originKey");
    }
}

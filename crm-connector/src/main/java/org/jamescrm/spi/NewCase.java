package org.jamescrm.spi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jamescrm.model.EmailAddress;

/**
 * A case to open from the first mail of a new thread to a group mailbox (capture-rules §8,
 * e-mail-to-case). The connector binds it to the client's existing items and to the lead or contact
 * created before it in the same plan.
 *
 * @param subject       the case name (the subject of the mail)
 * @param description   the case description (the plain text of the mail, possibly cut)
 * @param email         the client's address
 * @param clientItems   the client's existing contact, company or lead
 * @param responsibleId the CRM user responsible, as the group's distribution rule picked
 * @param originKey     the capture key of the mail: a retry finds the case instead of opening another
 */
public record NewCase(String subject, String description, EmailAddress email, List<ItemRef> clientItems,
                      Optional<String> responsibleId, String originKey) implements NewItem {

    public NewCase {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(email, "email");
        clientItems = List.copyOf(clientItems);
        Objects.requireNonNull(responsibleId, "responsibleId");
        Objects.requireNonNull(originKey, "originKey");
    }
}

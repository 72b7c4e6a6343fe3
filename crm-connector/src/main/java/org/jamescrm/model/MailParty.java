package org.jamescrm.model;

import java.util.Objects;
import java.util.Optional;

/**
 * An address as a message header names it: the address and the display name, when there is one. The
 * display name is one clean line ({@link CleanText#line}): a CRM makes lead and contact names of it.
 */
public record MailParty(EmailAddress address, Optional<String> displayName) {

    public MailParty {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(displayName, "displayName");
        displayName = displayName.map(CleanText::line).map(String::strip).filter(name -> !name.isEmpty());
    }

    public static MailParty of(EmailAddress address) {
        return new MailParty(address, Optional.empty());
    }

    public static MailParty of(String address, String displayName) {
        return new MailParty(EmailAddress.of(address), Optional.ofNullable(displayName));
    }

    /** The display name, or the local part of the address when the message gives none. */
    public String nameOrLocalPart() {
        return displayName.orElseGet(address::localPart);
    }
}

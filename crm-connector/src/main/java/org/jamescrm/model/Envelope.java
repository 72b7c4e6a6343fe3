package org.jamescrm.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The SMTP envelope of a mail as the mail server received it: the reverse path (empty for the null
 * sender of bounces) and the recipients, which may differ from the header fields (Bcc, aliases), with
 * what the server knows of who submitted it.
 *
 * @param sender            the reverse path
 * @param recipients        the recipients
 * @param authenticatedUser the user the server authenticated (SMTP AUTH), when it did
 * @param remoteAddress     the IP address of the client that submitted the mail, when known
 */
public record Envelope(Optional<EmailAddress> sender, List<EmailAddress> recipients, Optional<String> authenticatedUser,
                       Optional<String> remoteAddress) {

    public Envelope {
        Objects.requireNonNull(sender, "sender");
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(authenticatedUser, "authenticatedUser");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
    }

    /** An envelope whose submitter is unknown: not authenticated, no remote address. */
    public Envelope(Optional<EmailAddress> sender, List<EmailAddress> recipients) {
        this(sender, recipients, Optional.empty(), Optional.empty());
    }
}

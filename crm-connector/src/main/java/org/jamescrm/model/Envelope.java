package org.jamescrm.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The SMTP envelope of a mail as the mail server received it: the reverse path (empty for the null
 * sender of bounces) and the recipients, which may differ from the header fields (Bcc, aliases).
 */
public record Envelope(Optional<EmailAddress> sender, List<EmailAddress> recipients) {

    public Envelope {
        Objects.requireNonNull(sender, "sender");
        recipients = List.copyOf(recipients);
    }
}

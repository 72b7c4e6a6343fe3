package org.jamescrm.rules;

import java.util.Objects;
import java.util.Optional;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.model.Envelope;
import org.jamescrm.model.MessageHeaders;

/**
 * What the mail pipeline knows of a message before any body is parsed: enough to classify it.
 *
 * @param envelope    the SMTP envelope
 * @param from        the address of the From field, when it parses
 * @param headers     the header fields
 * @param spamVerdict whether the mail server's spam scanner (SpamAssassin, Rspamd) marked it as spam
 */
public record MessageSummary(Envelope envelope, Optional<EmailAddress> from, MessageHeaders headers, boolean spamVerdict) {

    public MessageSummary {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(headers, "headers");
    }

    /** The author: the From address, else the envelope sender. */
    public Optional<EmailAddress> author() {
        return from.or(envelope::sender);
    }
}

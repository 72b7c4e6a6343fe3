package org.jamescrm.model;

import java.util.Locale;
import java.util.Objects;

/**
 * An e-mail address as the capture rules compare it: trimmed, lower case, without angle brackets.
 * CRMs and mail servers treat the domain case-insensitively and, in practice, the local part too.
 * An address with a blank or a control character is no address: a CRM would store or match on it.
 */
public record EmailAddress(String value) implements Comparable<EmailAddress> {

    /** @throws IllegalArgumentException naming the value when it is not of the form local@domain, or holds a blank or control */
    public EmailAddress {
        Objects.requireNonNull(value, "value");
        String normalized = value.trim();
        if (normalized.startsWith("<") && normalized.endsWith(">")) {
            normalized = normalized.substring(1, normalized.length() - 1).trim();
        }
        int at = normalized.lastIndexOf('@');
        if (at <= 0 || at == normalized.length() - 1 || normalized.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))
            || !normalized.equals(CleanText.line(normalized))) {
            throw new IllegalArgumentException("not an e-mail address: '" + value + "'");
        }
        value = normalized.toLowerCase(Locale.ROOT);
    }

    public static EmailAddress of(String value) {
        return new EmailAddress(value);
    }

    /** The domain part, lower case. */
    public String domain() {
        return value.substring(value.lastIndexOf('@') + 1);
    }

    /** The local part, lower case. */
    public String localPart() {
        return value.substring(0, value.lastIndexOf('@'));
    }

    @Override
    public int compareTo(EmailAddress other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}

package org.jamescrm.settings;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An administrator's rule that keeps matching mail out of the CRM ({@code <filter>}, reason
 * {@code FILTERED:<name>}), e.g. the notification mails of an application:
 * <pre>{@code <filter name="app-notifications" field="sender" pattern="noreply@app\.example"/>}</pre>
 *
 * @param name    the rule's name, shown in the reason code
 * @param field   what is matched: {@code sender}, {@code recipient} (any), {@code subject}, or
 *                {@code header:<Name>} (any value of that header field)
 * @param pattern a regular expression, matched case-insensitively against part of the value
 */
public record MailFilter(String name, String field, Pattern pattern) {

    public MailFilter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(pattern, "pattern");
    }

    /** Whether {@code value} of the filter's field matches. */
    public boolean matches(String value) {
        return pattern.matcher(value).find();
    }

    /** The header name of a {@code header:<Name>} filter, lower case. */
    public String headerName() {
        return field.substring("header:".length()).toLowerCase(Locale.ROOT);
    }

    /** Whether the filter looks at a header field. */
    public boolean onHeader() {
        return field.startsWith("header:");
    }
}

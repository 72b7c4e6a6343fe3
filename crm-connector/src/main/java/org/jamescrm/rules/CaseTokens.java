package org.jamescrm.rules;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The case token {@code [#123]} of subjects (capture-rules §4.1): the fallback that joins a client's
 * answer to its case when the client's mail program dropped {@code In-Reply-To} and {@code References}.
 * The acknowledgement of a new case carries it, and so do employees' answers when a group asks for it.
 */
public final class CaseTokens {
    private static final Pattern TOKEN = Pattern.compile("\\[#(\\d{1,18})]");

    private CaseTokens() {
    }

    /** The case number of the first case token in {@code subject}. */
    public static Optional<String> find(String subject) {
        Matcher matcher = TOKEN.matcher(subject);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /** The token of case {@code number}. */
    public static String token(String number) {
        return "[#" + number + "]";
    }

    /** {@code subject} with the token of case {@code number} at its end, unless it carries it already. */
    public static String withToken(String subject, String number) {
        if (subject.contains(token(number))) {
            return subject;
        }
        return subject.isBlank() ? token(number) : subject.stripTrailing() + " " + token(number);
    }
}

package org.jamescrm.mime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.james.mime4j.dom.address.Address;
import org.apache.james.mime4j.dom.address.Group;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.field.address.LenientAddressParser;
import org.apache.james.mime4j.stream.ParserCursor;
import org.apache.james.mime4j.util.ByteArrayBuffer;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.model.MailParty;

/**
 * The parties of an address field (From, To, Cc). The structure is mime4j's lenient address parser;
 * three of its habits are worked around here. It splits before it decodes, so a comma, colon or angle
 * bracket inside an encoded word ({@code =?UTF-8?Q?Smith,_John?=}, or a decoded CRLF followed by
 * {@code Bcc:}) broke a name into a bogus group and a tail such as {@code _1?=}. Its reading of raw
 * non-ASCII bytes (the UTF-8 names RFC 6532 mailers send) differs between its versions: one byte per
 * character in some, UTF-8 in others. So the parser is given ASCII only: every run of encoded words
 * and every run of non-ASCII characters is swapped for an ASCII token before parsing, and the tokens
 * are replaced by their text after.
 */
final class Addresses {
    /** A bare address followed by a comment, alone between commas: {@code joe@x.example (Joe Bloggs)}. */
    private static final Pattern COMMENT_NAME = Pattern.compile("(?:^|,)\\s*([^\\s,<>()\"@]+@[^\\s,<>()\"]+)\\s*\\(([^()]*)\\)\\s*(?=,|$)");
    /** The quotes some mailers put around a comment's name. */
    private static final Pattern SURROUNDING_QUOTES = Pattern.compile("^\"|\"$");

    private Addresses() {
    }

    /** A comment's text as a name: stripped of the quotes and blanks mailers put around it. */
    private static String commentName(String comment) {
        return SURROUNDING_QUOTES.matcher(comment.strip()).replaceAll("").strip();
    }

    /** The parties of a raw (unfolded) address field value, groups flattened; entries without a valid address skipped. */
    static List<MailParty> parse(String field) {
        List<MailParty> parties = new ArrayList<>();
        if (field == null || field.isBlank()) {
            return parties;
        }
        Tokens tokens = new Tokens(field);
        for (String entry : tokens.entries()) {
            if (entry.isBlank()) {
                continue;
            }
            byte[] ascii = entry.getBytes(StandardCharsets.US_ASCII);
            ByteArrayBuffer bytes = new ByteArrayBuffer(ascii, ascii.length, false);
            for (Address address : LenientAddressParser.DEFAULT.parseAddressList(bytes, new ParserCursor(0, bytes.length()))) {
                if (address instanceof Mailbox mailbox) {
                    party(mailbox, tokens).ifPresent(parties::add);
                } else if (address instanceof Group group) {
                    group.getMailboxes().forEach(mailbox -> party(mailbox, tokens).ifPresent(parties::add));
                }
            }
        }
        return parties;
    }

    private static Optional<MailParty> party(Mailbox mailbox, Tokens tokens) {
        try {
            EmailAddress address = EmailAddress.of(tokens.restored(mailbox.getAddress()));
            Optional<String> name = Optional.ofNullable(mailbox.getName()).map(tokens::restored)
                .or(() -> Optional.ofNullable(tokens.commentNames.get(address.value())));
            return Optional.of(new MailParty(address, name));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // an address without a domain names no CRM party
        }
    }

    /**
     * A field with its encoded words and non-ASCII text swapped for ASCII tokens, and the way back; cut
     * into its entries, one address each. mime4j's parser copies the rest of the field for each address
     * it reads, so its time grows with the square of the field's length (seconds for a To field of some
     * ten thousand addresses): it is given one entry at a time. The cuts are where mime4j's own would be,
     * outside quotes, comments, angle brackets and domain literals: at each comma, and around a group's
     * members (after its name and colon, which are dropped: groups are flattened, and at its semicolon).
     */
    private static final class Tokens {
        /** The letters after the marker's stem: 26 to the 7th suffixes, more than a string can hold stems. */
        private static final int SUFFIX = 7;
        /**
         * The names old mailers write as a comment after a bare address ({@code joe@x.example (Joe Bloggs)},
         * RFC 822's form), by the address, lower case: the parser drops comments, the CRM wants the name.
         */
        private final java.util.Map<String, String> commentNames = new java.util.HashMap<>();
        private final List<String> texts = new ArrayList<>();
        private final String marker;
        private final List<String> entries = new ArrayList<>();

        Tokens(String field) {
            marker = markerFor(field);
            tokenize(field);
            // a comment needs a parenthesis: most fields have none, and are not searched
            for (Matcher part = COMMENT_NAME.matcher(field.indexOf('(') < 0 ? "" : field); part.find(); ) {
                String name = commentName(EncodedWords.decode(part.group(2)));
                if (!name.isEmpty()) {
                    commentNames.putIfAbsent(part.group(1).toLowerCase(java.util.Locale.ROOT), name);
                }
            }
        }

        /** The field's entries, tokenized, in order; some may be blank. */
        List<String> entries() {
            return entries;
        }

        /**
         * A marker the field does not hold, so that no text of the field is taken for a token: a stem and
         * the first suffix of letters that does not follow the stem anywhere in the field, found in one
         * pass (a marker grown until the field lacks it costs the square of a hostile field's length).
         */
        private static String markerFor(String field) {
            String stem = "qzjtok";
            Set<String> taken = new HashSet<>();
            for (int at = field.indexOf(stem); at >= 0; at = field.indexOf(stem, at + 1)) {
                int from = at + stem.length();
                taken.add(field.substring(from, Math.min(field.length(), from + SUFFIX)));
            }
            for (long n = 0; ; n++) { // at most one more try than the suffixes taken
                char[] suffix = new char[SUFFIX];
                long rest = n;
                for (int i = SUFFIX - 1; i >= 0; i--, rest /= 26) {
                    suffix[i] = (char) ('a' + rest % 26);
                }
                String candidate = new String(suffix);
                if (!taken.contains(candidate)) {
                    return stem + candidate;
                }
            }
        }

        /** A value the parser returned, its tokens replaced by their text. */
        String restored(String parsed) {
            if (parsed == null || texts.isEmpty()) {
                return parsed; // most fields are ASCII without encoded words: no token
            }
            StringBuilder out = null;
            int copied = 0;
            for (int at = parsed.indexOf(marker); at >= 0; at = parsed.indexOf(marker, at + 1)) {
                int digits = at + marker.length();
                int end = digits;
                while (end < parsed.length() && end - digits < 9 && parsed.charAt(end) >= '0' && parsed.charAt(end) <= '9') {
                    end++;
                }
                if (end == digits || end >= parsed.length() || parsed.charAt(end) != 'k') {
                    continue; // the marker without a token's number: not one of ours
                }
                int index = Integer.parseInt(parsed, digits, end, 10);
                if (index < texts.size()) {
                    out = out == null ? new StringBuilder(parsed.length()) : out;
                    out.append(parsed, copied, at).append(texts.get(index));
                    copied = end + 1;
                    at = end;
                }
            }
            return out == null ? parsed : out.append(parsed, copied, parsed.length()).toString();
        }

        private String token(String text) {
            texts.add(text);
            return marker + (texts.size() - 1) + "k";
        }

        /**
         * Runs of encoded words outside addresses and comments become tokens of their decoded text;
         * runs of non-ASCII characters anywhere become tokens of themselves. Quoted strings are
         * followed so that a quote or a bracket inside them does not count.
         */
        private void tokenize(String field) {
            StringBuilder out = new StringBuilder();
            Matcher word = EncodedWords.WORD.matcher(field);
            boolean quoted = false;
            boolean angle = false;
            boolean literal = false;
            int comment = 0;
            int i = 0;
            while (i < field.length()) {
                char c = field.charAt(i);
                if (!angle && comment == 0 && c == '=' && word.region(i, field.length()).lookingAt()) {
                    int end = runEnd(field, word);
                    out.append(token(EncodedWords.decode(field.substring(i, end))));
                    i = end;
                    continue;
                }
                if (c > 0x7E) {
                    int end = i;
                    while (end < field.length() && field.charAt(end) > 0x7E) {
                        end++;
                    }
                    out.append(token(field.substring(i, end)));
                    i = end;
                    continue;
                }
                if (c == '\\' && (quoted || comment > 0) && i + 1 < field.length()) {
                    out.append(field, i, i + 2);
                    i += 2;
                    continue;
                }
                if (c == '"' && comment == 0 && !angle) {
                    quoted = !quoted;
                } else if (!quoted && c == '(' && !angle) {
                    comment++;
                } else if (!quoted && c == ')' && comment > 0) {
                    comment--;
                } else if (!quoted && comment == 0 && c == '<') {
                    angle = true;
                } else if (!quoted && comment == 0 && c == '>') {
                    angle = false;
                } else if (!quoted && comment == 0 && !angle && c == '[') {
                    literal = true;
                } else if (!quoted && comment == 0 && c == ']') {
                    literal = false;
                } else if (!quoted && comment == 0 && c == ',' && !(angle && routeFollows(field, i + 1))) {
                    angle = false; // a missing '>' ends with its address
                    literal = false;
                    entries.add(out.toString());
                    out.setLength(0);
                    i++;
                    continue;
                } else if (!quoted && comment == 0 && !angle && !literal && (c == ':' || c == ';')) {
                    if (c == ';') {
                        entries.add(out.toString());
                    } // else the group's name, dropped
                    out.setLength(0);
                    i++;
                    continue;
                }
                out.append(c);
                i++;
            }
            entries.add(out.toString());
        }
    }

    /** Whether an obsolete source route's next domain ({@code <@a.example,@b.example:user@c.example>}) starts at {@code from}. */
    private static boolean routeFollows(String field, int from) {
        int i = from;
        while (i < field.length() && (field.charAt(i) == ' ' || field.charAt(i) == '\t')) {
            i++;
        }
        return i < field.length() && field.charAt(i) == '@';
    }

    /** The end of the run of encoded words, adjacent or separated by blanks only, that the matcher's match starts. */
    private static int runEnd(String field, Matcher word) {
        int end = word.end();
        while (true) {
            int next = end;
            while (next < field.length() && (field.charAt(next) == ' ' || field.charAt(next) == '\t')) {
                next++;
            }
            if (next >= field.length() || !word.region(next, field.length()).lookingAt()) {
                return end;
            }
            end = word.end();
        }
    }
}

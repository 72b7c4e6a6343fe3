package org.jamescrm.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;

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
 * two of its habits are worked around here. It splits before it decodes, so a comma, colon or angle
 * bracket inside an encoded word ({@code =?UTF-8?Q?Smith,_John?=}, or a decoded CRLF followed by
 * {@code Bcc:}) broke a name into a bogus group and a tail such as {@code _1?=}; so every encoded
 * word is swapped for a token before parsing and decoded after. And it reads one byte per character,
 * so the raw UTF-8 names that RFC 6532 mailers send came out as mojibake; so it is given UTF-8 bytes
 * and its results are read back as UTF-8.
 */
final class Addresses {
    /** Never in UTF-8: the bytes that open and close a token standing for a run of encoded words. */
    private static final int TOKEN_START = 0xFF;
    private static final int TOKEN_END = 0xFE;

    private Addresses() {
    }

    /** The parties of a raw (unfolded) address field value, groups flattened; entries without a valid address skipped. */
    static List<MailParty> parse(String field) {
        List<MailParty> parties = new ArrayList<>();
        if (field == null || field.isBlank()) {
            return parties;
        }
        List<String> words = new ArrayList<>();
        ByteArrayBuffer bytes = tokenized(field, words);
        for (Address address : LenientAddressParser.DEFAULT.parseAddressList(bytes, new ParserCursor(0, bytes.length()))) {
            if (address instanceof Mailbox mailbox) {
                party(mailbox, words).ifPresent(parties::add);
            } else if (address instanceof Group group) {
                group.getMailboxes().forEach(mailbox -> party(mailbox, words).ifPresent(parties::add));
            }
        }
        return parties;
    }

    private static Optional<MailParty> party(Mailbox mailbox, List<String> words) {
        try {
            EmailAddress address = EmailAddress.of(restored(mailbox.getAddress(), words));
            return Optional.of(new MailParty(address, Optional.ofNullable(mailbox.getName()).map(name -> restored(name, words))));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // an address without a domain names no CRM party
        }
    }

    /**
     * The field as UTF-8 bytes, each run of encoded words outside addresses and comments replaced by a
     * token (its decoded text kept in {@code words}); quoted strings are followed so that a quote or a
     * bracket inside them does not count.
     */
    private static ByteArrayBuffer tokenized(String field, List<String> words) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(field.length() + 16);
        Matcher word = EncodedWords.WORD.matcher(field);
        boolean quoted = false;
        boolean angle = false;
        int comment = 0;
        int i = 0;
        while (i < field.length()) {
            char c = field.charAt(i);
            if (!angle && comment == 0 && c == '=' && word.region(i, field.length()).lookingAt()) {
                int end = runEnd(field, word);
                words.add(EncodedWords.decode(field.substring(i, end)));
                out.write(TOKEN_START);
                out.writeBytes(Integer.toString(words.size() - 1).getBytes(StandardCharsets.US_ASCII));
                out.write(TOKEN_END);
                i = end;
                continue;
            }
            if (c == '\\' && (quoted || comment > 0) && i + 1 < field.length()) {
                out.writeBytes(field.substring(i, i + 2).getBytes(StandardCharsets.UTF_8));
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
            } else if (!quoted && comment == 0 && c == ',') {
                angle = false; // a missing '>' ends with its address
            }
            out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            i++;
        }
        byte[] array = out.toByteArray();
        return new ByteArrayBuffer(array, array.length, false);
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

    /** A value the parser returned (UTF-8 bytes read one per character), tokens replaced by their decoded words. */
    private static String restored(String parsed, List<String> words) {
        if (parsed == null) {
            return null;
        }
        StringBuilder text = new StringBuilder(parsed.length());
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        int i = 0;
        while (i < parsed.length()) {
            char c = parsed.charAt(i);
            int close = c == TOKEN_START ? parsed.indexOf(TOKEN_END, i) : -1;
            if (close > i + 1) {
                text.append(pending.toString(StandardCharsets.UTF_8));
                pending.reset();
                text.append(words.get(Integer.parseInt(parsed.substring(i + 1, close))));
                i = close + 1;
            } else {
                pending.write(c & 0xFF);
                i++;
            }
        }
        return text.append(pending.toString(StandardCharsets.UTF_8)).toString();
    }
}

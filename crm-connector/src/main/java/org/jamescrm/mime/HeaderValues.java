package org.jamescrm.mime;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jamescrm.model.CleanText;
import org.jamescrm.model.MailParty;

/**
 * Header field values as the rules read them: unfolded, RFC 2047 encoded words decoded (or left as
 * written when they cannot be, never half), one clean line ({@link CleanText#line}), never failing on
 * broken encodings. One definition for the mail pipeline and the capture queue.
 */
public final class HeaderValues {
    private static final Pattern MESSAGE_ID_TOKEN = Pattern.compile("<[^<>\\s]+>");
    /** A line break that folds a field: followed by a blank. */
    private static final Pattern FOLD = Pattern.compile("\r?\n(?=[ \t])");
    private static final Pattern LINE_BREAK = Pattern.compile("\r?\n");

    /** The longest Message-ID kept as written: CRM key fields hold 255 characters. */
    public static final int MAX_MESSAGE_ID = 250;

    private HeaderValues() {
    }

    /** The unfolded, decoded, clean text of a raw field value; an undecodable encoded word stays as written. */
    public static String decode(String raw) {
        if (raw == null) {
            return "";
        }
        String unfolded = raw.indexOf('\n') < 0 ? raw : FOLD.matcher(raw).replaceAll("");
        return CleanText.line(EncodedWords.decode(readAgainIfBytes(unfolded)));
    }

    /**
     * A value whose raw 8-bit bytes were read one byte to a character (jakarta.mail reads header lines
     * as ISO-8859-1), read again as UTF-8 (RFC 6532 mailers) or windows-1252 (older ones), so that the
     * mail pipeline sees "Автоответ:" where it saw "ÐÐ²ÑÐ¾...". A value with a character past U+00FF
     * was decoded already and is left alone; an ASCII one has nothing to read again.
     */
    private static String readAgainIfBytes(String value) {
        boolean eightBit = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xff) {
                return value;
            }
            eightBit |= c >= 0x80;
        }
        return eightBit ? BodyText.utf8OrWindows1252(value.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)) : value;
    }

    /**
     * A field value with every line break (CRLF or bare LF) taken out, folds included; a value without
     * one, as most are, is returned as it is.
     */
    static String withoutLineBreaks(String value) {
        return value.indexOf('\n') < 0 ? value : LINE_BREAK.matcher(value).replaceAll("");
    }

    /**
     * The parties of a raw address field value (From, To, Cc, Reply-To), as the capture queue's parser
     * reads them: groups flattened, entries without a valid address skipped, names decoded; none for
     * null. Its cost grows with the field's length only, whatever the field holds.
     */
    public static List<MailParty> parties(String value) {
        return Addresses.parse(value);
    }

    /**
     * The Message-IDs ({@code <...>}) of an {@code In-Reply-To} or {@code References} value, in order,
     * each {@link #boundedMessageId bounded}; none for null.
     */
    public static List<String> messageIds(String value) {
        List<String> ids = new ArrayList<>();
        if (value != null) {
            Matcher matcher = MESSAGE_ID_TOKEN.matcher(value);
            while (matcher.find()) {
                ids.add(boundedMessageId(matcher.group()));
            }
        }
        return ids;
    }

    /**
     * A Message-ID as the capture keeps it: as written up to {@link #MAX_MESSAGE_ID} characters, else a
     * short id of its SHA-256 ({@code <sha256-HEX@long-message-id.invalid>}). A message is captured under
     * its Message-ID, and a reply found by the ids it names, in CRM key fields: EspoCRM's varchar and
     * Zoho's single-line fields hold 255 characters (Bitrix24 documents no length for ORIGIN_ID), and a
     * longer id would be cut there, or refused, and found no more.
     * Every id the capture reads passes here, the message's own and those it answers, so they still match.
     */
    public static String boundedMessageId(String id) {
        if (id.length() <= MAX_MESSAGE_ID) {
            return id;
        }
        byte[] digest = sha256().digest(id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return "<sha256-" + java.util.HexFormat.of().formatHex(digest) + "@long-message-id.invalid>";
    }

    /** A SHA-256 digest, for the bounded Message-IDs here and the capture keys of {@link CaptureKeys}. */
    static java.security.MessageDigest sha256() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}

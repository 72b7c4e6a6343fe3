package org.jamescrm.mime;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.james.mime4j.stream.Field;

/**
 * The text of a header field, the same whichever mime4j James ships: the extension uses James's own
 * copy (0.8.9 in James 3.8, 0.8.13 in James 3.9), and those read a field's raw 8-bit bytes
 * differently (one character a byte, or UTF-8). A field of ASCII bytes, as nearly all are, is taken
 * as mime4j gives it.
 */
final class FieldText {
    private FieldText() {
    }

    /**
     * The value to read: raw 8-bit bytes as UTF-8 (RFC 6532 mailers) where they are UTF-8, else as
     * windows-1252 (older mailers' Latin-1), which no byte turns into a replacement character.
     */
    static String of(Field field) {
        String body = field.getBody();
        byte[] value = eightBitValue(field, body);
        return value == null ? body : BodyText.utf8OrWindows1252(value).stripLeading();
    }

    /**
     * The value one character a byte, as jakarta.mail reads header lines: what the mail pipeline
     * sees, so that a capture key made from it here equals the key the pipeline makes, and
     * {@link HeaderValues#decode} reads a field's 8-bit bytes the same way for both.
     */
    static String asBytes(Field field) {
        String body = field.getBody();
        byte[] value = eightBitValue(field, body);
        return value == null ? body : new String(value, StandardCharsets.ISO_8859_1).stripLeading();
    }

    /** The raw bytes after the colon of a field mime4j read from 8-bit bytes; null for any other. */
    private static byte[] eightBitValue(Field field, String body) {
        if (field.getRaw() == null || isAscii(body)) {
            return null;
        }
        byte[] raw = field.getRaw().toByteArray();
        int colon = 0;
        while (colon < raw.length && raw[colon] != ':') {
            colon++;
        }
        return colon == raw.length ? null : Arrays.copyOfRange(raw, colon + 1, raw.length);
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}

package org.jamescrm.mime;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * The text of a part's bytes, decoded as real mail needs. A part that declares no charset is
 * US-ASCII (RFC 2045), and so is one that declares {@code us-ascii}; yet scripts, old mailers and
 * gateways send UTF-8 or Latin-1 text in such parts, and some mailers label Latin-1 text UTF-8.
 * Decoded as declared, every accented letter of those became a replacement character in the CRM.
 * So the 8-bit bytes of a part that declares no charset, US-ASCII, UTF-8 or a name Java does not
 * know are read as UTF-8 when they are UTF-8 (or hold some UTF-8 amid errors), else as
 * windows-1252, which Latin-1 text decodes to unchanged. Any other declared charset is trusted.
 */
final class BodyText {
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    private BodyText() {
    }

    /** The charset a part declares: US-ASCII when it declares none, UTF-8 for a name Java does not know. */
    static Charset declared(String name) {
        try {
            return name == null ? StandardCharsets.US_ASCII : Charset.forName(name);
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8; // unknown or illegal charset names: UTF-8 is the likeliest truth
        }
    }

    /** The text of {@code bytes}, a part that declared {@code declaredCharset} (null when none). */
    static String decode(byte[] bytes, String declaredCharset) {
        Charset charset = declared(declaredCharset);
        if (!charset.equals(StandardCharsets.US_ASCII) && !charset.equals(StandardCharsets.UTF_8)) {
            return new String(bytes, charset);
        }
        if (!hasEightBitBytes(bytes)) {
            return new String(bytes, StandardCharsets.US_ASCII); // most text: one scan, no guess
        }
        return utf8OrWindows1252(bytes);
    }

    /** UTF-8 when the bytes are UTF-8, or hold a UTF-8 sequence amid errors; else windows-1252. */
    static String utf8OrWindows1252(byte[] bytes) {
        String utf8 = new String(bytes, StandardCharsets.UTF_8);
        if (utf8.indexOf('\uFFFD') < 0 || hasUtf8Sequence(bytes)) {
            return utf8; // valid, or UTF-8 with a broken byte here and there: its errors stay replaced
        }
        return new String(bytes, WINDOWS_1252);
    }

    private static boolean hasEightBitBytes(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether the bytes hold a well-formed multi-byte UTF-8 sequence (which Latin-1 text almost never does). */
    private static boolean hasUtf8Sequence(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            int lead = bytes[i] & 0xff;
            int continuations = lead >= 0xc2 && lead <= 0xdf ? 1 : lead >= 0xe0 && lead <= 0xef ? 2 : lead >= 0xf0 && lead <= 0xf4 ? 3 : 0;
            if (continuations > 0 && i + continuations < bytes.length) {
                boolean sequence = true;
                for (int j = 1; j <= continuations; j++) {
                    sequence &= (bytes[i + j] & 0xc0) == 0x80;
                }
                if (sequence) {
                    return true;
                }
            }
        }
        return false;
    }
}

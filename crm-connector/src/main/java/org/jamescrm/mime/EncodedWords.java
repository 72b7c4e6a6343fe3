package org.jamescrm.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RFC 2047 encoded words, decoded whole or left as written, never half. Written here rather than
 * taken from mime4j's {@code DecoderUtil}, which turns a B word of invalid base64 into nothing and
 * decodes adjacent words one by one, so that a character whose bytes a mailer split over two words
 * (Outlook and Gmail do) becomes two replacement characters.
 */
final class EncodedWords {
    /**
     * {@code =?charset?B|Q?text?=}; the text may hold blanks (a mailer that folded inside a word, or
     * Q text with raw spaces), never a question mark.
     */
    static final Pattern WORD = Pattern.compile("=\\?([^?\\s]+)\\?([BbQq])\\?([^?]*)\\?=");
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]*={0,2}");
    private static final Pattern WHITESPACE = Pattern.compile("\\s");

    private EncodedWords() {
    }

    /**
     * The text with every decodable encoded word decoded. Blanks between two decoded words go, as
     * RFC 2047 §6.2 says; the bytes of adjacent words in one charset are decoded together. A word of
     * an unknown charset or broken base64 stays exactly as written.
     */
    static String decode(String text) {
        if (text == null || !text.contains("=?")) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        Matcher matcher = WORD.matcher(text);
        Run run = null;
        int position = 0;
        while (matcher.find()) {
            Decoded word = word(matcher.group(1), matcher.group(2), matcher.group(3));
            String gap = text.substring(position, matcher.start());
            boolean joins = run != null && word != null && gap.isBlank();
            if (!joins) {
                if (run != null) {
                    out.append(run.text());
                    run = null;
                }
                out.append(gap);
            }
            if (word == null) {
                out.append(matcher.group());
            } else if (run != null && run.charset.equals(word.charset)) {
                run.bytes.writeBytes(word.bytes);
            } else {
                if (run != null) {
                    out.append(run.text());
                }
                run = new Run(word.charset);
                run.bytes.writeBytes(word.bytes);
            }
            position = matcher.end();
        }
        if (run != null) {
            out.append(run.text());
        }
        return out.append(text, position, text.length()).toString();
    }

    /** One word's bytes and charset; null when the word cannot be decoded. */
    private static Decoded word(String charsetName, String encoding, String encoded) {
        Charset charset = charset(charsetName);
        if (charset == null) {
            return null;
        }
        byte[] bytes = encoding.equalsIgnoreCase("B") ? base64(encoded) : quotedPrintable(encoded);
        return bytes == null ? null : new Decoded(charset, bytes);
    }

    /** A charset by name, the RFC 2231 language suffix ({@code UTF-8*en}) ignored; null when unknown. */
    static Charset charset(String name) {
        int star = name.indexOf('*');
        String plain = star < 0 ? name : name.substring(0, star);
        try {
            return Charset.forName(plain.strip());
        } catch (RuntimeException e) {
            return null; // illegal or unsupported charset name
        }
    }

    private static byte[] base64(String encoded) {
        String text = WHITESPACE.matcher(encoded).replaceAll("");
        if (!BASE64.matcher(text).matches() || text.replace("=", "").length() % 4 == 1) {
            return null;
        }
        // mailers drop the padding now and then
        String unpadded = text.replace("=", "");
        try {
            return Base64.getDecoder().decode(unpadded + "==".substring(0, (4 - unpadded.length() % 4) % 4));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The Q encoding: {@code _} is a space, {@code =XX} a byte; a stray {@code =} stays a character. */
    private static byte[] quotedPrintable(String encoded) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '_') {
                bytes.write(' ');
            } else if (c == '=' && i + 2 < encoded.length() && hex(encoded.charAt(i + 1)) >= 0 && hex(encoded.charAt(i + 2)) >= 0) {
                bytes.write(hex(encoded.charAt(i + 1)) * 16 + hex(encoded.charAt(i + 2)));
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return bytes.toByteArray();
    }

    /** The value of an ASCII hex digit, -1 for anything else (Character.digit also takes other scripts' digits). */
    private static int hex(char c) {
        return c < 0x80 ? Character.digit(c, 16) : -1;
    }

    private record Decoded(Charset charset, byte[] bytes) {
    }

    /** Adjacent decoded words of one charset, decoded together. */
    private static final class Run {
        private final Charset charset;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        private Run(Charset charset) {
            this.charset = charset;
        }

        private String text() {
            return new String(bytes.toByteArray(), charset);
        }
    }
}

package org.jamescrm.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value and parameters of a Content-Type or Content-Disposition field, decoded as real mailers
 * send them: quoted strings with backslash escapes, unquoted values with blanks and apostrophes,
 * RFC 2231 extended values and continuations (encoded and not, mixed), RFC 2047 encoded words in
 * plain values (Outlook, Gmail). Written here because mime4j's lenient fields apply RFC 2231
 * decoding to plain values ({@code filename="Bob's 'Q3' offer.pdf"} became {@code Q3' offer.pdf})
 * and join duplicated parameters into one value.
 */
final class HeaderParameters {
    private static final Pattern SECTION = Pattern.compile("(.+?)\\*(\\d{1,3})(\\*?)");

    private final String value;
    private final List<Parameter> parameters;

    private HeaderParameters(String value, List<Parameter> parameters) {
        this.value = value;
        this.parameters = parameters;
    }

    /** The parts of a field body; a null body has an empty value and no parameter. */
    static HeaderParameters parse(String body) {
        if (body == null) {
            return new HeaderParameters("", List.of());
        }
        String text = HeaderValues.withoutLineBreaks(body);
        int semicolon = text.indexOf(';');
        String value = (semicolon < 0 ? text : text.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        List<Parameter> parameters = new ArrayList<>();
        int i = semicolon < 0 ? text.length() : semicolon + 1;
        int equals = -1;
        while (i < text.length()) {
            if (equals < i) {
                // found again only once passed: a field of many ';' before one '=' is read once, not once per ';'
                equals = text.indexOf('=', i);
                if (equals < 0) {
                    break;
                }
            }
            int next = text.indexOf(';', i);
            if (next >= 0 && next < equals) {
                i = next + 1; // a parameter without a value
                continue;
            }
            String name = text.substring(i, equals).strip().toLowerCase(Locale.ROOT);
            int start = equals + 1;
            while (start < text.length() && (text.charAt(start) == ' ' || text.charAt(start) == '\t')) {
                start++;
            }
            if (start < text.length() && text.charAt(start) == '"') {
                StringBuilder quoted = new StringBuilder();
                int j = start + 1;
                for (; j < text.length() && text.charAt(j) != '"'; j++) {
                    char c = text.charAt(j);
                    // only \" and \\ are escapes: Windows paths come with bare backslashes
                    if (c == '\\' && j + 1 < text.length() && (text.charAt(j + 1) == '"' || text.charAt(j + 1) == '\\')) {
                        j++;
                        c = text.charAt(j);
                    }
                    quoted.append(c);
                }
                addNamed(parameters, name, quoted.toString());
                int end = text.indexOf(';', Math.min(j, text.length()));
                i = end < 0 ? text.length() : end + 1;
            } else {
                int end = text.indexOf(';', start);
                addNamed(parameters, name, (end < 0 ? text.substring(start) : text.substring(start, end)).strip());
                i = end < 0 ? text.length() : end + 1;
            }
        }
        return new HeaderParameters(value, parameters);
    }

    private static void addNamed(List<Parameter> parameters, String name, String value) {
        if (!name.isEmpty()) {
            parameters.add(new Parameter(name, value));
        }
    }

    /**
     * The field body again with only the parameters named (with their RFC 2231 sections and extended
     * forms), each quoted but the extended ones; the value as it was read, lower case.
     */
    String withOnly(Set<String> names) {
        StringBuilder body = new StringBuilder(value);
        for (Parameter parameter : parameters) {
            int star = parameter.name.indexOf('*');
            if (names.contains(star < 0 ? parameter.name : parameter.name.substring(0, star))) {
                body.append("; ").append(parameter.name).append('=');
                if (parameter.name.endsWith("*") && parameter.value.chars().allMatch(HeaderParameters::isTokenChar)) {
                    body.append(parameter.value); // charset'language'percent-encoded: a token, as RFC 2231 writes it
                } else {
                    body.append('"').append(parameter.value.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
                }
            }
        }
        return body.toString();
    }

    /** A character of an RFC 2045 token (the apostrophes and percent signs of extended values included). */
    private static boolean isTokenChar(int c) {
        return c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?=".indexOf(c) < 0;
    }

    /** The field's value (media type, disposition type), lower case; empty when absent. */
    String value() {
        return value;
    }

    /**
     * A parameter by (case-insensitive) name, decoded: an RFC 2231 extended value first, then its
     * continuations, then the plain value; the first of duplicated parameters wins.
     */
    Optional<String> get(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        Optional<String> extended = parameters.stream().filter(p -> p.name.equals(key + "*")).findFirst()
            .map(p -> extended(p.value));
        if (extended.isPresent()) {
            return extended;
        }
        Optional<String> continued = continuation(key);
        if (continued.isPresent()) {
            return continued;
        }
        return parameters.stream().filter(p -> p.name.equals(key)).findFirst().map(p -> EncodedWords.decode(p.value));
    }

    /** {@code name*0}, {@code name*1*} ... joined in order, up to the first missing section. */
    private Optional<String> continuation(String key) {
        Map<Integer, Parameter> sections = new TreeMap<>();
        Map<Integer, Boolean> encoded = new LinkedHashMap<>();
        for (Parameter parameter : parameters) {
            Matcher matcher = SECTION.matcher(parameter.name);
            if (matcher.matches() && matcher.group(1).equals(key)) {
                int index = Integer.parseInt(matcher.group(2));
                if (!sections.containsKey(index)) {
                    sections.put(index, parameter);
                    encoded.put(index, !matcher.group(3).isEmpty());
                }
            }
        }
        if (!sections.containsKey(0)) {
            return Optional.empty();
        }
        Charset charset = null;
        boolean anyEncoded = false;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int index = 0; sections.containsKey(index); index++) {
            String text = sections.get(index).value;
            if (encoded.get(index)) {
                anyEncoded = true;
                if (index == 0) {
                    String[] parts = text.split("'", 3);
                    if (parts.length == 3) {
                        charset = EncodedWords.charset(parts[0]);
                        text = parts[2];
                    }
                }
                bytes.writeBytes(percentDecoded(text));
            } else {
                bytes.writeBytes(text.getBytes(charset == null ? StandardCharsets.UTF_8 : charset));
            }
        }
        String joined = decode(bytes.toByteArray(), charset);
        return Optional.of(anyEncoded ? joined : EncodedWords.decode(joined));
    }

    /** An RFC 2231 extended value, {@code charset'language'percent-encoded}; without the two quotes, percent-encoded only. */
    private static String extended(String value) {
        String[] parts = value.split("'", 3);
        if (parts.length < 3) {
            return decode(percentDecoded(value), null);
        }
        return decode(percentDecoded(parts[2]), EncodedWords.charset(parts[0]));
    }

    private static byte[] percentDecoded(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length() && hex(text.charAt(i + 1)) >= 0 && hex(text.charAt(i + 2)) >= 0) {
                bytes.write(hex(text.charAt(i + 1)) * 16 + hex(text.charAt(i + 2)));
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toByteArray();
    }

    private static int hex(char c) {
        return c < 0x80 ? Character.digit(c, 16) : -1;
    }

    /** Bytes in the declared charset; without a known one, UTF-8 when they are UTF-8, else windows-1252. */
    private static String decode(byte[] bytes, Charset charset) {
        return charset != null ? new String(bytes, charset) : BodyText.utf8OrWindows1252(bytes);
    }

    private record Parameter(String name, String value) {
    }
}

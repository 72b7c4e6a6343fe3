package org.jamescrm.it.plugin;

import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.stream.Collectors;

/**
 * One JSON object on one line, written by hand: the product's jar ships its JSON library relocated
 * for its own use, so a connector jar brings its own or, as here, needs none.
 */
final class JsonLine {
    private final StringJoiner fields = new StringJoiner(",", "{", "}");

    JsonLine put(String name, String value) {
        fields.add(quote(name) + ":" + quote(value));
        return this;
    }

    JsonLine put(String name, Optional<String> value) {
        fields.add(quote(name) + ":" + value.map(JsonLine::quote).orElse("null"));
        return this;
    }

    JsonLine put(String name, boolean value) {
        fields.add(quote(name) + ":" + value);
        return this;
    }

    JsonLine put(String name, List<String> values) {
        fields.add(quote(name) + ":" + values.stream().map(JsonLine::quote).collect(Collectors.joining(",", "[", "]")));
        return this;
    }

    @Override
    public String toString() {
        return fields.toString();
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> quoted.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return quoted.append('"').toString();
    }
}

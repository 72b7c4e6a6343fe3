package org.jamescrm.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The header fields of a message that the rules look at, by case-insensitive name, values decoded,
 * unfolded and clean lines ({@link CleanText#line}). Immutable.
 */
public final class MessageHeaders {
    private final Map<String, List<String>> values;

    private MessageHeaders(Map<String, List<String>> values) {
        this.values = values;
    }

    /** No header at all. */
    public static MessageHeaders empty() {
        return new MessageHeaders(Map.of());
    }

    /** Collects header fields, keeping every value of repeated fields in order. */
    public static Builder builder() {
        return new Builder();
    }

    /** Every value of the field, in message order; empty when absent. */
    public List<String> all(String name) {
        return values.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    /** The first value of the field. */
    public Optional<String> first(String name) {
        return all(name).stream().findFirst();
    }

    /** Whether the field is present, whatever its value. */
    public boolean has(String name) {
        return values.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /** The names present, lower case. */
    public java.util.Set<String> names() {
        return values.keySet();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MessageHeaders that && values.equals(that.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }

    /** Builder of {@link MessageHeaders}. */
    public static final class Builder {
        private final Map<String, List<String>> values = new TreeMap<>();

        private Builder() {
        }

        /** Adds a value of a field; a null name or value adds nothing. */
        public Builder add(String name, String value) {
            if (name != null && value != null) {
                values.computeIfAbsent(CleanText.line(name).strip().toLowerCase(Locale.ROOT), key -> new ArrayList<>())
                    .add(CleanText.line(value).strip());
            }
            return this;
        }

        public MessageHeaders build() {
            Map<String, List<String>> copy = new TreeMap<>();
            values.forEach((name, list) -> copy.put(name, List.copyOf(list)));
            return new MessageHeaders(java.util.Collections.unmodifiableMap(copy));
        }
    }
}

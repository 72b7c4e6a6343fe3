package org.jamescrm.memory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The records of one kind in the in-memory CRM, by id in the order they were created, with indexes
 * kept up to date on every put: the capture looks a client's records up for every mail, and a CRM
 * answers that from its indexes, not by reading every record (scans made the in-memory CRM's lookups
 * grow with the records it holds). Not thread-safe: used under the store's lock.
 *
 * @param <T> the record type
 */
final class RecordTable<T> {
    private final Map<String, T> records = new LinkedHashMap<>();
    private final Map<String, Function<T, Optional<?>>> keys;
    /** For each index, the ids of the records with each key, in the order they got it. */
    private final Map<String, Map<Object, Set<String>>> indexes = new HashMap<>();

    /** @param keys the indexed keys by name: what each record's key is, if it has one */
    RecordTable(Map<String, Function<T, Optional<?>>> keys) {
        this.keys = Map.copyOf(keys);
        keys.keySet().forEach(name -> indexes.put(name, new HashMap<>()));
    }

    /** Stores a record, new or replacing the one with its id (which keeps its place). */
    void put(String id, T record) {
        T previous = records.put(id, record);
        for (Map.Entry<String, Function<T, Optional<?>>> key : keys.entrySet()) {
            Optional<?> before = previous == null ? Optional.empty() : key.getValue().apply(previous);
            Optional<?> after = key.getValue().apply(record);
            if (before.equals(after)) {
                continue;
            }
            Map<Object, Set<String>> index = indexes.get(key.getKey());
            before.ifPresent(value -> {
                Set<String> ids = index.get(value);
                ids.remove(id);
                if (ids.isEmpty()) {
                    index.remove(value);
                }
            });
            after.ifPresent(value -> index.computeIfAbsent(value, any -> new LinkedHashSet<>()).add(id));
        }
    }

    /** The record with this id, or null. */
    T get(String id) {
        return records.get(id);
    }

    /** Every record, in the order they were created. */
    Collection<T> values() {
        return Collections.unmodifiableCollection(records.values());
    }

    /** The records whose {@code index} key is {@code value}, in the order they got it. */
    List<T> where(String index, Object value) {
        List<T> found = new ArrayList<>();
        ids(index, value).forEach(id -> found.add(records.get(id)));
        return found;
    }

    /** The first record whose {@code index} key is {@code value}. */
    Optional<T> first(String index, Object value) {
        return ids(index, value).stream().findFirst().map(records::get);
    }

    private Set<String> ids(String index, Object value) {
        Map<Object, Set<String>> byKey = indexes.get(index);
        if (byKey == null) {
            throw new IllegalArgumentException("no index " + index);
        }
        return byKey.getOrDefault(value, Set.of());
    }
}

package org.jamescrm.emulator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A CRM's records, for emulators that want no store of their own: entity type, then id, then the
 * record as JSON. Ids are sequential per type from 1, as CRMs number them and as tests expect after a
 * {@link #reset()}. Records go in and come out as deep copies, so no caller changes the store behind
 * its back; listings are in id order. Thread-safe.
 */
public final class RecordStore {
    private final Map<String, TreeMap<Long, ObjectNode>> records = new HashMap<>();
    private final Map<String, Long> lastIds = new HashMap<>();

    /** Stores {@code record} under the next id of {@code type} and returns the id. */
    public synchronized long insert(String type, ObjectNode record) {
        long id = lastIds.merge(type(type), 1L, Long::sum);
        records.computeIfAbsent(type, unused -> new TreeMap<>()).put(id, record.deepCopy());
        return id;
    }

    /** Stores {@code record} under {@code id} (replacing any); later inserts number after it. */
    public synchronized void put(String type, long id, ObjectNode record) {
        if (id < 1) {
            throw new IllegalArgumentException("id must be at least 1, got " + id);
        }
        records.computeIfAbsent(type(type), unused -> new TreeMap<>()).put(id, record.deepCopy());
        lastIds.merge(type, id, Math::max);
    }

    /** The record of {@code type} with {@code id}. */
    public synchronized Optional<ObjectNode> get(String type, long id) {
        return Optional.ofNullable(table(type).get(id)).map(ObjectNode::deepCopy);
    }

    /** Replaces a record with {@code change} applied to a copy of it; false when there is no such record. */
    public synchronized boolean update(String type, long id, UnaryOperator<ObjectNode> change) {
        ObjectNode current = table(type).get(id);
        if (current == null) {
            return false;
        }
        records.get(type).put(id, Objects.requireNonNull(change.apply(current.deepCopy()), "changed record").deepCopy());
        return true;
    }

    /** Removes a record; false when there was none. Its id is not given again. */
    public synchronized boolean remove(String type, long id) {
        return table(type).remove(id) != null;
    }

    /** Every record of {@code type}, in id order. */
    public List<ObjectNode> list(String type) {
        return find(type, record -> true);
    }

    /** The records of {@code type} matching {@code filter}, in id order. */
    public synchronized List<ObjectNode> find(String type, Predicate<ObjectNode> filter) {
        List<ObjectNode> found = new ArrayList<>();
        table(type).values().stream().filter(filter).forEach(record -> found.add(record.deepCopy()));
        return found;
    }

    /** The ids of {@code type}, in order. */
    public synchronized List<Long> ids(String type) {
        return List.copyOf(table(type).keySet());
    }

    /** How many records of {@code type} there are. */
    public synchronized int count(String type) {
        return table(type).size();
    }

    /** Forgets every record; ids start again at 1. */
    public synchronized void reset() {
        records.clear();
        lastIds.clear();
    }

    private TreeMap<Long, ObjectNode> table(String type) {
        return records.getOrDefault(type(type), new TreeMap<>());
    }

    private static String type(String type) {
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("type must not be blank");
        }
        return type;
    }
}

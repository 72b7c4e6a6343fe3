package org.jamescrm.emulator;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The faults an emulator is programmed with, as James's mock SMTP server is: "answer X the next N
 * times", "the next N requests matching P", "every request matching P". Entries apply in the order
 * they were added: a request takes the first entry that matches it and still has uses left, so
 * {@code next(2, A); next(1, B)} answers A, A, then B. Thread-safe.
 */
public final class FaultPlan {
    private static final int FOREVER = -1;

    private final List<Entry> entries = new ArrayList<>();

    /** One programmed fault: which requests it takes, how many more times ({@code -1}: forever). */
    private static final class Entry {
        final Predicate<EmulatorRequest> matching;
        final Fault fault;
        int remaining;

        Entry(Predicate<EmulatorRequest> matching, Fault fault, int remaining) {
            this.matching = matching;
            this.fault = fault;
            this.remaining = remaining;
        }
    }

    /** The next {@code count} requests, whatever they are, get {@code fault} (after the entries added before). */
    public void next(int count, Fault fault) {
        nextMatching(count, request -> true, fault);
    }

    /** The next {@code count} requests matching {@code matching} get {@code fault}. */
    public void nextMatching(int count, Predicate<EmulatorRequest> matching, Fault fault) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, got " + count);
        }
        add(new Entry(Objects.requireNonNull(matching, "matching"), Objects.requireNonNull(fault, "fault"), count));
    }

    /** Every request matching {@code matching} gets {@code fault}, until {@link #clear()}. */
    public void everyMatching(Predicate<EmulatorRequest> matching, Fault fault) {
        add(new Entry(Objects.requireNonNull(matching, "matching"), Objects.requireNonNull(fault, "fault"), FOREVER));
    }

    /** A predicate for the requests the emulator named {@code operation} (see {@link EmulatorRequest#describe}). */
    public static Predicate<EmulatorRequest> operation(String operation) {
        Objects.requireNonNull(operation, "operation");
        return request -> request.operation().equalsIgnoreCase(operation);
    }

    private synchronized void add(Entry entry) {
        entries.add(entry);
    }

    /** The fault {@code request} gets, using up one use of the entry; empty when none matches. */
    public synchronized Optional<Fault> take(EmulatorRequest request) {
        Iterator<Entry> iterator = entries.iterator();
        while (iterator.hasNext()) {
            Entry entry = iterator.next();
            if (entry.matching.test(request)) {
                if (entry.remaining != FOREVER && --entry.remaining == 0) {
                    iterator.remove();
                }
                return Optional.of(entry.fault);
            }
        }
        return Optional.empty();
    }

    /** How many entries are still programmed (counted entries with uses left, and standing rules). */
    public synchronized int pending() {
        return entries.size();
    }

    /** Drops every programmed fault. */
    public synchronized void clear() {
        entries.clear();
    }
}

package org.jamescrm.emulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The requests an emulator received, in the order their outcome was decided, with their timing, their
 * status and the CRM's error code. The server records a call just before its answer leaves, so a
 * client holding an answer always finds its request here. Thread-safe.
 */
public final class CallLog {
    private final List<Call> calls = new ArrayList<>();

    /** Appends a call; the {@link EmulatorServer} does this for every request it receives. */
    public synchronized void add(Call call) {
        calls.add(Objects.requireNonNull(call, "call"));
    }

    /** Every call so far, oldest first. */
    public synchronized List<Call> all() {
        return List.copyOf(calls);
    }

    /** How many calls were logged. */
    public synchronized int size() {
        return calls.size();
    }

    /** The calls matching {@code filter}, oldest first. */
    public synchronized List<Call> matching(Predicate<Call> filter) {
        return calls.stream().filter(filter).toList();
    }

    /** The calls of one CRM operation (case-insensitive), oldest first. */
    public List<Call> of(String operation) {
        return matching(call -> call.operation().equalsIgnoreCase(operation));
    }

    /** How many answers carried the CRM error code {@code errorCode}. */
    public synchronized long countErrors(String errorCode) {
        Objects.requireNonNull(errorCode, "errorCode");
        return calls.stream().filter(call -> errorCode.equals(call.errorCode())).count();
    }

    /** The longest duration of a call so far, zero when there was none. */
    public synchronized Duration longest() {
        return calls.stream().map(Call::duration).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /** Forgets every call. */
    public synchronized void clear() {
        calls.clear();
    }
}

package org.jamescrm.emulator;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What the real CRM would have done that a user would regret ({@link Violation}): an e-mail sent to a
 * client, a duplicate record, a truncated write. Emulators record; tests assert the log stays empty,
 * with messages that say what happened. Thread-safe.
 */
public final class ViolationLog {
    private final Clock clock;
    private final List<Violation> violations = new ArrayList<>();

    /** A log stamping violations with {@code clock}, the emulator's. */
    public ViolationLog(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Records a violation now. */
    public Violation record(Violation.Kind kind, String operation, String description, Map<String, Object> evidence) {
        Violation violation = new Violation(kind, operation, description, clock.instant(), evidence);
        synchronized (this) {
            violations.add(violation);
        }
        return violation;
    }

    /** Every violation so far, oldest first. */
    public synchronized List<Violation> all() {
        return List.copyOf(violations);
    }

    /** The violations of one kind, oldest first. */
    public synchronized List<Violation> of(Violation.Kind kind) {
        return violations.stream().filter(violation -> violation.kind() == kind).toList();
    }

    /** Whether nothing was recorded. */
    public synchronized boolean isEmpty() {
        return violations.isEmpty();
    }

    /** Fails with every violation listed when there is any. */
    public void assertNone() {
        failUnlessEmpty(all(), "the CRM would have done what a user regrets");
    }

    /** Fails with the violations of {@code kind} listed when there is any. */
    public void assertNone(Violation.Kind kind) {
        failUnlessEmpty(of(kind), "the CRM would have done what a user regrets (" + kind + ")");
    }

    /** Fails unless exactly {@code count} violations of {@code kind} were recorded. */
    public void assertCount(Violation.Kind kind, int count) {
        List<Violation> found = of(kind);
        if (found.size() != count) {
            throw new AssertionError("expected " + count + " violation(s) " + kind + ", got " + found.size() + describe(found));
        }
    }

    private static void failUnlessEmpty(List<Violation> found, String message) {
        if (!found.isEmpty()) {
            throw new AssertionError(message + ": " + found.size() + " violation(s)" + describe(found));
        }
    }

    private static String describe(List<Violation> found) {
        return found.stream().map(violation -> "\n  " + violation.kind() + " by " + violation.operation() + " at " + violation.at() + ": "
            + violation.description() + " " + violation.evidence()).collect(Collectors.joining());
    }

    /** Forgets every violation. */
    public synchronized void clear() {
        violations.clear();
    }
}

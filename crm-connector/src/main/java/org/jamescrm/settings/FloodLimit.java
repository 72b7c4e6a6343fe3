package org.jamescrm.settings;

import java.time.Duration;
import java.util.Objects;

/**
 * The last guard against mail loops and mail bombs ({@code <flood>}, reason {@code FLOOD}): one client
 * address gets at most {@code captures} captures in any {@code window}; the rest are parked for review.
 */
public record FloodLimit(int captures, Duration window) {

    public FloodLimit {
        Objects.requireNonNull(window, "window");
        if (captures < 1) {
            throw new IllegalArgumentException("captures must be at least 1");
        }
    }

    /** The default: 20 captures in 2 hours. */
    public static FloodLimit defaults() {
        return new FloodLimit(20, Duration.ofHours(2));
    }
}

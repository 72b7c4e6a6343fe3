package org.jamescrm.memory;

import java.util.List;
import java.util.Set;

import org.jamescrm.spi.ConnectorSettings;

/**
 * The {@code <memory>} element of {@code crm-capture.xml}: the CRM users of the in-memory CRM and how
 * much mail content it keeps.
 *
 * @param users        the CRM users, in the order of the file
 * @param contentLimit {@code <contentLimit>} (default 64MB): the most bytes of bodies and attachments
 *                     kept; past it the oldest contents are dropped and marked, their records kept
 */
public record MemorySettings(List<MemoryUser> users, long contentLimit) implements ConnectorSettings {
    /** The default content limit: what a 512 MB heap holds beside James with room to spare. */
    public static final long DEFAULT_CONTENT_LIMIT = 64L * 1024 * 1024;

    public MemorySettings {
        users = List.copyOf(users);
        if (contentLimit < 0) {
            throw new IllegalArgumentException("contentLimit must not be negative");
        }
    }

    /** The in-memory CRM has no credentials. */
    @Override
    public Set<String> secrets() {
        return Set.of();
    }
}

package org.jamescrm.memory;

import java.util.List;
import java.util.Set;

import org.jamescrm.spi.ConnectorSettings;

/**
 * The {@code <memory>} element of {@code crm-capture.xml}: the CRM users of the in-memory CRM.
 *
 * @param users the CRM users, in the order of the file
 */
public record MemorySettings(List<MemoryUser> users) implements ConnectorSettings {

    public MemorySettings {
        users = List.copyOf(users);
    }

    /** The in-memory CRM has no credentials. */
    @Override
    public Set<String> secrets() {
        return Set.of();
    }
}

package org.jamescrm.it.plugin;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.jamescrm.spi.ConnectorSettings;
import org.jamescrm.spi.CrmUser;

/**
 * The {@code <recording>} element of {@code crm-capture.xml}.
 *
 * @param file  where the writes are appended, one JSON line each
 * @param users the CRM users, in the order of the file
 */
record RecordingSettings(Path file, List<CrmUser> users) implements ConnectorSettings {

    RecordingSettings {
        Objects.requireNonNull(file, "file");
        users = List.copyOf(users);
    }

    /** No credentials. */
    @Override
    public Set<String> secrets() {
        return Set.of();
    }
}

package org.jamescrm.settings;

import java.util.Map;

import org.jamescrm.spi.settings.SettingsProblem;

/**
 * Refuses the settings that ask a CRM for what it cannot hold, with the key and the reason: on a CRM
 * without leads, {@code <leadless>false</leadless>} and {@code <repeatSale>lead</repeatSale>} (its
 * mailboxes are leadless by default). Cases are checked the same way once settings ask for cases.
 */
final class CapabilityCheck {
    private final ConnectorChoice connector;

    CapabilityCheck(ConnectorChoice connector) {
        this.connector = connector;
    }

    /** Checks the values of one {@code <defaults>} or {@code <mailbox>} element. */
    void check(String prefix, Map<String, String> values) {
        if (connector.capabilities().leads()) {
            return;
        }
        refuse(prefix, "leadless", "false", values, "true");
        refuse(prefix, "repeatSale", "lead", values, "off, deal");
    }

    private void refuse(String prefix, String key, String value, Map<String, String> values, String allowed) {
        if (value.equals(values.get(key))) {
            throw new SettingsProblem("key '" + prefix + "." + key + "' has value '" + value + "', which needs leads, and the CRM '"
                + connector.name() + "' has none; allowed values: " + allowed);
        }
    }
}

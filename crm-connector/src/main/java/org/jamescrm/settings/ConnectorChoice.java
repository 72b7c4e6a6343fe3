package org.jamescrm.settings;

import java.util.Objects;

import org.jamescrm.spi.ConnectorSettings;
import org.jamescrm.spi.CrmCapabilities;
import org.jamescrm.spi.CrmConnectorProvider;

/**
 * The CRM the settings select ({@code <connector>}) with its own settings element, read by its provider.
 *
 * @param provider the CRM's provider
 * @param settings what the provider read from its element
 */
public record ConnectorChoice(CrmConnectorProvider provider, ConnectorSettings settings) {

    public ConnectorChoice {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(settings, "settings");
    }

    /** The CRM's name, as written in {@code <connector>}. */
    public String name() {
        return provider.name();
    }

    /** What the CRM can hold. */
    public CrmCapabilities capabilities() {
        return provider.capabilities();
    }
}

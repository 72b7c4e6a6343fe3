package org.jamescrm.spi;

import java.util.Optional;

import org.jamescrm.spi.settings.SettingsElement;
import org.jamescrm.spi.settings.SettingsProblem;

/**
 * One CRM as a plug-in: found by the Java {@link java.util.ServiceLoader} through a
 * {@code META-INF/services/org.jamescrm.spi.CrmConnectorProvider} file of its jar, so a CRM is added
 * by putting its jar beside the product's, with no change to the core. The core names no CRM: the
 * provider owns its name, its settings element and its connector.
 *
 * <pre>
 * &lt;connector&gt;bitrix24&lt;/connector&gt;        &lt;!-- {@link #name()} --&gt;
 * &lt;bitrix24&gt; ... &lt;/bitrix24&gt;              &lt;!-- read by {@link #settings} --&gt;
 * </pre>
 */
public interface CrmConnectorProvider {

    /** The CRM's name as written in {@code <connector>}; also the tag of its settings element. */
    String name();

    /** What the CRM can hold; the capture settings are checked against it at start. */
    CrmCapabilities capabilities();

    /**
     * Reads and validates the CRM's settings element. Called for the element whenever the file has
     * one (so a mistake there is found even while another CRM is selected), and with an empty element
     * for the selected CRM when the file has none.
     *
     * @param element the {@code <name>} element, if the file has one
     * @throws SettingsProblem naming the key and the allowed values when the element is wrong or
     *                         missing while required
     */
    ConnectorSettings settings(Optional<SettingsElement> element);

    /**
     * Creates the connector; no CRM call yet (James never waits for the CRM at start: the health check,
     * {@link CrmConnector#checkConnection()}, runs in the background).
     *
     * @param settings what {@link #settings} returned
     */
    CrmConnector create(ConnectorSettings settings, ConnectorContext context);
}

package org.jamescrm.espocrm;

import static org.jamescrm.spi.settings.SettingsValues.url;
import static org.jamescrm.spi.settings.SettingsValues.wholeNumber;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import org.jamescrm.spi.ConnectorContext;
import org.jamescrm.spi.ConnectorSettings;
import org.jamescrm.spi.CrmCapabilities;
import org.jamescrm.spi.CrmConnector;
import org.jamescrm.spi.CrmConnectorProvider;
import org.jamescrm.spi.settings.Durations;
import org.jamescrm.spi.settings.SettingsElement;
import org.jamescrm.spi.settings.SettingsProblem;

/**
 * The EspoCRM CRM (and the products built on it, such as AutoCRM), selected with
 * {@code <connector>espocrm</connector>} and configured by its own element:
 * <pre>
 * &lt;espocrm&gt;
 *   &lt;url&gt;https://crm.company.example&lt;/url&gt;
 *   &lt;apiKey&gt;${env:ESPOCRM_API_KEY}&lt;/apiKey&gt;
 *   &lt;secretKey&gt;${env:ESPOCRM_SECRET_KEY}&lt;/secretKey&gt;   &lt;!-- optional: HMAC authentication --&gt;
 *   &lt;requestsInFlight&gt;4&lt;/requestsInFlight&gt;                &lt;!-- optional, default 4 --&gt;
 *   &lt;timeout&gt;30 seconds&lt;/timeout&gt;                          &lt;!-- optional, default 30 seconds --&gt;
 * &lt;/espocrm&gt;
 * </pre>
 */
public final class EspoCrmProvider implements CrmConnectorProvider {
    private static final String EXAMPLE_URL = "https://crm.company.example";

    @Override
    public String name() {
        return "espocrm";
    }

    /**
     * Leads, cases (a group's {@code newThread case} opens EspoCRM Cases), teams (a group's {@code <teams>}
     * names EspoCRM teams: their names as Administration &gt; Teams shows them, or their ids), no batch API
     * (one operation a request).
     */
    @Override
    public CrmCapabilities capabilities() {
        return new CrmCapabilities(true, true, true, 1);
    }

    @Override
    public ConnectorSettings settings(Optional<SettingsElement> element) {
        SettingsElement espocrm = element.orElseThrow(() -> SettingsProblem.missing("espocrm",
            "the <espocrm> element with the site's URL and an API key (required by connector espocrm)"));
        espocrm.allowAttributes();
        String url = null;
        String apiKey = null;
        Optional<String> secretKey = Optional.empty();
        int requestsInFlight = EspoCrmConfiguration.DEFAULT_REQUESTS_IN_FLIGHT;
        Duration timeout = EspoCrmConfiguration.DEFAULT_TIMEOUT;
        for (SettingsElement child : espocrm.children()) {
            child.allowAttributes();
            switch (child.name()) {
                case "url" -> url = url(child.key(), child.text(), EXAMPLE_URL);
                case "apiKey" -> apiKey = child.secretText();
                case "secretKey" -> secretKey = Optional.of(child.secretText());
                case "requestsInFlight" -> requestsInFlight = wholeNumber(child.key(), child.text(), 1);
                case "timeout" -> timeout = Durations.parse(child.key(), child.text(), ChronoUnit.SECONDS, Duration.ofSeconds(1));
                default -> throw espocrm.unknownChild(child, "url", "apiKey", "secretKey", "requestsInFlight", "timeout");
            }
        }
        if (url == null) {
            throw SettingsProblem.missing("espocrm.url", "the site's URL, e.g. " + EXAMPLE_URL);
        }
        if (apiKey == null) {
            throw SettingsProblem.missing("espocrm.apiKey", "the API user's key, e.g. ${env:ESPOCRM_API_KEY}");
        }
        return new EspoCrmConfiguration(url, apiKey, secretKey, requestsInFlight, timeout);
    }

    @Override
    public CrmConnector create(ConnectorSettings settings, ConnectorContext context) {
        EspoCrmConfiguration configuration = (EspoCrmConfiguration) settings;
        return new EspoCrmConnector(EspoCrmClient.create(configuration), context.clock());
    }
}

package org.jamescrm.zoho;

import static org.jamescrm.spi.settings.SettingsValues.onOff;
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
import org.jamescrm.spi.settings.SettingValue;
import org.jamescrm.spi.settings.SettingsElement;
import org.jamescrm.spi.settings.SettingsProblem;

/**
 * Zoho CRM (API v8), selected with {@code <connector>zoho</connector>} and configured by its own element:
 * <pre>
 * &lt;zoho&gt;
 *   &lt;dataCentre&gt;EU&lt;/dataCentre&gt;                              &lt;!-- US, EU, IN, AU, JP, CN, CA, SA --&gt;
 *   &lt;clientId&gt;1000.ABC...&lt;/clientId&gt;
 *   &lt;clientSecret&gt;${env:ZOHO_CLIENT_SECRET}&lt;/clientSecret&gt;
 *   &lt;refreshToken&gt;${env:ZOHO_REFRESH_TOKEN}&lt;/refreshToken&gt;
 *   &lt;concurrency&gt;10&lt;/concurrency&gt;                           &lt;!-- optional, default 10 --&gt;
 *   &lt;workflows&gt;on&lt;/workflows&gt;                               &lt;!-- optional, default on --&gt;
 *   &lt;timeout&gt;30 seconds&lt;/timeout&gt;                          &lt;!-- optional, default 30 seconds --&gt;
 *   &lt;accountsUrl&gt;https://accounts.zoho.eu&lt;/accountsUrl&gt;   &lt;!-- optional: testing, private deployments --&gt;
 *   &lt;apiUrl&gt;https://sandbox.zohoapis.eu&lt;/apiUrl&gt;           &lt;!-- optional: testing, private deployments --&gt;
 * &lt;/zoho&gt;
 * </pre>
 */
public final class ZohoProvider implements CrmConnectorProvider {
    /** The records of one insert request; also the largest batch. */
    static final int RECORDS_PER_REQUEST = 100;
    private static final String[] KEYS = {"dataCentre", "clientId", "clientSecret", "refreshToken", "concurrency", "workflows", "timeout",
        "accountsUrl", "apiUrl"};

    @Override
    public String name() {
        return "zoho";
    }

    /** Leads; no cases yet; inserts of up to 100 records a request. */
    @Override
    public CrmCapabilities capabilities() {
        return new CrmCapabilities(true, false, RECORDS_PER_REQUEST);
    }

    @Override
    public ConnectorSettings settings(Optional<SettingsElement> element) {
        SettingsElement zoho = element.orElseThrow(() -> SettingsProblem.missing("zoho",
            "the <zoho> element with the data centre, the Self Client's id and secret and a refresh token (required by connector zoho)"));
        zoho.allowAttributes();
        ZohoDataCentre dataCentre = null;
        String clientId = null;
        String clientSecret = null;
        String refreshToken = null;
        Optional<String> accountsUrl = Optional.empty();
        Optional<String> apiUrl = Optional.empty();
        int concurrency = ZohoConfiguration.DEFAULT_CONCURRENCY;
        boolean workflows = true;
        Duration timeout = ZohoConfiguration.DEFAULT_TIMEOUT;
        for (SettingsElement child : zoho.children()) {
            child.allowAttributes();
            switch (child.name()) {
                case "dataCentre" -> dataCentre = SettingValue.parse(ZohoDataCentre.class, child.key(), child.text());
                case "clientId" -> clientId = org.jamescrm.spi.settings.SettingsValues.nonBlank(child.key(), child.text());
                case "clientSecret" -> clientSecret = child.secretText();
                case "refreshToken" -> refreshToken = child.secretText();
                case "concurrency" -> concurrency = wholeNumber(child.key(), child.text(), 1);
                case "workflows" -> workflows = onOff(child.key(), child.text());
                case "timeout" -> timeout = Durations.parse(child.key(), child.text(), ChronoUnit.SECONDS, Duration.ofSeconds(1));
                case "accountsUrl" -> accountsUrl = Optional.of(url(child.key(), child.text(), "https://accounts.zoho.eu"));
                case "apiUrl" -> apiUrl = Optional.of(url(child.key(), child.text(), "https://sandbox.zohoapis.eu"));
                default -> throw zoho.unknownChild(child, KEYS);
            }
        }
        if (dataCentre == null) {
            throw SettingsProblem.missing("zoho.dataCentre", "the data centre where the refresh token was made: "
                + SettingValue.words(ZohoDataCentre.class));
        }
        if (clientId == null) {
            throw SettingsProblem.missing("zoho.clientId", "the Self Client's client id, e.g. 1000.ABCDEF");
        }
        if (clientSecret == null) {
            throw SettingsProblem.missing("zoho.clientSecret", "the Self Client's client secret, e.g. ${env:ZOHO_CLIENT_SECRET}");
        }
        if (refreshToken == null) {
            throw SettingsProblem.missing("zoho.refreshToken", "the refresh token made for the Self Client, e.g. ${env:ZOHO_REFRESH_TOKEN}");
        }
        return new ZohoConfiguration(dataCentre, clientId, clientSecret, refreshToken, accountsUrl, apiUrl, concurrency, workflows, timeout);
    }

    @Override
    public CrmConnector create(ConnectorSettings settings, ConnectorContext context) {
        return new ZohoConnector(new ZohoClient((ZohoConfiguration) settings, context.clock(), context.store()), context.clock());
    }
}

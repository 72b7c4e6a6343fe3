package org.jamescrm.salesforce;

import static org.jamescrm.spi.settings.SettingsValues.address;
import static org.jamescrm.spi.settings.SettingsValues.bool;
import static org.jamescrm.spi.settings.SettingsValues.nonBlank;
import static org.jamescrm.spi.settings.SettingsValues.url;
import static org.jamescrm.spi.settings.SettingsValues.wholeNumber;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.spi.ConnectorContext;
import org.jamescrm.spi.ConnectorSettings;
import org.jamescrm.spi.CrmCapabilities;
import org.jamescrm.spi.CrmConnector;
import org.jamescrm.spi.CrmConnectorProvider;
import org.jamescrm.spi.settings.Durations;
import org.jamescrm.spi.settings.SettingsElement;
import org.jamescrm.spi.settings.SettingsProblem;

/**
 * The Salesforce CRM, selected with {@code <connector>salesforce</connector>} and configured by its own element,
 * with the JWT bearer flow:
 * <pre>
 * &lt;salesforce&gt;
 *   &lt;loginUrl&gt;https://login.salesforce.com&lt;/loginUrl&gt;
 *   &lt;clientId&gt;${env:SALESFORCE_CLIENT_ID}&lt;/clientId&gt;
 *   &lt;username&gt;capture@company.example&lt;/username&gt;
 *   &lt;privateKey&gt;/etc/james/salesforce-key.pem&lt;/privateKey&gt;   &lt;!-- or ${env:SALESFORCE_PRIVATE_KEY}: the PEM text --&gt;
 *   &lt;audience&gt;https://login.salesforce.com&lt;/audience&gt;     &lt;!-- optional, default the login URL --&gt;
 *   &lt;apiVersion&gt;66.0&lt;/apiVersion&gt;                         &lt;!-- optional, default 66.0 --&gt;
 *   &lt;captureKeyField&gt;Capture_Key__c&lt;/captureKeyField&gt;     &lt;!-- optional, default Capture_Key__c --&gt;
 *   &lt;externalId&gt;false&lt;/externalId&gt;                        &lt;!-- optional: the field is External ID + Unique --&gt;
 *   &lt;budgetShare&gt;90&lt;/budgetShare&gt;                         &lt;!-- optional, percent of the daily API budget --&gt;
 *   &lt;users&gt;&lt;user address="rep@company.example" id="005xx000001Sv6wAAC"/&gt;&lt;/users&gt;   &lt;!-- optional --&gt;
 *   &lt;requestsInFlight&gt;25&lt;/requestsInFlight&gt;               &lt;!-- optional, default 25 --&gt;
 *   &lt;timeout&gt;60 seconds&lt;/timeout&gt;                          &lt;!-- optional, default 60 seconds --&gt;
 * &lt;/salesforce&gt;
 * </pre>
 * or with the client-credentials flow: {@code <clientSecret>} instead of {@code <username>} and {@code <privateKey>},
 * the login URL being the org's My Domain.
 */
public final class SalesforceProvider implements CrmConnectorProvider {
    private static final String EXAMPLE_URL = "https://login.salesforce.com";
    private static final Pattern API_VERSION = Pattern.compile("\\d{2,3}\\.0");
    private static final Pattern FIELD = Pattern.compile("[A-Za-z][A-Za-z0-9_]*__c");
    private static final Pattern USER_ID = Pattern.compile("005[A-Za-z0-9]{12}([A-Za-z0-9]{3})?");
    private static final String[] KEYS = {"loginUrl", "clientId", "username", "privateKey", "clientSecret", "audience", "apiVersion",
        "captureKeyField", "externalId", "budgetShare", "users", "requestsInFlight", "timeout"};

    @Override
    public String name() {
        return "salesforce";
    }

    /** Leads; no cases yet; sObject Collections take 200 records a call. */
    @Override
    public CrmCapabilities capabilities() {
        return new CrmCapabilities(true, false, SalesforceClient.COLLECTION_RECORDS);
    }

    @Override
    public ConnectorSettings settings(Optional<SettingsElement> element) {
        SettingsElement salesforce = element.orElseThrow(() -> SettingsProblem.missing("salesforce",
            "the <salesforce> element with the login URL, the client id and a JWT key or client secret (required by connector salesforce)"));
        salesforce.allowAttributes();
        String loginUrl = null;
        String clientId = null;
        String username = null;
        String privateKey = null;
        String clientSecret = null;
        String audience = null;
        String apiVersion = SalesforceConfiguration.DEFAULT_API_VERSION;
        String field = SalesforceConfiguration.DEFAULT_CAPTURE_KEY_FIELD;
        boolean externalId = false;
        int budgetShare = SalesforceConfiguration.DEFAULT_BUDGET_SHARE;
        Map<EmailAddress, String> users = new LinkedHashMap<>();
        int requestsInFlight = SalesforceConfiguration.DEFAULT_REQUESTS_IN_FLIGHT;
        Duration timeout = SalesforceConfiguration.DEFAULT_TIMEOUT;
        for (SettingsElement child : salesforce.children()) {
            if (!child.name().equals("users")) {
                child.allowAttributes();
            }
            switch (child.name()) {
                case "loginUrl" -> loginUrl = url(child.key(), child.text(), EXAMPLE_URL);
                case "clientId" -> clientId = nonBlank(child.key(), child.text());
                case "username" -> username = nonBlank(child.key(), child.text());
                case "privateKey" -> privateKey = privateKey(child.key(), child.secretText());
                case "clientSecret" -> clientSecret = child.secretText();
                case "audience" -> audience = url(child.key(), child.text(), EXAMPLE_URL);
                case "apiVersion" -> apiVersion = matching(child.key(), child.text(), API_VERSION, "a REST API version such as 66.0");
                case "captureKeyField" -> field = matching(child.key(), child.text(), FIELD, "a custom field's API name such as Capture_Key__c");
                case "externalId" -> externalId = bool(child.key(), child.text());
                case "budgetShare" -> budgetShare = percent(child.key(), child.text());
                case "users" -> users = users(child);
                case "requestsInFlight" -> requestsInFlight = wholeNumber(child.key(), child.text(), 1);
                case "timeout" -> timeout = Durations.parse(child.key(), child.text(), ChronoUnit.SECONDS, Duration.ofSeconds(1));
                default -> throw salesforce.unknownChild(child, KEYS);
            }
        }
        if (loginUrl == null) {
            throw SettingsProblem.missing("salesforce.loginUrl", "the login host or the org's My Domain, e.g. " + EXAMPLE_URL);
        }
        if (clientId == null) {
            throw SettingsProblem.missing("salesforce.clientId", "the connected app's consumer key, e.g. ${env:SALESFORCE_CLIENT_ID}");
        }
        SalesforceConfiguration.Auth auth = auth(loginUrl, username, privateKey, clientSecret, audience);
        return new SalesforceConfiguration(loginUrl, clientId, auth, apiVersion, field, externalId, budgetShare, users, requestsInFlight,
            timeout);
    }

    private static SalesforceConfiguration.Auth auth(String loginUrl, String username, String privateKey, String clientSecret,
                                                     String audience) {
        if (clientSecret != null && (username != null || privateKey != null)) {
            throw new SettingsProblem("key 'salesforce.clientSecret' cannot be combined with 'salesforce.username' and "
                + "'salesforce.privateKey'; allowed: either <clientSecret> (client-credentials flow) or <username> and <privateKey> "
                + "(JWT bearer flow)");
        }
        if (clientSecret != null) {
            return new SalesforceConfiguration.ClientCredentials(clientSecret);
        }
        if (username == null && privateKey == null) {
            throw SettingsProblem.missing("salesforce.privateKey", "<username> and <privateKey> (JWT bearer flow) or <clientSecret> "
                + "(client-credentials flow)");
        }
        if (username == null) {
            throw SettingsProblem.missing("salesforce.username", "the run-as user's Salesforce username, e.g. capture@company.example");
        }
        if (privateKey == null) {
            throw SettingsProblem.missing("salesforce.privateKey", "a PEM file's path or ${env:NAME} holding the PEM text");
        }
        return new SalesforceConfiguration.JwtBearer(username, privateKey, audience == null ? loginUrl : audience);
    }

    /** The PEM text: the value itself when it is PEM, else the file it names; checked to be an RSA PKCS#8 key. */
    private static String privateKey(String key, String value) {
        String pem = value;
        if (!value.strip().startsWith("-----BEGIN")) {
            try {
                pem = Files.readString(Path.of(value.strip()));
            } catch (IOException | InvalidPathException e) {
                throw SettingsProblem.badValue(key, value.strip(), "a readable PEM file's path, or ${env:NAME} holding the PEM text ("
                    + e.getClass().getSimpleName() + ")");
            }
        }
        try {
            PemKeys.rsaPrivateKey(pem);
        } catch (IllegalArgumentException e) {
            throw new SettingsProblem("key '" + key + "': " + e.getMessage() + "; allowed: an unencrypted RSA private key, PKCS#8 PEM");
        }
        return pem.strip();
    }

    private static String matching(String key, String value, Pattern pattern, String allowed) {
        if (!pattern.matcher(value).matches()) {
            throw SettingsProblem.badValue(key, value, allowed);
        }
        return value;
    }

    private static int percent(String key, String value) {
        int share = wholeNumber(key, value.replace("%", "").strip(), 1);
        if (share > 100) {
            throw SettingsProblem.badValue(key, value, "a percentage from 1 to 100");
        }
        return share;
    }

    private static Map<EmailAddress, String> users(SettingsElement users) {
        users.allowAttributes();
        Map<EmailAddress, String> mapping = new LinkedHashMap<>();
        for (SettingsElement user : users.children()) {
            if (!user.name().equals("user")) {
                throw users.unknownChild(user, "user");
            }
            user.allowAttributes("address", "id");
            EmailAddress email = address(user.attributeKey("address"), user.requiredAttribute("address"));
            mapping.put(email, matching(user.attributeKey("id"), user.requiredAttribute("id"), USER_ID,
                "a Salesforce User id such as 005xx000001Sv6wAAC"));
        }
        return mapping;
    }

    @Override
    public CrmConnector create(ConnectorSettings settings, ConnectorContext context) {
        SalesforceConfiguration configuration = (SalesforceConfiguration) settings;
        return new SalesforceConnector(new SalesforceClient(configuration, context.clock()), configuration, context.clock());
    }
}

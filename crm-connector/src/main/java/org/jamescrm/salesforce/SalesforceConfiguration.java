package org.jamescrm.salesforce;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.spi.ConnectorSettings;

/**
 * A validated Salesforce connection: the {@code <salesforce>} element of {@code crm-capture.xml}.
 *
 * @param loginUrl         where tokens are asked for ({@code /services/oauth2/token}): {@code https://login.salesforce.com},
 *                         {@code https://test.salesforce.com} or the org's My Domain (required by the client-credentials
 *                         flow); the REST calls go to the {@code instance_url} of the token answer
 * @param clientId         the consumer key of the connected app (or external client app)
 * @param auth             the JWT bearer flow (a run-as user and an RSA key) or the client-credentials flow
 * @param apiVersion       the REST API version, e.g. {@code 66.0}
 * @param captureKeyField  the custom text field (on Lead, Contact, Opportunity and EmailMessage or Task) holding the
 *                         SHA-256 of the capture key, e.g. {@code Capture_Key__c}
 * @param externalId       whether the administrator marked that field External ID and Unique on the e-mail
 *                         activity's object: activities are then upserted by it
 * @param budgetShare      the share of the daily API budget (percent) above which optional work stops
 * @param users            configured CRM users for employees who hold several active Salesforce users
 * @param requestsInFlight the most requests sent at once, by all capture threads together (Salesforce caps long
 *                         requests at 25 at once)
 * @param timeout          the time one HTTP call may take
 */
public record SalesforceConfiguration(String loginUrl, String clientId, Auth auth, String apiVersion, String captureKeyField,
                                      boolean externalId, int budgetShare, Map<EmailAddress, String> users, int requestsInFlight,
                                      Duration timeout) implements ConnectorSettings {

    /** The API version unless {@code <apiVersion>} says otherwise. */
    public static final String DEFAULT_API_VERSION = "66.0";
    /** The capture key field unless {@code <captureKeyField>} says otherwise. */
    public static final String DEFAULT_CAPTURE_KEY_FIELD = "Capture_Key__c";
    /** The budget share unless {@code <budgetShare>} says otherwise. */
    public static final int DEFAULT_BUDGET_SHARE = 90;
    /** Salesforce's cap of long requests at once, the default of {@code <requestsInFlight>}. */
    public static final int DEFAULT_REQUESTS_IN_FLIGHT = 25;
    /** The timeout unless {@code <timeout>} says otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /** How the connector obtains its access tokens (no person present). */
    public sealed interface Auth permits JwtBearer, ClientCredentials {
    }

    /**
     * The OAuth 2.0 JWT bearer flow: an assertion signed RS256 with the app's private key, for a pre-authorized run-as user.
     *
     * @param username      the run-as user's Salesforce username (the {@code sub} claim)
     * @param privateKeyPem the RSA private key, PKCS#8 PEM
     * @param audience      the {@code aud} claim: {@code https://login.salesforce.com}, {@code https://test.salesforce.com}
     */
    public record JwtBearer(String username, String privateKeyPem, String audience) implements Auth {
        public JwtBearer {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(privateKeyPem, "privateKeyPem");
            Objects.requireNonNull(audience, "audience");
        }

        /** Never prints the key. */
        @Override
        public String toString() {
            return "JwtBearer[username=" + username + ", audience=" + audience + "]";
        }
    }

    /** The OAuth 2.0 client-credentials flow of an app with a run-as user (the login URL must be the My Domain). */
    public record ClientCredentials(String clientSecret) implements Auth {
        public ClientCredentials {
            Objects.requireNonNull(clientSecret, "clientSecret");
        }

        /** Never prints the secret. */
        @Override
        public String toString() {
            return "ClientCredentials[]";
        }
    }

    public SalesforceConfiguration {
        Objects.requireNonNull(loginUrl, "loginUrl");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(captureKeyField, "captureKeyField");
        Objects.requireNonNull(timeout, "timeout");
        users = Map.copyOf(users);
        loginUrl = loginUrl.endsWith("/") ? loginUrl.substring(0, loginUrl.length() - 1) : loginUrl;
        if (budgetShare < 1 || budgetShare > 100) {
            throw new IllegalArgumentException("budgetShare must be a percentage from 1 to 100, got " + budgetShare);
        }
        if (requestsInFlight < 1) {
            throw new IllegalArgumentException("requestsInFlight must be at least 1, got " + requestsInFlight);
        }
    }

    /** The JWT bearer flow with the defaults. */
    public static SalesforceConfiguration jwt(String loginUrl, String clientId, String username, String privateKeyPem) {
        return new SalesforceConfiguration(loginUrl, clientId, new JwtBearer(username, privateKeyPem, loginUrl), DEFAULT_API_VERSION,
            DEFAULT_CAPTURE_KEY_FIELD, false, DEFAULT_BUDGET_SHARE, Map.of(), DEFAULT_REQUESTS_IN_FLIGHT, DEFAULT_TIMEOUT);
    }

    /** The client-credentials flow with the defaults. */
    public static SalesforceConfiguration clientCredentials(String loginUrl, String clientId, String clientSecret) {
        return new SalesforceConfiguration(loginUrl, clientId, new ClientCredentials(clientSecret), DEFAULT_API_VERSION,
            DEFAULT_CAPTURE_KEY_FIELD, false, DEFAULT_BUDGET_SHARE, Map.of(), DEFAULT_REQUESTS_IN_FLIGHT, DEFAULT_TIMEOUT);
    }

    /** The same connection with activities upserted by the External ID capture key field. */
    public SalesforceConfiguration withExternalId(boolean upsert) {
        return new SalesforceConfiguration(loginUrl, clientId, auth, apiVersion, captureKeyField, upsert, budgetShare, users,
            requestsInFlight, timeout);
    }

    /** The same connection with another budget share. */
    public SalesforceConfiguration withBudgetShare(int share) {
        return new SalesforceConfiguration(loginUrl, clientId, auth, apiVersion, captureKeyField, externalId, share, users,
            requestsInFlight, timeout);
    }

    /** The same connection with at most {@code requests} in flight. */
    public SalesforceConfiguration withRequestsInFlight(int requests) {
        return new SalesforceConfiguration(loginUrl, clientId, auth, apiVersion, captureKeyField, externalId, budgetShare, users,
            requests, timeout);
    }

    /** The same connection with configured users. */
    public SalesforceConfiguration withUsers(Map<EmailAddress, String> mapping) {
        return new SalesforceConfiguration(loginUrl, clientId, auth, apiVersion, captureKeyField, externalId, budgetShare, mapping,
            requestsInFlight, timeout);
    }

    /** The client secret or the private key. */
    @Override
    public Set<String> secrets() {
        Set<String> secrets = new LinkedHashSet<>();
        if (auth instanceof ClientCredentials credentials) {
            secrets.add(credentials.clientSecret());
        } else if (auth instanceof JwtBearer jwt) {
            secrets.add(jwt.privateKeyPem());
            secrets.addAll(PemKeys.secretLines(jwt.privateKeyPem()));
        }
        return Set.copyOf(secrets);
    }

    /** The run-as user's own description, never a secret. */
    @Override
    public String toString() {
        return "SalesforceConfiguration[loginUrl=" + loginUrl + ", clientId=" + clientId + ", auth=" + auth + ", apiVersion=" + apiVersion
            + ", captureKeyField=" + captureKeyField + ", externalId=" + externalId + ", budgetShare=" + budgetShare
            + ", users=" + users.size() + ", requestsInFlight=" + requestsInFlight + ", timeout=" + timeout + "]";
    }

    /** Where the token endpoint is. */
    String tokenUrl() {
        return loginUrl + "/services/oauth2/token";
    }
}

package org.jamescrm.bitrix24;

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
 * The Bitrix24 CRM, selected with {@code <connector>bitrix24</connector>} and configured by its own
 * element:
 * <pre>
 * &lt;bitrix24&gt;
 *   &lt;portal&gt;https://company.bitrix24.com&lt;/portal&gt;
 *   &lt;webhook user="1" code="${env:BITRIX24_WEBHOOK}"/&gt;   &lt;!-- or the URL Bitrix24 shows, whole: --&gt;
 *   &lt;webhook&gt;https://company.bitrix24.com/rest/1/abc123def/&lt;/webhook&gt;   &lt;!-- (then no portal needed) or --&gt;
 *   &lt;oauth clientId="local.abc" clientSecret="${env:B24_SECRET}" refreshToken="${env:B24_REFRESH}"/&gt;
 *   &lt;rate perSecond="2" burst="50"/&gt;                     &lt;!-- the plan's limits; Enterprise: 5 and 250 --&gt;
 *   &lt;timeout&gt;30 seconds&lt;/timeout&gt;
 * &lt;/bitrix24&gt;
 * </pre>
 */
public final class Bitrix24Provider implements CrmConnectorProvider {
    private static final String DEFAULT_TOKEN_ENDPOINT = "https://oauth.bitrix.info/oauth/token/";
    private static final String EXAMPLE_PORTAL = "https://company.bitrix24.com";
    /** Commands in one {@code batch} request (bitrix24-api §5). */
    private static final int BATCH = 50;

    @Override
    public String name() {
        return "bitrix24";
    }

    /** Leads (classic CRM mode; a simple-mode portal turns them into deals), no cases, batches of 50. */
    @Override
    public CrmCapabilities capabilities() {
        return new CrmCapabilities(true, false, BATCH);
    }

    @Override
    public ConnectorSettings settings(Optional<SettingsElement> element) {
        SettingsElement bitrix24 = element.orElseThrow(() -> SettingsProblem.missing("bitrix24",
            "the <bitrix24> element with the portal and a webhook or OAuth application (required by connector bitrix24)"));
        bitrix24.allowAttributes();
        String portal = null;
        String webhookPortal = null;
        Bitrix24Auth auth = null;
        double perSecond = 2;
        int burst = 50;
        Duration timeout = Duration.ofSeconds(30);
        for (SettingsElement child : bitrix24.children()) {
            switch (child.name()) {
                case "portal" -> portal = portal(child);
                case "webhook" -> {
                    if (child.hasText()) {
                        // the URL Bitrix24 shows for an inbound webhook, pasted whole
                        WebhookUrl pasted = WebhookUrl.parse(child);
                        webhookPortal = pasted.portal();
                        auth = authOnce(auth, child, new Bitrix24Auth.Webhook(pasted.userId(), pasted.code()));
                    } else {
                        child.allowAttributes("user", "code");
                        auth = authOnce(auth, child, new Bitrix24Auth.Webhook(
                            wholeNumber(child.attributeKey("user"), child.attribute("user").orElse(""), 1), child.secretAttribute("code")));
                    }
                }
                case "oauth" -> {
                    child.allowAttributes("clientId", "clientSecret", "refreshToken", "tokenEndpoint");
                    auth = authOnce(auth, child, new Bitrix24Auth.OAuth(child.requiredAttribute("clientId"),
                        child.secretAttribute("clientSecret"), child.secretAttribute("refreshToken"),
                        child.attribute("tokenEndpoint").map(value -> url(child.attributeKey("tokenEndpoint"), value, EXAMPLE_PORTAL))
                            .orElse(DEFAULT_TOKEN_ENDPOINT)));
                }
                case "rate" -> {
                    child.allowAttributes("perSecond", "burst");
                    perSecond = wholeNumber(child.attributeKey("perSecond"), child.attribute("perSecond").orElse(""), 1);
                    burst = wholeNumber(child.attributeKey("burst"), child.attribute("burst").orElse(""), 1);
                }
                case "timeout" -> timeout = Durations.parse(child.key(), child.text(), ChronoUnit.SECONDS, Duration.ofSeconds(1));
                default -> throw bitrix24.unknownChild(child, "portal", "webhook", "oauth", "rate", "timeout");
            }
        }
        if (portal != null && webhookPortal != null && !sameHost(portal, webhookPortal)) {
            throw new SettingsProblem("key 'bitrix24.webhook' names the portal " + WebhookUrl.host(webhookPortal) + " and key 'bitrix24.portal' "
                + WebhookUrl.host(portal) + "; allowed values: one portal (the webhook URL alone is enough)");
        }
        portal = portal != null ? portal : webhookPortal;
        if (portal == null) {
            throw SettingsProblem.missing("bitrix24.portal", "the portal's URL, e.g. " + EXAMPLE_PORTAL);
        }
        if (auth == null) {
            throw new SettingsProblem("key 'bitrix24.webhook' or 'bitrix24.oauth' is missing; allowed values: "
                + "<webhook user=\"1\" code=\"...\"/> or <oauth clientId=\"...\" clientSecret=\"...\" refreshToken=\"...\"/>");
        }
        return new Bitrix24Configuration(portal, auth, perSecond, burst, timeout, "james-crm-capture");
    }

    /** The portal's URL; a webhook path in it is refused without echoing the code it holds. */
    private static String portal(SettingsElement element) {
        String portal = url(element.key(), element.text(), EXAMPLE_PORTAL);
        if (portal.contains("/rest/")) {
            throw new SettingsProblem("key '" + element.key() + "' holds a webhook path (" + WebhookUrl.host(portal)
                + "/rest/…); allowed values: the portal's URL alone, e.g. " + EXAMPLE_PORTAL
                + ", and the webhook as <webhook user=\"…\" code=\"…\"/> or the whole webhook URL in <webhook>");
        }
        return portal;
    }

    private static boolean sameHost(String one, String other) {
        return WebhookUrl.host(one).equalsIgnoreCase(WebhookUrl.host(other));
    }

    private static Bitrix24Auth authOnce(Bitrix24Auth existing, SettingsElement element, Bitrix24Auth auth) {
        if (existing != null) {
            throw new SettingsProblem("key '" + element.key() + "' comes with another authentication; allowed: one of webhook, oauth");
        }
        return auth;
    }

    @Override
    public CrmConnector create(ConnectorSettings settings, ConnectorContext context) {
        Bitrix24Configuration configuration = (Bitrix24Configuration) settings;
        return new Bitrix24Connector(Bitrix24Client.create(configuration, context.store()), configuration.originatorId());
    }
}

package org.jamescrm.bitrix24;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jamescrm.spi.settings.SettingsElement;
import org.jamescrm.spi.settings.SettingsProblem;

/**
 * An inbound webhook's URL as Bitrix24 shows it, {@code https://company.bitrix24.com/rest/1/abc123def/},
 * pasted whole into {@code <webhook>} (or given as {@code ${env:NAME}}): the portal, the user and the
 * code. Its code is never echoed in an error.
 *
 * @param portal the portal's URL, scheme and host
 * @param userId the user who created the webhook
 * @param code   the webhook's secret code
 */
record WebhookUrl(String portal, int userId, String code) {
    private static final Pattern WEBHOOK = Pattern.compile("(https?://[^/\\s?#]+)/rest/(\\d{1,9})/([A-Za-z0-9]+)/?(?:[a-z.]+(?:\\.json)?)?");
    private static final Pattern HOST = Pattern.compile("^(?:https?://)?([^/\\s?#]+)");

    /** The webhook URL of {@code element}'s text, resolved from the environment when written as {@code ${env:NAME}}. */
    static WebhookUrl parse(SettingsElement element) {
        String url = element.secretText();
        Matcher webhook = WEBHOOK.matcher(url);
        if (!webhook.matches()) {
            throw new SettingsProblem("key '" + element.key() + "' is not a Bitrix24 webhook URL (" + host(url)
                + "…); allowed values: the URL Bitrix24 shows, https://<portal>/rest/<user id>/<code>/, "
                + "or the attributes user and code");
        }
        return new WebhookUrl(webhook.group(1), Integer.parseInt(webhook.group(2)), webhook.group(3));
    }

    /** The host of a URL, or the start of a value that is none: all an error may show of it. */
    static String host(String url) {
        Matcher host = HOST.matcher(url);
        String found = host.find() ? host.group(1) : "";
        return found.length() > 60 ? found.substring(0, 60) : found;
    }
}

package org.jamescrm.settings;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The capture settings of one mailbox (capture-rules §10): the global {@code <defaults>} of the
 * settings file, overridden key by key by a {@code <mailbox address="...">} element.
 *
 * @param integration              {@code <integration>on|off</integration>}: capture this mailbox's mail
 *                                 at all (off: reason INTEGRATION_DISABLED)
 * @param createLeadForIncoming    {@code <createLeadForIncoming>}: incoming mail from an unknown
 *                                 address creates a lead
 * @param createContactForOutgoing {@code <createContactForOutgoing>}: outgoing mail to an unknown
 *                                 address creates a contact
 * @param leadSource               {@code <leadSource>}: the source written on created leads
 * @param distribution             {@code <distribution>}: who is responsible for created items
 * @param body                     {@code <body>}: what part of the message the activity stores
 * @param attachmentLimitBytes     {@code <attachmentLimit>} (e.g. {@code 24MB}): larger attachments
 *                                 are listed by name and size only
 * @param skipAutomated            {@code <skipAutomated>}: auto-replies, bounces and list mail are
 *                                 not captured (reason AUTOMATED)
 */
public record MailboxSettings(
        boolean integration,
        boolean createLeadForIncoming,
        boolean createContactForOutgoing,
        String leadSource,
        DistributionRule distribution,
        BodyMode body,
        long attachmentLimitBytes,
        boolean skipAutomated) {

    /** The keys of a mailbox element, in the order the documentation lists them. */
    public static final List<String> KEYS = List.of("integration", "createLeadForIncoming", "createContactForOutgoing",
        "leadSource", "distribution", "body", "attachmentLimit", "skipAutomated");

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB)?", Pattern.CASE_INSENSITIVE);

    public MailboxSettings {
        Objects.requireNonNull(leadSource, "leadSource");
        Objects.requireNonNull(distribution, "distribution");
        Objects.requireNonNull(body, "body");
    }

    /** The settings used when the file says nothing: capture everything, create leads and contacts. */
    public static MailboxSettings defaults() {
        return new MailboxSettings(true, true, true, "EMAIL", DistributionRule.MAILBOX_OWNER, BodyMode.FULL,
            24L * 1024 * 1024, true);
    }

    /**
     * These settings with the values of {@code overrides} (key to text, as in the file) applied.
     *
     * @param prefix the element path of the keys, for error messages ({@code defaults} or {@code mailbox})
     */
    MailboxSettings with(String prefix, Map<String, String> overrides) {
        boolean integration = this.integration;
        boolean createLead = this.createLeadForIncoming;
        boolean createContact = this.createContactForOutgoing;
        String leadSource = this.leadSource;
        DistributionRule distribution = this.distribution;
        BodyMode body = this.body;
        long attachmentLimit = this.attachmentLimitBytes;
        boolean skipAutomated = this.skipAutomated;
        for (Map.Entry<String, String> entry : overrides.entrySet()) {
            String key = prefix + "." + entry.getKey();
            String value = entry.getValue();
            switch (entry.getKey()) {
                case "integration" -> integration = onOff(key, value);
                case "createLeadForIncoming" -> createLead = bool(key, value);
                case "createContactForOutgoing" -> createContact = bool(key, value);
                case "leadSource" -> leadSource = nonBlank(key, value);
                case "distribution" -> distribution = SettingValue.parse(DistributionRule.class, key, value);
                case "body" -> body = SettingValue.parse(BodyMode.class, key, value);
                case "attachmentLimit" -> attachmentLimit = size(key, value);
                case "skipAutomated" -> skipAutomated = bool(key, value);
                default -> throw new InvalidSettingsException.Problem(
                    "unknown key '" + key + "'; allowed keys: " + String.join(", ", KEYS));
            }
        }
        return new MailboxSettings(integration, createLead, createContact, leadSource, distribution, body,
            attachmentLimit, skipAutomated);
    }

    private static boolean onOff(String key, String value) {
        return switch (value) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new InvalidSettingsException.Problem("key '" + key + "' has value '" + value + "'; allowed values: on, off");
        };
    }

    private static boolean bool(String key, String value) {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidSettingsException.Problem("key '" + key + "' has value '" + value + "'; allowed values: true, false");
        };
    }

    private static String nonBlank(String key, String value) {
        if (value.isBlank()) {
            throw new InvalidSettingsException.Problem("key '" + key + "' is empty; allowed values: any non-empty text");
        }
        return value;
    }

    private static long size(String key, String value) {
        Matcher matcher = SIZE.matcher(value);
        if (!matcher.matches()) {
            throw new InvalidSettingsException.Problem("key '" + key + "' has value '" + value
                + "'; allowed values: a size such as 500KB, 24MB, 1GB or a number of bytes");
        }
        long number = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "B" : matcher.group(2).toUpperCase(Locale.ROOT);
        return switch (unit) {
            case "KB" -> number * 1024;
            case "MB" -> number * 1024 * 1024;
            case "GB" -> number * 1024 * 1024 * 1024;
            default -> number;
        };
    }
}

package org.jamescrm.settings;

import static org.jamescrm.spi.settings.SettingsValues.address;
import static org.jamescrm.spi.settings.SettingsValues.addresses;
import static org.jamescrm.spi.settings.SettingsValues.bool;
import static org.jamescrm.spi.settings.SettingsValues.nonBlank;
import static org.jamescrm.spi.settings.SettingsValues.onOff;
import static org.jamescrm.spi.settings.SettingsValues.size;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.spi.settings.SettingValue;
import org.jamescrm.spi.settings.SettingsProblem;

/**
 * The capture settings of one mailbox (capture-rules §10): the global {@code <defaults>} of the
 * settings file, overridden key by key by a {@code <mailbox address="...">} element.
 *
 * @param integration              {@code <integration>on|off</integration>}: capture this mailbox's mail
 *                                 at all (off: reason INTEGRATION_DISABLED; manual save still works)
 * @param excluded                 {@code <excluded>}: a private mailbox, never captured (MAILBOX_EXCLUDED)
 * @param createLeadForIncoming    {@code <createLeadForIncoming>}: incoming mail from an unknown
 *                                 address creates a lead
 * @param createContactForOutgoing {@code <createContactForOutgoing>}: outgoing mail to an unknown
 *                                 address creates a contact
 * @param leadSource               {@code <leadSource>}: the source written on created leads
 * @param repeatSale               {@code <repeatSale>}: what incoming mail from a known client without
 *                                 an active deal creates
 * @param leadless                 {@code <leadless>}: no leads at all; an unknown client writing in
 *                                 gets a contact and a deal
 * @param routeToAssignedManager   {@code <routeToAssignedManager>}: keep a client's responsible when
 *                                 that person is in the queue, else create a new lead for the queue
 * @param distribution             {@code <distribution>}: who is responsible for created items
 * @param responsible              {@code <responsible>}: the employee of the {@code direct} rule
 * @param queue                    {@code <queue>}: the employees of the round-robin and least-busy rules,
 *                                 and of {@code routeToAssignedManager}
 * @param body                     {@code <body>}: what part of the message the activity stores
 * @param attachmentLimitBytes     {@code <attachmentLimit>} (e.g. {@code 24MB}): larger attachments
 *                                 are listed by name and size only
 * @param skipAutomated            {@code <skipAutomated>}: auto-replies, bounces and list mail are
 *                                 not captured (reason AUTOMATED)
 * @param filters                  {@code <filter>}: the mailbox's own filters (reason FILTERED:name)
 * @param group                    for a group mailbox ({@code <group>}, or {@code <mailbox group="true">}): a shared
 *                                 team mailbox without owner, and what it adds; empty for a personal mailbox
 */
public record MailboxSettings(
        boolean integration,
        boolean excluded,
        boolean createLeadForIncoming,
        boolean createContactForOutgoing,
        String leadSource,
        RepeatSaleMode repeatSale,
        boolean leadless,
        boolean routeToAssignedManager,
        DistributionRule distribution,
        Optional<EmailAddress> responsible,
        List<EmailAddress> queue,
        BodyMode body,
        long attachmentLimitBytes,
        boolean skipAutomated,
        List<MailFilter> filters,
        Optional<GroupSettings> group) {

    /** The keys of a mailbox element, in the order the documentation lists them. */
    public static final List<String> KEYS = List.of("integration", "excluded", "createLeadForIncoming", "createContactForOutgoing",
        "leadSource", "repeatSale", "leadless", "routeToAssignedManager", "distribution", "responsible", "queue", "body",
        "attachmentLimit", "skipAutomated", "filter");

    public MailboxSettings {
        Objects.requireNonNull(leadSource, "leadSource");
        Objects.requireNonNull(repeatSale, "repeatSale");
        Objects.requireNonNull(distribution, "distribution");
        Objects.requireNonNull(responsible, "responsible");
        queue = List.copyOf(queue);
        Objects.requireNonNull(body, "body");
        filters = List.copyOf(filters);
        Objects.requireNonNull(group, "group");
    }

    /** Whether this is a group mailbox. */
    public boolean isGroup() {
        return group.isPresent();
    }

    /**
     * These settings for a manual save (capture-rules §7): the employee asked for it, so integration
     * off, an excluded mailbox and the creation switches do not stop it.
     */
    public MailboxSettings forManualSave() {
        return new MailboxSettings(true, false, true, true, leadSource, repeatSale, leadless, routeToAssignedManager,
            distribution, responsible, queue, body, attachmentLimitBytes, skipAutomated, filters, group);
    }

    /** The settings used when the file says nothing: capture everything, create leads and contacts. */
    public static MailboxSettings defaults() {
        return new MailboxSettings(true, false, true, true, "EMAIL", RepeatSaleMode.OFF, false, false,
            DistributionRule.MAILBOX_OWNER, Optional.empty(), List.of(), BodyMode.FULL, 24L * 1024 * 1024, true, List.of(), Optional.empty());
    }

    /** These settings in leadless mode: the defaults of a CRM without leads. */
    public MailboxSettings leadlessByDefault() {
        return new MailboxSettings(integration, excluded, createLeadForIncoming, createContactForOutgoing, leadSource, repeatSale, true,
            routeToAssignedManager, distribution, responsible, queue, body, attachmentLimitBytes, skipAutomated, filters, group);
    }

    /**
     * These settings with the values of {@code overrides} (key to text, as in the file) applied; the
     * filters of the element are added to these.
     *
     * @param prefix the element path of the keys, for error messages ({@code defaults} or {@code mailbox})
     */
    MailboxSettings with(String prefix, Map<String, String> overrides, List<MailFilter> ownFilters, Optional<GroupSettings> groupMailbox) {
        Builder builder = new Builder(this);
        for (Map.Entry<String, String> entry : overrides.entrySet()) {
            builder.set(prefix + "." + entry.getKey(), entry.getKey(), entry.getValue());
        }
        List<MailFilter> allFilters = new ArrayList<>(filters);
        allFilters.addAll(ownFilters);
        builder.filters = allFilters;
        builder.group = groupMailbox;
        MailboxSettings settings = builder.build();
        settings.validate(prefix);
        return settings;
    }

    private void validate(String prefix) {
        if (distribution == DistributionRule.DIRECT && responsible.isEmpty()) {
            throw new SettingsProblem("key '" + prefix + ".responsible' is missing; allowed values: the e-mail "
                + "address of the employee who gets every item (required by distribution direct)");
        }
        if ((distribution.usesQueue() || routeToAssignedManager) && queue.isEmpty()) {
            throw new SettingsProblem("key '" + prefix + ".queue' is missing; allowed values: employees' "
                + "e-mail addresses, comma separated (required by distribution " + distribution.word()
                + (routeToAssignedManager ? " and routeToAssignedManager" : "") + ")");
        }
        if (group.isPresent() && distribution == DistributionRule.MAILBOX_OWNER) {
            throw new SettingsProblem("key '" + prefix + ".distribution' is mailbox-owner for a group mailbox, "
                + "which has no owner; allowed values: direct, round-robin, least-busy");
        }
    }

    /** The settings being built from the file. */
    private static final class Builder {
        private boolean integration;
        private boolean excluded;
        private boolean createLead;
        private boolean createContact;
        private String leadSource;
        private RepeatSaleMode repeatSale;
        private boolean leadless;
        private boolean routeToAssignedManager;
        private DistributionRule distribution;
        private Optional<EmailAddress> responsible;
        private List<EmailAddress> queue;
        private BodyMode body;
        private long attachmentLimit;
        private boolean skipAutomated;
        private List<MailFilter> filters;
        private Optional<GroupSettings> group;

        Builder(MailboxSettings from) {
            integration = from.integration;
            excluded = from.excluded;
            createLead = from.createLeadForIncoming;
            createContact = from.createContactForOutgoing;
            leadSource = from.leadSource;
            repeatSale = from.repeatSale;
            leadless = from.leadless;
            routeToAssignedManager = from.routeToAssignedManager;
            distribution = from.distribution;
            responsible = from.responsible;
            queue = from.queue;
            body = from.body;
            attachmentLimit = from.attachmentLimitBytes;
            skipAutomated = from.skipAutomated;
            filters = from.filters;
            group = from.group;
        }

        void set(String key, String name, String value) {
            switch (name) {
                case "integration" -> integration = onOff(key, value);
                case "excluded" -> excluded = bool(key, value);
                case "createLeadForIncoming" -> createLead = bool(key, value);
                case "createContactForOutgoing" -> createContact = bool(key, value);
                case "leadSource" -> leadSource = nonBlank(key, value);
                case "repeatSale" -> repeatSale = SettingValue.parse(RepeatSaleMode.class, key, value);
                case "leadless" -> leadless = bool(key, value);
                case "routeToAssignedManager" -> routeToAssignedManager = bool(key, value);
                case "distribution" -> distribution = SettingValue.parse(DistributionRule.class, key, value);
                case "responsible" -> responsible = Optional.of(address(key, value));
                case "queue" -> queue = addresses(key, value);
                case "body" -> body = SettingValue.parse(BodyMode.class, key, value);
                case "attachmentLimit" -> attachmentLimit = size(key, value);
                case "skipAutomated" -> skipAutomated = bool(key, value);
                default -> throw SettingsProblem.unknownKey(key, String.join(", ", key.startsWith("group.")
                    ? java.util.stream.Stream.concat(KEYS.stream(), GroupSettings.KEYS.stream()).toList() : KEYS));
            }
        }

        MailboxSettings build() {
            return new MailboxSettings(integration, excluded, createLead, createContact, leadSource, repeatSale, leadless,
                routeToAssignedManager, distribution, responsible, queue, body, attachmentLimit, skipAutomated, filters, group);
        }
    }
}

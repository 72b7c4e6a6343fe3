package org.jamescrm.settings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.jamescrm.model.EmailAddress;

/**
 * The settings a mailbox's mail is captured with, defaults and its own element merged, as a view for
 * administrators (WebAdmin {@code GET /crm/settings}). Values are written as in {@code crm-capture.xml}.
 * Holds no secret: the CRM's own settings are shown by name only.
 */
public final class EffectiveSettings {

    private EffectiveSettings() {
    }

    /**
     * The view of {@code mailbox}'s settings: {@code source} says whether its own {@code <mailbox>}
     * element applies or the {@code <defaults>}, {@code differsFromDefaults} lists the keys whose
     * value is not the defaults', and {@code global} holds the settings of every mailbox.
     */
    public static Map<String, Object> of(CaptureSettings settings, EmailAddress mailbox) {
        MailboxSettings effective = settings.forMailbox(mailbox);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("mailbox", mailbox.value());
        view.put("source", settings.mailboxes().containsKey(mailbox) ? "mailbox" : "defaults");
        view.put("group", effective.isGroup());
        view.put("settings", mailboxView(effective));
        effective.group().ifPresent(group -> view.put("groupSettings", groupView(group)));
        Map<String, Object> defaults = mailboxView(settings.defaults());
        Map<String, Object> own = mailboxView(effective);
        view.put("differsFromDefaults", own.keySet().stream().filter(key -> !own.get(key).equals(defaults.get(key))).toList());
        view.put("global", global(settings));
        return view;
    }

    /** The view of the defaults and of the mailboxes that have their own element. */
    public static Map<String, Object> overview(CaptureSettings settings) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("defaults", mailboxView(settings.defaults()));
        view.put("mailboxes", new TreeSet<>(settings.mailboxes().keySet().stream().map(EmailAddress::value).toList()));
        view.put("global", global(settings));
        return view;
    }

    /** The keys of {@code <defaults>} and {@code <mailbox>}, as written in the file. */
    static Map<String, Object> mailboxView(MailboxSettings settings) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("integration", settings.integration() ? "on" : "off");
        view.put("excluded", settings.excluded());
        view.put("createLeadForIncoming", settings.createLeadForIncoming());
        view.put("createContactForOutgoing", settings.createContactForOutgoing());
        view.put("leadSource", settings.leadSource());
        view.put("repeatSale", settings.repeatSale().word());
        view.put("leadless", settings.leadless());
        view.put("routeToAssignedManager", settings.routeToAssignedManager());
        view.put("distribution", settings.distribution().word());
        view.put("responsible", settings.responsible().map(EmailAddress::value).orElse(""));
        view.put("queue", settings.queue().stream().map(EmailAddress::value).toList());
        view.put("body", settings.body().word());
        view.put("attachmentLimitBytes", settings.attachmentLimitBytes());
        view.put("skipAutomated", settings.skipAutomated());
        view.put("filters", filters(settings.filters()));
        return view;
    }

    /** The keys a {@code <group>} adds, as written in the file. */
    static Map<String, Object> groupView(GroupSettings group) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("newThread", group.newThread().word());
        view.put("teams", group.teams());
        group.acknowledgement().ifPresent(ack -> {
            Map<String, Object> acknowledgement = new LinkedHashMap<>();
            acknowledgement.put("subject", ack.subject());
            acknowledgement.put("body", ack.body());
            acknowledgement.put("from", ack.from().map(EmailAddress::value).orElse(""));
            acknowledgement.put("perSender", ack.perSender());
            acknowledgement.put("window", ack.window().toString());
            view.put("acknowledgement", acknowledgement);
        });
        view.put("replyTo", group.replyTo());
        view.put("threadToken", group.threadToken());
        return view;
    }

    private static Map<String, Object> global(CaptureSettings settings) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("connector", settings.connector().name());
        view.put("internal", addresses(settings.internal()));
        view.put("neverLog", addresses(settings.neverLog()));
        view.put("filters", filters(settings.filters()));
        view.put("flood", Map.of("captures", settings.flood().captures(), "window", settings.flood().window().toString()));
        view.put("captureAddress", settings.captureAddress().map(EmailAddress::value).orElse(""));
        view.put("trustedNetworks", settings.trustedNetworks().ranges().stream()
            .map(range -> range.network().getHostAddress() + "/" + range.bits()).toList());
        return view;
    }

    private static Map<String, Object> addresses(AddressList list) {
        return Map.of("domains", new TreeSet<>(list.domains()), "addresses",
            new TreeSet<>(list.addresses().stream().map(EmailAddress::value).toList()));
    }

    private static List<Map<String, String>> filters(List<MailFilter> filters) {
        return filters.stream().map(filter -> Map.of("name", filter.name(), "field", filter.field(), "pattern", filter.pattern().pattern()))
            .toList();
    }
}

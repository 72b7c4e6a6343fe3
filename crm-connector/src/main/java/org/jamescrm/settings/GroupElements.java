package org.jamescrm.settings;

import static org.jamescrm.spi.settings.SettingsValues.address;
import static org.jamescrm.spi.settings.SettingsValues.bool;
import static org.jamescrm.spi.settings.SettingsValues.wholeNumber;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.spi.settings.Durations;
import org.jamescrm.spi.settings.SettingValue;
import org.jamescrm.spi.settings.SettingsElement;
import org.jamescrm.spi.settings.SettingsProblem;

/**
 * Reads the keys a {@code <group>} element adds to those of a mailbox ({@link GroupSettings#KEYS}) and
 * checks them against what the CRM can hold: cases for {@code newThread case}, teams for {@code teams}.
 */
final class GroupElements {
    private final ConnectorChoice connector;

    GroupElements(ConnectorChoice connector) {
        this.connector = connector;
    }

    /** Whether {@code child} of a group element is one of the group's own keys rather than a mailbox key. */
    static boolean isGroupKey(SettingsElement child) {
        return GroupSettings.KEYS.contains(child.name());
    }

    /** The group settings of the group's own keys among {@code children}. */
    GroupSettings read(List<SettingsElement> children) {
        NewThreadMode newThread = NewThreadMode.DEFAULTS;
        List<String> teams = List.of();
        Optional<Acknowledgement> acknowledgement = Optional.empty();
        boolean replyTo = false;
        boolean threadToken = false;
        Set<String> seen = new LinkedHashSet<>();
        for (SettingsElement child : children) {
            if (!seen.add(child.name())) {
                throw new SettingsProblem("key '" + child.key() + "' is given twice; allowed: once");
            }
            switch (child.name()) {
                case "newThread" -> newThread = SettingValue.parse(NewThreadMode.class, child.key(), child.text());
                case "teams" -> teams = teams(child);
                case "acknowledgement" -> acknowledgement = Optional.of(acknowledgement(child));
                case "replyTo" -> replyTo = bool(child.key(), child.text());
                case "threadToken" -> threadToken = bool(child.key(), child.text());
                default -> throw new IllegalStateException("not a group key: " + child.name());
            }
        }
        GroupSettings group = new GroupSettings(newThread, teams, acknowledgement, replyTo, threadToken);
        check(group, "group");
        return group;
    }

    private void check(GroupSettings group, String prefix) {
        if (group.opensCases() && !connector.capabilities().cases()) {
            throw new SettingsProblem("key '" + prefix + ".newThread' has value 'case', which needs cases, and the CRM '"
                + connector.name() + "' has none; allowed values: defaults, lead");
        }
        if (!group.teams().isEmpty() && !connector.capabilities().teams()) {
            throw new SettingsProblem("key '" + prefix + ".teams' names teams, and the CRM '" + connector.name()
                + "' does not assign records to teams; allowed: leave it out");
        }
        if (group.acknowledgement().isPresent() && !group.opensCases()) {
            throw new SettingsProblem("key '" + prefix + ".acknowledgement' acknowledges new cases, and newThread is '"
                + group.newThread().word() + "'; allowed: newThread case, or no acknowledgement");
        }
        if ((group.replyTo() || group.threadToken()) && !group.opensCases()) {
            throw new SettingsProblem("key '" + prefix + "." + (group.replyTo() ? "replyTo" : "threadToken")
                + "' applies to answers to case threads, and newThread is '" + group.newThread().word()
                + "'; allowed: newThread case, or false");
        }
    }

    private static List<String> teams(SettingsElement element) {
        List<String> teams = Arrays.stream(element.text().split(",")).map(String::strip).filter(team -> !team.isEmpty()).toList();
        if (teams.isEmpty()) {
            throw new SettingsProblem("key '" + element.key() + "' is empty; allowed values: CRM team names or ids, comma separated");
        }
        return teams;
    }

    private static Acknowledgement acknowledgement(SettingsElement element) {
        element.allowAttributes();
        String subject = Acknowledgement.DEFAULT_SUBJECT;
        String body = Acknowledgement.DEFAULT_BODY;
        Optional<EmailAddress> from = Optional.empty();
        int perSender = Acknowledgement.DEFAULT_PER_SENDER;
        Duration window = Acknowledgement.DEFAULT_WINDOW;
        Set<String> seen = new LinkedHashSet<>();
        for (SettingsElement child : element.children()) {
            if (!seen.add(child.name())) {
                throw new SettingsProblem("key '" + child.key() + "' is given twice; allowed: once");
            }
            switch (child.name()) {
                case "subject" -> subject = template(child, false);
                case "body" -> body = template(child, true);
                case "from" -> from = Optional.of(address(child.key(), child.text()));
                case "perSender" -> perSender = wholeNumber(child.key(), child.text(), 1);
                case "window" -> window = Durations.parse(child.key(), child.text(), ChronoUnit.SECONDS, Duration.ofMinutes(1));
                default -> throw element.unknownChild(child, "subject", "body", "from", "perSender", "window");
            }
        }
        return new Acknowledgement(subject, body, from, perSender, window);
    }

    private static String template(SettingsElement element, boolean multiline) {
        String text = element.text();
        if (text.isEmpty()) {
            throw new SettingsProblem("key '" + element.key() + "' is empty; allowed values: a text with the placeholders "
                + "{subject} and {caseNumber}");
        }
        if (!multiline && (text.contains("\n") || text.contains("\r"))) {
            throw new SettingsProblem("key '" + element.key() + "' spans several lines; allowed values: one line (a subject)");
        }
        String unknown = text.replace("{subject}", "").replace("{caseNumber}", "");
        if (unknown.matches("(?s).*\\{[A-Za-z]+}.*")) {
            throw new SettingsProblem("key '" + element.key() + "' has an unknown placeholder in '" + text
                + "'; allowed placeholders: {subject}, {caseNumber}");
        }
        return text;
    }
}

package org.jamescrm.settings;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a group mailbox ({@code <group address="support@...">}, capture-rules §8) adds to the settings of a
 * mailbox: what a new thread creates, the teams of its items, the acknowledgement, and what answers to
 * its threads carry.
 *
 * @param newThread       {@code <newThread>}: what the first client mail of a new thread creates (default
 *                        {@code defaults})
 * @param teams           {@code <teams>}: the CRM teams the created items and activities are assigned to,
 *                        comma separated (default none); needs a CRM with teams
 * @param acknowledgement {@code <acknowledgement>}: the acknowledgement of each new case (default none)
 * @param replyTo         {@code <replyTo>}: an employee's answer to a case thread of this group leaves with
 *                        the group address in {@code Reply-To} (default false)
 * @param threadToken     {@code <threadToken>}: an employee's answer to a case thread gets the case token
 *                        {@code [#<number>]} in its subject when missing, for clients whose mail programs drop
 *                        {@code References} (capture-rules §4.1; default false, since it changes subjects)
 */
public record GroupSettings(NewThreadMode newThread, List<String> teams, Optional<Acknowledgement> acknowledgement,
                            boolean replyTo, boolean threadToken) {

    /** The keys of a group element beyond those of a mailbox, in the order the documentation lists them. */
    public static final List<String> KEYS = List.of("newThread", "teams", "acknowledgement", "replyTo", "threadToken");

    public GroupSettings {
        Objects.requireNonNull(newThread, "newThread");
        teams = List.copyOf(teams);
        Objects.requireNonNull(acknowledgement, "acknowledgement");
    }

    /** A group mailbox that only shares its mail: the mailbox's rules, no teams, no acknowledgement. */
    public static GroupSettings plain() {
        return new GroupSettings(NewThreadMode.DEFAULTS, List.of(), Optional.empty(), false, false);
    }

    /** Whether new threads open cases. */
    public boolean opensCases() {
        return newThread == NewThreadMode.CASE;
    }
}

package org.jamescrm.settings;

import org.jamescrm.spi.settings.SettingValue;

/** Who becomes responsible for a CRM item that a captured mail creates ({@code <distribution>}, §5). */
public enum DistributionRule implements SettingValue {
    /**
     * The employee whose mailbox the mail passed through: the local recipient of incoming mail, the
     * sender of outgoing mail. Not for group mailboxes, which have no owner.
     */
    MAILBOX_OWNER("mailbox-owner"),
    /** Always the employee named by {@code <responsible>}. */
    DIRECT("direct"),
    /** The members of {@code <queue>} in turn; the position survives restarts. */
    ROUND_ROBIN("round-robin"),
    /** The member of {@code <queue>} with the fewest open items (open leads and deals in progress). */
    LEAST_BUSY("least-busy");

    private final String word;

    DistributionRule(String word) {
        this.word = word;
    }

    @Override
    public String word() {
        return word;
    }

    /** Whether the rule picks from the {@code <queue>}. */
    public boolean usesQueue() {
        return this == ROUND_ROBIN || this == LEAST_BUSY;
    }
}

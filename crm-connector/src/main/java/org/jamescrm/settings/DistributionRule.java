package org.jamescrm.settings;

/** Who becomes responsible for a CRM item that a captured mail creates ({@code <distribution>}). */
public enum DistributionRule implements SettingValue {
    /**
     * The employee whose mailbox the mail passed through: the local recipient of incoming mail, the
     * sender of outgoing mail.
     */
    MAILBOX_OWNER("mailbox-owner");

    private final String word;

    DistributionRule(String word) {
        this.word = word;
    }

    @Override
    public String word() {
        return word;
    }
}

package org.jamescrm.settings;

import org.jamescrm.spi.settings.SettingValue;

/**
 * What the first client mail of a new thread to a group mailbox creates ({@code <newThread>},
 * capture-rules §8).
 */
public enum NewThreadMode implements SettingValue {
    /** The mailbox's rules of capture-rules §4, as for a personal mailbox. */
    DEFAULTS("defaults"),
    /** A case (e-mail-to-case), bound to the client's contact/company or lead; needs a CRM with cases. */
    CASE("case"),
    /** A new lead for every new thread, bound to the client's contact and company when known. */
    LEAD("lead");

    private final String word;

    NewThreadMode(String word) {
        this.word = word;
    }

    @Override
    public String word() {
        return word;
    }
}

package org.jamescrm.settings;

import org.jamescrm.spi.settings.SettingValue;

/**
 * What incoming mail from a known client without an active deal creates ({@code <repeatSale>},
 * capture-rules §4.3).
 */
public enum RepeatSaleMode implements SettingValue {
    /** Classic lead mode: attach to the client's contact/company and most recent lead, even a closed one. */
    OFF("off"),
    /** A repeat lead marked as a returning customer, even when lead creation from mail is off. */
    LEAD("lead"),
    /** A repeat deal for the client's contact/company. */
    DEAL("deal");

    private final String word;

    RepeatSaleMode(String word) {
        this.word = word;
    }

    @Override
    public String word() {
        return word;
    }
}

package org.jamescrm.settings;

import org.jamescrm.spi.settings.SettingValue;

/** What part of a message the CRM e-mail activity stores ({@code <body>}). */
public enum BodyMode implements SettingValue {
    /** Text and sanitized HTML body, and attachments up to the size limit. */
    FULL("full"),
    /** The plain text body only; attachments are listed by name and size. */
    TEXT("text"),
    /** Sender, recipients, subject and times; no body and no attachment. */
    HEADERS("headers");

    private final String word;

    BodyMode(String word) {
        this.word = word;
    }

    @Override
    public String word() {
        return word;
    }
}

package org.jamescrm.settings;

/** The CRM that receives captured mail ({@code <connector>}). */
public enum ConnectorType implements SettingValue {
    /** The embedded in-memory CRM: no external system, contents on WebAdmin {@code /crm/memory}. */
    MEMORY("memory");

    private final String word;

    ConnectorType(String word) {
        this.word = word;
    }

    @Override
    public String word() {
        return word;
    }
}

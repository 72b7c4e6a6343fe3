package org.jamescrm.settings;

/** The CRM that receives captured mail ({@code <connector>}). */
public enum ConnectorType implements SettingValue {
    /** The embedded in-memory CRM: no external system, contents on WebAdmin {@code /crm/memory}. */
    MEMORY("memory"),
    /** A Bitrix24 portal, configured by {@code <bitrix24>}. */
    BITRIX24("bitrix24");

    private final String word;

    ConnectorType(String word) {
        this.word = word;
    }

    @Override
    public String word() {
        return word;
    }
}

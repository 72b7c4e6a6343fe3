package org.jamescrm.spi.settings;

/**
 * One problem in the settings document, naming the key and what is allowed, e.g.
 * {@code key 'bitrix24.rate@burst' has value '0'; allowed values: a whole number of at least 1}. The
 * settings parser adds the file's name; connector providers throw it from their own settings element.
 * The message never holds a secret's value.
 */
public final class SettingsProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message the key and what is allowed */
    public SettingsProblem(String message) {
        super(message);
    }

    /** {@code key 'KEY' has value 'VALUE'; allowed values: ALLOWED}. */
    public static SettingsProblem badValue(String key, String value, String allowed) {
        return new SettingsProblem("key '" + key + "' has value '" + value + "'; allowed values: " + allowed);
    }

    /** {@code key 'KEY' is missing; allowed values: ALLOWED}. */
    public static SettingsProblem missing(String key, String allowed) {
        return new SettingsProblem("key '" + key + "' is missing; allowed values: " + allowed);
    }

    /** {@code unknown key 'KEY'; allowed keys: ALLOWED}. */
    public static SettingsProblem unknownKey(String key, String allowed) {
        return new SettingsProblem("unknown key '" + key + "'; allowed keys: " + allowed);
    }
}

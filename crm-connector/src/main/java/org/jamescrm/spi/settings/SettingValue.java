package org.jamescrm.spi.settings;

/**
 * A setting whose value is one of a fixed set of words, as written in the settings file.
 * Implemented by the enums of the settings so that errors can list the allowed values.
 */
public interface SettingValue {

    /** The word that stands for this value in the settings file. */
    String word();

    /** The enum constant whose word is {@code word}, or an error listing the allowed words. */
    static <E extends Enum<E> & SettingValue> E parse(Class<E> type, String key, String word) {
        for (E value : type.getEnumConstants()) {
            if (value.word().equals(word)) {
                return value;
            }
        }
        throw new SettingsProblem("key '" + key + "' has value '" + word + "'; allowed values: " + words(type));
    }

    /** The allowed words of {@code type}, comma separated, in declaration order. */
    static <E extends Enum<E> & SettingValue> String words(Class<E> type) {
        return String.join(", ", java.util.Arrays.stream(type.getEnumConstants()).map(SettingValue::word).toList());
    }
}

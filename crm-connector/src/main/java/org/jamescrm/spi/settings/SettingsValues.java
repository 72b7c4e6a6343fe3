package org.jamescrm.spi.settings;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jamescrm.model.EmailAddress;

/**
 * The value parsers of the settings file, shared by the core's settings and every connector's own
 * element, so that a number, an address or a URL is written and refused the same way everywhere.
 * Each names the key and the allowed values in its {@link SettingsProblem}.
 */
public final class SettingsValues {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+");
    private static final Pattern URL = Pattern.compile("https?://[^/\\s]+(/\\S*)?");
    private static final long GIGABYTE = 1024L * 1024 * 1024;

    private SettingsValues() {
    }

    /** A whole number of at least {@code minimum}. */
    public static int wholeNumber(String key, String value, int minimum) {
        try {
            int number = Integer.parseInt(value.strip());
            if (number >= minimum) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw SettingsProblem.badValue(key, value, "a whole number of at least " + minimum);
    }

    /** {@code true} or {@code false}. */
    public static boolean bool(String key, String value) {
        return switch (value.strip()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw SettingsProblem.badValue(key, value, "true, false");
        };
    }

    /** {@code on} or {@code off}. */
    public static boolean onOff(String key, String value) {
        return switch (value.strip()) {
            case "on" -> true;
            case "off" -> false;
            default -> throw SettingsProblem.badValue(key, value, "on, off");
        };
    }

    /** Any text but an empty one, stripped. */
    public static String nonBlank(String key, String value) {
        if (value.isBlank()) {
            throw new SettingsProblem("key '" + key + "' is empty; allowed values: any non-empty text");
        }
        return value.strip();
    }

    /** An e-mail address. */
    public static EmailAddress address(String key, String value) {
        try {
            return EmailAddress.of(value.strip());
        } catch (IllegalArgumentException e) {
            throw SettingsProblem.badValue(key, value, "an e-mail address");
        }
    }

    /** E-mail addresses, comma separated, at least one; repeats dropped. */
    public static List<EmailAddress> addresses(String key, String value) {
        List<EmailAddress> addresses = Arrays.stream(value.split(",")).map(String::strip).filter(part -> !part.isEmpty())
            .map(part -> address(key, part)).distinct().toList();
        if (addresses.isEmpty()) {
            throw new SettingsProblem("key '" + key + "' is empty; allowed values: e-mail addresses, comma separated");
        }
        return addresses;
    }

    /** A domain name, lower-cased. */
    public static String domain(String key, String value) {
        String domain = value.strip().toLowerCase(Locale.ROOT);
        if (!DOMAIN.matcher(domain).matches()) {
            throw SettingsProblem.badValue(key, value, "a domain name");
        }
        return domain;
    }

    /**
     * An http or https URL. The value is echoed in the error only up to its host: a pasted URL may
     * carry a webhook code or token in its path or query.
     *
     * @param example an example URL for the error message
     */
    public static String url(String key, String value, String example) {
        String url = value.strip();
        if (!URL.matcher(url).matches()) {
            throw SettingsProblem.badValue(key, upToHost(url), "an http or https URL, e.g. " + example);
        }
        return url;
    }

    /** A size such as {@code 500KB}, {@code 24MB}, {@code 1GB} or a number of bytes. */
    public static long size(String key, String value) {
        String allowed = "a size such as 500KB, 24MB, 1GB or a number of bytes";
        Matcher matcher = SIZE.matcher(value.strip());
        if (!matcher.matches()) {
            throw SettingsProblem.badValue(key, value, allowed);
        }
        String unit = matcher.group(2) == null ? "B" : matcher.group(2).toUpperCase(Locale.ROOT);
        long bytesPerUnit = switch (unit) {
            case "KB" -> 1024L;
            case "MB" -> 1024L * 1024;
            case "GB" -> GIGABYTE;
            default -> 1L;
        };
        try {
            // exact: a wrapped product would be a negative limit
            return Math.multiplyExact(Long.parseLong(matcher.group(1)), bytesPerUnit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw SettingsProblem.badValue(key, value, allowed + ", at most " + Long.MAX_VALUE / GIGABYTE + "GB");
        }
    }

    /** {@code value} cut after its scheme and host, with a marker when something was cut. */
    static String upToHost(String value) {
        Matcher host = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://[^/?#\\s]*)").matcher(value);
        if (host.find() && host.end() < value.length()) {
            return host.group(1) + "/…";
        }
        return value.length() > 40 ? value.substring(0, 12) + "…" : value;
    }
}

package org.jamescrm.spi.settings;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration grammar of the product, in the settings file and in the mailets' parameters
 * alike: James's own ({@code DurationParser}), so an administrator writes durations the same way
 * everywhere in James's configuration. A whole number followed by a unit: {@code ms}, {@code msec(s)},
 * {@code s}, {@code sec(s)}, {@code second(s)}, {@code m}, {@code min(s)}, {@code minute(s)}, {@code h},
 * {@code hour(s)}, {@code d}, {@code day(s)}, {@code w}, {@code week(s)}, {@code month(s)}, {@code y},
 * {@code year(s)}, case-insensitive, spaces allowed; a bare number is in the default unit of the key.
 */
public final class Durations {
    /** What errors say is allowed. */
    public static final String ALLOWED = "a duration such as 500 ms, 3 seconds, 30 minutes, 2 hours, 1 day";

    private static final Pattern DURATION = Pattern.compile("\\s*(\\d+)\\s*([a-zA-Z]*)\\s*");
    private static final Map<String, ChronoUnit> UNITS = Map.ofEntries(
        Map.entry("ms", ChronoUnit.MILLIS), Map.entry("msec", ChronoUnit.MILLIS), Map.entry("msecs", ChronoUnit.MILLIS),
        Map.entry("s", ChronoUnit.SECONDS), Map.entry("sec", ChronoUnit.SECONDS), Map.entry("secs", ChronoUnit.SECONDS),
        Map.entry("second", ChronoUnit.SECONDS), Map.entry("seconds", ChronoUnit.SECONDS),
        Map.entry("m", ChronoUnit.MINUTES), Map.entry("min", ChronoUnit.MINUTES), Map.entry("mins", ChronoUnit.MINUTES),
        Map.entry("minute", ChronoUnit.MINUTES), Map.entry("minutes", ChronoUnit.MINUTES),
        Map.entry("h", ChronoUnit.HOURS), Map.entry("hour", ChronoUnit.HOURS), Map.entry("hours", ChronoUnit.HOURS),
        Map.entry("d", ChronoUnit.DAYS), Map.entry("day", ChronoUnit.DAYS), Map.entry("days", ChronoUnit.DAYS),
        Map.entry("w", ChronoUnit.WEEKS), Map.entry("week", ChronoUnit.WEEKS), Map.entry("weeks", ChronoUnit.WEEKS),
        Map.entry("month", ChronoUnit.MONTHS), Map.entry("months", ChronoUnit.MONTHS),
        Map.entry("y", ChronoUnit.YEARS), Map.entry("year", ChronoUnit.YEARS), Map.entry("years", ChronoUnit.YEARS));

    private Durations() {
    }

    /**
     * The duration {@code value} of the key {@code key}.
     *
     * @param defaultUnit the unit of a bare number
     * @param minimum     the shortest duration allowed
     * @throws SettingsProblem naming the key and the grammar when {@code value} is not a duration of at least {@code minimum}
     */
    public static Duration parse(String key, String value, ChronoUnit defaultUnit, Duration minimum) {
        Matcher matcher = DURATION.matcher(value);
        if (matcher.matches()) {
            String unitWord = matcher.group(2).toLowerCase(Locale.ROOT);
            ChronoUnit unit = unitWord.isEmpty() ? defaultUnit : UNITS.get(unitWord);
            if (unit != null) {
                try {
                    // months and years have no exact Duration: James counts them as their estimated length
                    Duration duration = unit.getDuration().multipliedBy(Long.parseLong(matcher.group(1)));
                    if (duration.compareTo(minimum) >= 0) {
                        return duration;
                    }
                } catch (NumberFormatException | ArithmeticException e) {
                    // more than a long or a Duration holds: answered below
                }
            }
        }
        throw SettingsProblem.badValue(key, value, ALLOWED + (minimum.compareTo(Duration.ofSeconds(1)) <= 0 ? "" : ", at least " + describe(minimum)));
    }

    private static String describe(Duration duration) {
        return duration.toMillis() < 1000 ? duration.toMillis() + " ms" : duration.toSeconds() + " seconds";
    }

    /** {@code duration} as people write it in the settings: {@code 2 hours}, {@code 30 minutes}, {@code 1 day}, {@code 500 ms}. */
    public static String words(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 1000 != 0) {
            return millis + " ms";
        }
        long seconds = duration.toSeconds();
        for (Object[] unit : new Object[][] {{86_400L, "day"}, {3_600L, "hour"}, {60L, "minute"}, {1L, "second"}}) {
            long size = (Long) unit[0];
            if (seconds % size == 0) {
                long count = seconds / size;
                return count + " " + unit[1] + (count == 1 ? "" : "s");
            }
        }
        throw new IllegalStateException("a whole number of seconds is a whole number of seconds: " + duration);
    }
}

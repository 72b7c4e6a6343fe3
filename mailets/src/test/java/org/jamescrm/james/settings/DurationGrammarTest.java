package org.jamescrm.james.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.apache.james.util.DurationParser;
import org.jamescrm.spi.settings.Durations;
import org.jamescrm.spi.settings.SettingsProblem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One duration grammar in the product: the settings file's durations ({@link Durations}) read exactly
 * as James's own {@link DurationParser} reads the mailets' parameters, unit for unit.
 */
class DurationGrammarTest {

    @ParameterizedTest
    @ValueSource(strings = {"500 ms", "500ms", "3 msec", "2 msecs", "1 s", "3 sec", "4 secs", "1 second", "30 seconds", "2 m", "5 min",
        "6 mins", "1 minute", "10 minutes", "1 h", "2 hour", "3 hours", "1 d", "2 day", "7 days", "1 w", "2 week", "3 weeks",
        "1 month", "2 months", "1 y", "2 year", "3 years", "30 SECONDS", "2 Hours", "  5 minutes  ", "1500"})
    void everyDurationJamesReadsShouldReadTheSame(String written) {
        assertThat(Durations.parse("key", written, ChronoUnit.MILLIS, Duration.ZERO)).isEqualTo(DurationParser.parse(written));
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "5 fortnights", "-3 seconds", "", "3.5 seconds", "seconds"})
    void whatJamesRefusesShouldBeRefusedNamingTheKey(String written) {
        assertThatThrownBy(() -> DurationParser.parse(written)).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> Durations.parse("flood.window", written, ChronoUnit.SECONDS, Duration.ZERO))
            .isInstanceOf(SettingsProblem.class)
            .hasMessageStartingWith("key 'flood.window' has value '" + written + "'; allowed values: a duration such as");
    }
}

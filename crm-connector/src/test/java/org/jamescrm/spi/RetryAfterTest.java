package org.jamescrm.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.jamescrm.testing.SteppingClock;
import org.junit.jupiter.api.Test;

/** The Retry-After hint of a 429 or 503: seconds or an HTTP date. */
class RetryAfterTest {
    SteppingClock clock = new SteppingClock(Instant.parse("2026-12-01T08:00:00Z"));

    @Test
    void secondsShouldBeTheWait() {
        assertThat(RetryAfter.parse(" 7 ", clock)).contains(Duration.ofSeconds(7));
    }

    @Test
    void anHttpDateShouldBeTheWaitUntilThen() {
        assertThat(RetryAfter.parse("Tue, 01 Dec 2026 08:00:12 GMT", clock)).contains(Duration.ofSeconds(12));
        assertThat(RetryAfter.parse("Tue, 01 Dec 2026 07:59:00 GMT", clock)).contains(Duration.ZERO);
    }

    @Test
    void anythingElseShouldBeNoHint() {
        assertThat(RetryAfter.parse(null, clock)).isEmpty();
        assertThat(RetryAfter.parse("soon", clock)).isEmpty();
    }
}

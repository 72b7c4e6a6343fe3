package org.jamescrm.bitrix24;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.jamescrm.testing.SteppingClock;
import org.junit.jupiter.api.Test;

/** The client's bucket never lets more requests out than the portal's bucket takes. */
class LeakyBucketTest {
    SteppingClock clock = new SteppingClock(Instant.parse("2026-11-22T10:00:00Z"));
    LeakyBucket bucket = new LeakyBucket(2, 50, clock, duration -> clock.step(duration));

    @Test
    void theBurstShouldGoOutAtOnceAndThenTwoPerSecond() {
        for (int i = 0; i < 50; i++) {
            assertThat(bucket.reserve()).as("request %d", i + 1).isZero();
        }
        assertThat(bucket.reserve()).isEqualTo(Duration.ofMillis(500));
        assertThat(bucket.reserve()).isEqualTo(Duration.ofMillis(1000));
    }

    @Test
    void aWaitingCallerShouldFitAfterItsWait() throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            bucket.acquire();
        }
        Instant before = clock.instant();

        bucket.acquire();

        assertThat(Duration.between(before, clock.instant())).isEqualTo(Duration.ofMillis(500));
        assertThat(bucket.reserve()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void theBucketShouldDrainWhileIdle() {
        for (int i = 0; i < 50; i++) {
            bucket.reserve();
        }
        clock.step(Duration.ofSeconds(10)); // 20 requests drained

        for (int i = 0; i < 20; i++) {
            assertThat(bucket.reserve()).isZero();
        }
        assertThat(bucket.reserve()).isPositive();
    }
}

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

    @Test
    void requestsTheBucketDrainsWithinTheHorizonShouldCostNothingWaitingSaves() {
        assertThat(bucket.untilFree(6, Duration.ofSeconds(3))).as("an idle bucket drains 6 within 3 s").isZero();
        for (int i = 0; i < 4; i++) {
            bucket.reserve();
        }

        assertThat(bucket.untilFree(2, Duration.ofSeconds(3))).isZero();
        assertThat(bucket.untilFree(4, Duration.ofSeconds(3))).as("2 requests too many, drained in 1 s").isEqualTo(Duration.ofSeconds(1));
        clock.step(Duration.ofSeconds(1));
        assertThat(bucket.untilFree(4, Duration.ofSeconds(3))).isZero();
    }

    @Test
    void requestsThatDoNotFitTheBucketShouldWaitForRoomWhateverTheHorizon() {
        for (int i = 0; i < 50; i++) {
            bucket.reserve();
        }

        assertThat(bucket.untilFree(1, Duration.ofMinutes(10))).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void requestsToComeShouldBeAffordableWhileTheReserveStaysUnspent() {
        for (int i = 0; i < 20; i++) {
            bucket.reserve();
        }

        assertThat(bucket.untilAffordable(24, Duration.ofSeconds(3), 10)).as("20 + 24 - 6 drained <= 50 - 10").isZero();
        assertThat(bucket.untilAffordable(40, Duration.ofSeconds(3), 10)).as("14 too many, drained in 7 s").isEqualTo(Duration.ofSeconds(7));
    }
}

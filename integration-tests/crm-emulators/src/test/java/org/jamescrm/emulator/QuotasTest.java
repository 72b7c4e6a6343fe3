package org.jamescrm.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The quota shapes of the kit, each on a stepped clock: no test sleeps. */
class QuotasTest {
    static final Instant START = Instant.parse("2026-11-29T10:00:00Z");

    final MutableClock clock = new MutableClock(START, ZoneOffset.UTC);

    @Test
    void aLeakyBucketShouldPassItsBurstRefuseTheNextAndDrainAtItsRate() {
        LeakyBucket bucket = new LeakyBucket(3, 2.0, clock);

        List<Boolean> burst = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            burst.add(bucket.tryAcquire());
        }

        assertThat(burst).containsExactly(true, true, true, false);
        assertThat(bucket.untilNextFits()).isEqualTo(Duration.ofMillis(500));
        clock.step(Duration.ofMillis(499));
        assertThat(bucket.tryAcquire()).as("not a whole request drained yet").isFalse();
        clock.step(Duration.ofMillis(1));
        assertThat(bucket.tryAcquire()).isTrue();
        assertThat(bucket.tryAcquire()).isFalse();
        clock.step(Duration.ofSeconds(10));
        assertThat(bucket.level()).as("drained empty, never below").isZero();
    }

    @Test
    void aLeakyBucketShouldRejectANonPositiveRate() {
        assertThatThrownBy(() -> new LeakyBucket(3, 0, clock)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("drainPerSecond must be positive, got 0.0");
    }

    @Test
    void calendarDayCreditsShouldRunOutAndComeBackAtMidnightInTheCrmsZone() {
        MutableClock prague = new MutableClock(Instant.parse("2026-11-29T22:00:00Z"), ZoneId.of("Europe/Prague"));
        DailyCredits credits = DailyCredits.perCalendarDay(10, prague);

        assertThat(credits.trySpend(7)).isTrue();
        assertThat(credits.trySpend(4)).as("only 3 left, and a refusal costs nothing").isFalse();
        assertThat(credits.trySpend(3)).isTrue();
        assertThat(credits.remaining()).isZero();
        assertThat(credits.renewsAt()).isEqualTo(Instant.parse("2026-11-29T23:00:00Z"));

        prague.set(Instant.parse("2026-11-29T22:59:59Z"));
        assertThat(credits.trySpend(1)).isFalse();
        prague.set(Instant.parse("2026-11-29T23:00:00Z"));
        assertThat(credits.remaining()).isEqualTo(10);
        assertThat(credits.trySpend(1)).isTrue();
    }

    @Test
    void rollingCreditsShouldComeBackTwentyFourHoursAfterEachSpend() {
        DailyCredits credits = DailyCredits.rolling24Hours(5, clock);

        assertThat(credits.trySpend(3)).isTrue();
        clock.step(Duration.ofHours(6));
        assertThat(credits.trySpend(2)).isTrue();
        assertThat(credits.trySpend(1)).isFalse();
        assertThat(credits.renewsAt()).isEqualTo(START.plus(Duration.ofHours(24)));

        clock.set(START.plus(Duration.ofHours(24)));
        assertThat(credits.remaining()).as("the first spend came back, the second not yet").isEqualTo(3);
        clock.set(START.plus(Duration.ofHours(30)));
        assertThat(credits.remaining()).isEqualTo(5);
    }

    @Test
    void aFixedWindowShouldRefuseTheRequestAfterItsLimitThenReopenWithTheNextWindow() {
        clock.set(Instant.parse("2026-11-29T10:00:03Z"));
        FixedWindow window = new FixedWindow(3, Duration.ofSeconds(10), clock);

        List<Boolean> answers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            answers.add(window.tryAcquire());
        }

        assertThat(answers).containsExactly(true, true, true, false);
        assertThat(window.windowEndsAt()).as("windows are aligned, not started by the first request")
            .isEqualTo(Instant.parse("2026-11-29T10:00:10Z"));
        clock.set(Instant.parse("2026-11-29T10:00:09.999Z"));
        assertThat(window.tryAcquire()).isFalse();
        clock.set(Instant.parse("2026-11-29T10:00:10Z"));
        assertThat(window.remaining()).isEqualTo(3);
        assertThat(window.tryAcquire()).isTrue();
    }

    @Test
    void aConcurrencyCapShouldRefuseTheExtraParallelRequestUntilOneLeaves() {
        ConcurrencyCap cap = new ConcurrencyCap(2);

        Optional<ConcurrencyCap.Permit> first = cap.tryEnter();
        Optional<ConcurrencyCap.Permit> second = cap.tryEnter();
        Optional<ConcurrencyCap.Permit> extra = cap.tryEnter();

        assertThat(first).isPresent();
        assertThat(second).isPresent();
        assertThat(extra).isEmpty();
        first.get().close();
        first.get().close();
        assertThat(cap.inProgress()).as("a permit frees its place once").isEqualTo(1);
        assertThat(cap.tryEnter()).isPresent();
        assertThat(cap.peak()).isEqualTo(2);
    }
}

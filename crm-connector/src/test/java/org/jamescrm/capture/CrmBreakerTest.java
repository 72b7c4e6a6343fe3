package org.jamescrm.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jamescrm.spi.CrmRejectedException;
import org.jamescrm.spi.CrmUnavailableException;
import org.jamescrm.testing.SteppingClock;
import org.junit.jupiter.api.Test;

/** The connector's circuit breaker: opens after consecutive failed rounds, probes one capture at a time, closes when the CRM answers. */
class CrmBreakerTest {
    static final Instant START = Instant.parse("2026-12-01T08:00:00Z");
    SteppingClock clock = new SteppingClock(START);
    CrmBreaker breaker = new CrmBreaker("bitrix24", 3, Duration.ofSeconds(30), clock);

    static final RoundOutcome DOWN = new RoundOutcome.Failed(new CrmUnavailableException("Bitrix24 did not answer"));
    static final RoundOutcome RATE_LIMITED = new RoundOutcome.Failed(
        new CrmUnavailableException("QUERY_LIMIT_EXCEEDED", Optional.of(Duration.ofSeconds(2)), null));
    static final RoundOutcome REFUSED = new RoundOutcome.Failed(new CrmRejectedException("ACCESS_DENIED"));

    @Test
    void theBreakerShouldOpenAfterTheConfiguredConsecutiveFailedRoundsOnly() {
        breaker.roundRan(List.of(DOWN, DOWN, DOWN)); // one round of three captures: one failure of the CRM
        breaker.roundRan(List.of(DOWN));
        assertThat(breaker.closed()).isTrue();
        assertThat(breaker.view().failures()).isEqualTo(2);

        clock.step(Duration.ofSeconds(5));
        breaker.roundRan(List.of(DOWN));

        assertThat(breaker.view()).isEqualTo(new CrmBreaker.View("bitrix24", CrmBreaker.State.OPEN, START.plusSeconds(5), 3,
            Optional.of(START.plusSeconds(35))));
        assertThat(breaker.admit()).isEqualTo(new CrmBreaker.Wait(Optional.of(Duration.ofSeconds(30))));
        assertThat(breaker.waitForCrm()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void anAnswerOrARefusalWithAHintShouldResetTheCount() {
        breaker.roundRan(List.of(DOWN));
        breaker.roundRan(List.of(DOWN));
        breaker.roundRan(List.of(RATE_LIMITED)); // the CRM is there: it says when to come back
        breaker.roundRan(List.of(DOWN));
        breaker.roundRan(List.of(REFUSED));
        breaker.roundRan(List.of(DOWN));

        assertThat(breaker.closed()).isTrue();
        assertThat(breaker.view().failures()).isEqualTo(1);
    }

    @Test
    void onceOpenOneCaptureAtATimeShouldProbeAndAnAnswerClose() {
        open();
        clock.step(Duration.ofSeconds(30));

        CrmBreaker.Admission probe = breaker.admit();
        CrmBreaker.Admission other = breaker.admit();

        assertThat(probe).isEqualTo(new CrmBreaker.Attempt(true));
        // while the probe runs no one knows when the next may go: its end is told to the listeners
        assertThat(other).isEqualTo(new CrmBreaker.Wait(Optional.empty()));
        assertThat(breaker.waitForCrm()).isEqualTo(Duration.ofSeconds(30));
        assertThat(breaker.view().state()).isEqualTo(CrmBreaker.State.HALF_OPEN);

        breaker.roundRan(List.of(new RoundOutcome.Deferred(), REFUSED));
        breaker.attemptEnded((CrmBreaker.Attempt) probe);

        assertThat(breaker.view().state()).isEqualTo(CrmBreaker.State.CLOSED);
        assertThat(breaker.view().since()).isEqualTo(START.plusSeconds(30));
        assertThat(breaker.admit()).isEqualTo(new CrmBreaker.Attempt(false));
    }

    @Test
    void aFailedProbeShouldOpenAgainUntilTheNextProbe() {
        open();
        clock.step(Duration.ofSeconds(30));
        CrmBreaker.Attempt probe = (CrmBreaker.Attempt) breaker.admit();

        breaker.roundRan(List.of(DOWN));
        breaker.attemptEnded(probe);

        assertThat(breaker.view().state()).isEqualTo(CrmBreaker.State.OPEN);
        assertThat(breaker.view().nextProbeAt()).contains(START.plusSeconds(60));
        clock.step(Duration.ofSeconds(10));
        assertThat(breaker.admit()).isEqualTo(new CrmBreaker.Wait(Optional.of(Duration.ofSeconds(20))));
        assertThat(breaker.waitForCrm()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void aProbeThatMadeNoCrmCallShouldLetTheNextCaptureProbe() {
        open();
        clock.step(Duration.ofSeconds(30));
        CrmBreaker.Attempt probe = (CrmBreaker.Attempt) breaker.admit();

        breaker.roundRan(List.of()); // an excluded mail: its round asked the CRM nothing
        breaker.attemptEnded(probe);

        assertThat(breaker.admit()).isEqualTo(new CrmBreaker.Attempt(true));
    }

    @Test
    void aCaptureTurnedAwayShouldComeBackAtTheNextProbeHoweverLongTheOutage() {
        open();
        clock.step(Duration.ofSeconds(20));
        assertThat(breaker.waitForCrm()).isEqualTo(Duration.ofSeconds(10));
        for (int probes = 0; probes < 2_880; probes++) { // a day of failed probes
            clock.step(Duration.ofSeconds(30));
            CrmBreaker.Attempt probe = (CrmBreaker.Attempt) breaker.admit();
            breaker.roundRan(List.of(DOWN));
            breaker.attemptEnded(probe);
        }
        clock.step(Duration.ofSeconds(5));
        // so that when the CRM is back, what waited in the queue comes back with the probe that finds it
        assertThat(breaker.waitForCrm()).isEqualTo(Duration.ofSeconds(25));
        assertThat(breaker.admit()).isEqualTo(new CrmBreaker.Wait(Optional.of(Duration.ofSeconds(25))));
        clock.step(Duration.ofSeconds(25));
        breaker.admit(); // the probe
        assertThat(breaker.waitForCrm()).as("while the probe runs: a probe period").isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void theListenersShouldHearWhenTheBreakerClosesOrAProbeEndsNotWhenAProbeStarts() {
        java.util.concurrent.atomic.AtomicInteger heard = new java.util.concurrent.atomic.AtomicInteger();
        Runnable remove = breaker.onChange(heard::incrementAndGet);
        open();
        clock.step(Duration.ofSeconds(30));
        CrmBreaker.Attempt probe = (CrmBreaker.Attempt) breaker.admit();
        assertThat(heard).hasValue(0); // the others still wait: nothing for them to ask again

        breaker.roundRan(List.of(DOWN));
        breaker.attemptEnded(probe);
        assertThat(heard).as("the probe failed: the breaker opened again").hasValue(1);

        clock.step(Duration.ofSeconds(30));
        CrmBreaker.Attempt excluded = (CrmBreaker.Attempt) breaker.admit();
        breaker.roundRan(List.of()); // made no CRM call
        breaker.attemptEnded(excluded);
        assertThat(heard).as("the probe told nothing: the next capture may probe").hasValue(2);

        CrmBreaker.Attempt answering = (CrmBreaker.Attempt) breaker.admit();
        breaker.roundRan(List.of(REFUSED));
        breaker.attemptEnded(answering);
        assertThat(heard).as("closed").hasValue(3);

        breaker.roundRan(List.of(REFUSED));
        remove.run();
        open();
        clock.step(Duration.ofSeconds(30));
        breaker.roundRan(List.of(REFUSED));
        assertThat(heard).as("answers while closed change nothing; a removed listener hears nothing").hasValue(3);
    }

    private void open() {
        breaker.roundRan(List.of(DOWN));
        breaker.roundRan(List.of(DOWN));
        breaker.roundRan(List.of(DOWN));
    }
}

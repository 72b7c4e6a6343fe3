package org.jamescrm.james.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.james.queue.api.MailQueueName;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.jamescrm.capture.CaptureMetrics;
import org.jamescrm.capture.CrmBreaker;
import org.jamescrm.decisions.DecisionRecord;
import org.jamescrm.rules.Direction;
import org.jamescrm.rules.ReasonCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The capture queue on a queue that ignores delays, as James's RabbitMQ queue does: the retry
 * schedule and the breaker's waits hold, and a capture delivered early is held, not attempted and not
 * spun through the queue. Asserted by counting attempts and dequeues.
 */
class DelayIgnoringQueueConsumerTest {
    DelayIgnoringQueue queue = new DelayIgnoringQueue();
    CaptureDeliverer deliverer = mock(CaptureDeliverer.class);
    CaptureParker parker = mock(CaptureParker.class);
    Map<String, List<Instant>> attempts = new ConcurrentHashMap<>();
    CaptureQueueConsumer consumer;

    @AfterEach
    void tearDown() {
        if (consumer != null) {
            consumer.close();
        }
    }

    static CaptureQueueConfiguration configuration(int maxRetries, List<Duration> delays, int breakerFailures, Duration probe) {
        return configuration(2, maxRetries, delays, breakerFailures, probe);
    }

    /** Rounds of 10 on {@code consumerThreads} threads. */
    static CaptureQueueConfiguration configuration(int consumerThreads, int maxRetries, List<Duration> delays, int breakerFailures,
                                                   Duration probe) {
        return new CaptureQueueConfiguration(MailQueueName.of("crm-capture"), maxRetries, delays,
            MailRepositoryUrl.from("memory://var/mail/crm-capture-error/"), consumerThreads, 10, Duration.ZERO, breakerFailures, probe, 1000);
    }

    private void start(CaptureQueueConfiguration configuration, CrmBreaker breaker, Duration holdLongest) {
        consumer = new CaptureQueueConsumer(queue, deliverer, parker, configuration, CaptureMetrics.NONE, breaker, Clock.systemUTC(),
            holdLongest);
        consumer.start();
    }

    private static Mail capture(String name) throws Exception {
        return FakeMail.builder().name(name).build();
    }

    private void attempted(Mail mail) {
        attempts.computeIfAbsent(mail.getName(), name -> new CopyOnWriteArrayList<>()).add(Instant.now());
    }

    @Test
    void theRetryScheduleShouldHoldWithNoAttemptBeforeItsTimeAndNoCaptureSpunThroughTheQueue() throws Exception {
        List<Duration> delays = List.of(Duration.ofMillis(300), Duration.ofMillis(600), Duration.ofMillis(900));
        CrmBreaker neverOpens = new CrmBreaker("crm", Integer.MAX_VALUE, Duration.ofSeconds(30), Clock.systemUTC());
        when(deliverer.deliver(any())).thenAnswer(invocation -> {
            attempted(invocation.getArgument(0));
            return CompletableFuture.completedFuture(new CaptureOutcome.RetryLater("CRM down", Optional.empty()));
        });
        start(configuration(3, delays, Integer.MAX_VALUE, Duration.ofSeconds(30)), neverOpens, Duration.ofMinutes(1));

        queue.enQueue(capture("capture-1"));

        verify(parker, timeout(10_000)).park(any(), any(), anyInt());
        List<Instant> times = attempts.get("capture-1");
        assertThat(times).hasSize(4); // the first attempt and three retries, then parked
        for (int retry = 1; retry <= 3; retry++) {
            // the due time is kept to the millisecond (a mail attribute), so an attempt may come up to 1 ms before the exact delay
            assertThat(Duration.between(times.get(retry - 1), times.get(retry))).isGreaterThanOrEqualTo(delays.get(retry - 1).minusMillis(1));
        }
        // each retry came back at once and was held until due, never attempted early nor put back again
        assertThat(queue.dequeued()).isEqualTo(4);
    }

    @Test
    void aWaitLongerThanTheHoldShouldGoBackToTheQueueOncePerHoldNotInALoop() throws Exception {
        CrmBreaker neverOpens = new CrmBreaker("crm", Integer.MAX_VALUE, Duration.ofSeconds(30), Clock.systemUTC());
        when(deliverer.deliver(any())).thenAnswer(invocation -> {
            attempted(invocation.getArgument(0));
            return CompletableFuture.completedFuture(new CaptureOutcome.RetryLater("CRM down", Optional.empty()));
        });
        start(configuration(1, List.of(Duration.ofMillis(1000)), Integer.MAX_VALUE, Duration.ofSeconds(30)), neverOpens, Duration.ofMillis(250));

        queue.enQueue(capture("capture-1"));

        verify(parker, timeout(10_000)).park(any(), any(), anyInt());
        assertThat(attempts.get("capture-1")).hasSize(2);
        // a 1 s wait held 250 ms at a time: back in the queue about four times, not thousands
        assertThat(queue.dequeued()).isBetween(2 + 3, 2 + 5);
    }

    @Test
    void aCrmDownForManyProbesShouldCostNoRetryAndParkNothingThenEveryCaptureFlowsOnce() throws Exception {
        CrmBreaker breaker = new CrmBreaker("crm", 2, Duration.ofMillis(200), Clock.systemUTC());
        AtomicBoolean down = new AtomicBoolean(true);
        Map<String, Integer> decided = new ConcurrentHashMap<>();
        deliverWhileDown(breaker, down, decided);
        // two retries only: an outage of many probe periods would park every capture if waiting spent them
        start(configuration(2, List.of(Duration.ofMillis(50)), 2, Duration.ofMillis(200)), breaker, Duration.ofMinutes(1));

        for (int i = 1; i <= 5; i++) {
            queue.enQueue(capture("capture-" + i));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> breaker.view().state() != CrmBreaker.State.CLOSED);
        Thread.sleep(2_000); // ten probe periods of outage
        int attemptsDuringOutage = attempts.values().stream().mapToInt(List::size).sum();
        down.set(false);

        await().atMost(Duration.ofSeconds(20)).until(() -> decided.size() == 5);
        verify(parker, never()).park(any(), any(), anyInt());
        assertThat(decided.values()).containsOnly(1);
        assertThat(breaker.view().state()).isEqualTo(CrmBreaker.State.CLOSED);
        // while open one capture at a time probed: about one attempt per probe period, not one per capture and dequeue
        assertThat(attemptsDuringOutage).isLessThan(5 * 2 + 12);
    }

    @Test
    void whileTheBreakerIsOpenTheBacklogShouldStayInTheQueueAndTheHeldCapturesGoAtOnceWhenTheCrmAnswers() throws Exception {
        CrmBreaker breaker = new CrmBreaker("crm", 1, Duration.ofMillis(300), Clock.systemUTC());
        AtomicBoolean down = new AtomicBoolean(true);
        Map<String, Integer> decided = new ConcurrentHashMap<>();
        deliverWhileDown(breaker, down, decided);
        // rounds of 10 and 2 threads: 12 captures in flight at most; a hold of a minute, far longer than the test
        start(configuration(2, List.of(Duration.ofMillis(50)), 1, Duration.ofMillis(300)), breaker, Duration.ofMinutes(1));
        queue.enQueue(capture("capture-0"));
        await().atMost(Duration.ofSeconds(10)).until(() -> breaker.view().state() != CrmBreaker.State.CLOSED);

        for (int i = 1; i <= 40; i++) {
            queue.enQueue(capture("capture-" + i));
        }
        Thread.sleep(1_500); // five probe periods of outage
        int dequeuedDuringOutage = queue.dequeued();
        int attemptsDuringOutage = attempts.values().stream().mapToInt(List::size).sum();
        down.set(false);

        // the held captures asked again when the probe closed the breaker, not when their minute of hold ended
        await().atMost(Duration.ofSeconds(10)).until(() -> decided.size() == 41);
        assertThat(decided.values()).containsOnly(1);
        verify(parker, never()).park(any(), any(), anyInt());
        // the backlog was taken off the queue once: the 12 places in flight were held, not put back and taken again
        // at every probe (the first capture's retry and each failed probe's capture go back once each)
        assertThat(dequeuedDuringOutage).isLessThanOrEqualTo(1 + 12 + 1 + 6);
        assertThat(attemptsDuringOutage).isLessThanOrEqualTo(1 + 6); // the first capture, then about one probe per period
    }

    @Test
    void aCaptureTurnedAwayDuringALongOutageShouldComeBackWithTheNextProbeNotLater() throws Exception {
        Duration probe = Duration.ofMillis(300);
        CrmBreaker breaker = new CrmBreaker("crm", 1, probe, Clock.systemUTC());
        AtomicBoolean down = new AtomicBoolean(true);
        Map<String, Integer> decided = new ConcurrentHashMap<>();
        deliverWhileDown(breaker, down, decided);
        // holds shorter than the outage: the 12 captures in flight go back to the queue, again and again
        start(configuration(2, List.of(Duration.ofMillis(50)), 1, probe), breaker, Duration.ofMillis(400));
        for (int i = 0; i <= 20; i++) {
            queue.enQueue(capture("capture-" + i));
        }
        Thread.sleep(3_500); // longer than ten probe periods
        List<Duration> putBackDuringOutage = queue.delays().subList(21, queue.delays().size());
        down.set(false);

        await().atMost(Duration.ofSeconds(10)).until(() -> decided.size() == 21);
        assertThat(decided.values()).containsOnly(1);
        // each capture put back was due again by the next probe, however long the breaker had been open,
        // so none waits in the queue after the probe that finds the CRM back
        assertThat(putBackDuringOutage).isNotEmpty().allSatisfy(delay -> assertThat(delay).isLessThanOrEqualTo(probe));
        verify(parker, never()).park(any(), any(), anyInt());
    }

    @Test
    void aBreakerThatClosesRightAfterTurningACaptureAwayShouldLetItGoAtOnce() throws Exception {
        // open, with its probe a minute away: a capture turned away now is held until then or until the breaker changes
        CrmBreaker breaker = new CrmBreaker("crm", 1, Duration.ofMinutes(1), Clock.systemUTC());
        breaker.failed();
        Map<String, Integer> decided = new ConcurrentHashMap<>();
        deliverWhileDown(breaker, new AtomicBoolean(false), decided);
        // the CRM answers (another round, say) after the breaker turned the capture away and before the capture waits
        // for the next change: the consumer reads its clock just then, and this clock closes the breaker at that read
        AtomicBoolean answered = new AtomicBoolean();
        Clock answersOnceTurnedAway = new Clock() {
            @Override
            public Instant instant() {
                if (readInAnAttempt() && answered.compareAndSet(false, true)) {
                    breaker.answered();
                }
                return Instant.now();
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException();
            }
        };
        consumer = new CaptureQueueConsumer(queue, deliverer, parker, configuration(2, List.of(Duration.ofMillis(50)), 1, Duration.ofMinutes(1)),
            CaptureMetrics.NONE, breaker, answersOnceTurnedAway, Duration.ofMinutes(1));
        consumer.start();

        queue.enQueue(capture("capture-1"));

        // not a minute later, when its hold or the probe would have let it go
        await().atMost(Duration.ofSeconds(10)).until(() -> decided.containsKey("capture-1"));
        assertThat(answered).isTrue();
    }

    /** Whether the clock is read from the consumer's attempt of a capture, after the breaker's admission. */
    private static boolean readInAnAttempt() {
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(
            frame -> frame.getClassName().equals(CaptureQueueConsumer.class.getName()) && frame.getMethodName().equals("attempt")));
    }

    /**
     * Each attempt is recorded; while {@code down} is set it fails as a round tells the breaker of a CRM that
     * does not answer, after that it is decided, counted by mail in {@code decided}, and the breaker hears the answer.
     */
    private void deliverWhileDown(CrmBreaker breaker, AtomicBoolean down, Map<String, Integer> decided) {
        when(deliverer.deliver(any())).thenAnswer(invocation -> {
            Mail mail = invocation.getArgument(0);
            attempted(mail);
            if (down.get()) {
                breaker.failed();
                return CompletableFuture.completedFuture(new CaptureOutcome.RetryLater("CRM down", Optional.empty()));
            }
            breaker.answered();
            decided.merge(mail.getName(), 1, Integer::sum);
            return CompletableFuture.completedFuture(new CaptureOutcome.Decided(decision(mail.getName())));
        });
    }

    static DecisionRecord decision(String key) {
        return new DecisionRecord(Optional.empty(), key, Direction.INBOUND, Optional.empty(), List.of(), List.of(), Optional.empty(),
            ReasonCode.NEW_LEAD, "NEW_LEAD", "", List.of(), Optional.of("1"), Optional.empty(), Map.of(), Instant.EPOCH);
    }
}

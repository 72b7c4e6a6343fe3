package org.jamescrm.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jamescrm.capture.CaptureHarness.message;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.jamescrm.spi.CrmUnavailableException;
import org.junit.jupiter.api.Test;
import org.jamescrm.decisions.DecisionRecord;

/** The gathering of captures into rounds, as the capture queue uses it. */
class CaptureRoundsTest {
    private final CaptureHarness harness = new CaptureHarness("");

    private CaptureRequest inbound(String from, String messageId) {
        return harness.request(from, List.of("alice@company.example"),
            message(from, "alice@company.example", messageId, "Inquiry", ""));
    }

    @Test
    void manyMailsOfOneNewClientHandedOverAtOnceShouldMakeOneLeadAndAnActivityEach() throws Exception {
        List<CompletableFuture<DecisionRecord>> results = new ArrayList<>();
        try (CaptureRounds rounds = new CaptureRounds(harness.service, 50, java.time.Duration.ZERO, Thread::new)) {
            for (int i = 0; i < 20; i++) {
                results.add(rounds.submit(inbound("carol@client.example", "<" + i + "@client.example>")));
            }
            for (CompletableFuture<DecisionRecord> result : results) {
                assertThat(result.get(10, TimeUnit.SECONDS).captured()).isTrue();
            }
        }

        assertThat(harness.crm.leads()).hasSize(1);
        assertThat(harness.crm.activities()).hasSize(20);
    }

    @Test
    void onAQuietServerACaptureShouldStartAtOnceAndUnderLoadAFullRoundShouldNotWait() throws Exception {
        try (CaptureRounds rounds = new CaptureRounds(harness.service, 3, java.time.Duration.ofMinutes(10), Thread::new)) {
            assertThat(rounds.submit(inbound("carol@client.example", "<1@client.example>")).get(10, TimeUnit.SECONDS).captured())
                .as("no round for ten minutes: quiet").isTrue();

            List<CompletableFuture<DecisionRecord>> busy = List.of(
                rounds.submit(inbound("dave@other.example", "<2@other.example>")),
                rounds.submit(inbound("erin@third.example", "<3@third.example>")),
                rounds.submit(inbound("fay@fourth.example", "<4@fourth.example>")));

            for (CompletableFuture<DecisionRecord> result : busy) {
                assertThat(result.get(10, TimeUnit.SECONDS).captured()).as("a full round starts without its ten minutes").isTrue();
            }
        }
    }

    @Test
    void aRoundShouldStartAtOnceAfterAnotherWhenTheConnectorSaysWaitingSavesNothing() throws Exception {
        try (CaptureRounds rounds = new CaptureRounds(harness.service, 300, java.time.Duration.ofMinutes(10), Thread::new)) {
            rounds.submit(inbound("carol@client.example", "<1@client.example>")).get(10, TimeUnit.SECONDS);

            CompletableFuture<DecisionRecord> next = rounds.submit(inbound("dave@other.example", "<2@other.example>"));

            assertThat(next.get(10, TimeUnit.SECONDS).captured())
                .as("the in-memory CRM has no budget to save: no ten minutes of company for the second either").isTrue();
        }
    }

    @Test
    void whileWaitingSavesTheCrmsBudgetCapturesShouldShareOneRound() throws Exception {
        CountingLookups crm = new CountingLookups(harness.crm.connector(), java.time.Duration.ofMinutes(10));
        CaptureService service = new CaptureService(crm, () -> harness.settings, harness.decisions, harness.missingUsers, harness.clock);
        try (CaptureRounds rounds = new CaptureRounds(service, 2, java.time.Duration.ofMinutes(10), Thread::new)) {
            CompletableFuture<DecisionRecord> first = rounds.submit(inbound("carol@client.example", "<1@client.example>"));
            CompletableFuture<DecisionRecord> second = rounds.submit(inbound("dave@other.example", "<2@other.example>"));

            assertThat(first.get(10, TimeUnit.SECONDS).captured()).isTrue();
            assertThat(second.get(10, TimeUnit.SECONDS).captured()).isTrue();
        }

        assertThat(crm.lookups).as("one lookup for the full round").hasValue(1);
    }

    @Test
    void onAClusterTheOtherServersCapturesShouldCountAsLikelyToComeAndARoundWaitAsLongAsOneServersWould() {
        CountingLookups crm = new CountingLookups(harness.crm.connector(), java.time.Duration.ofSeconds(1));
        java.util.concurrent.atomic.AtomicReference<Double> published = new java.util.concurrent.atomic.AtomicReference<>();
        CaptureService service = clusterService(crm, 10.0, 1, published);

        assertThat(service.roundWaitShare(30, java.time.Duration.ofSeconds(3)))
            .as("two servers, the other as busy as this one: twice as long").isEqualTo(2.0);
        assertThat(published.get()).as("this server's pace, captures a second").isEqualTo(10.0);
        service.budgetWait(1, 6, java.time.Duration.ofSeconds(3));
        assertThat(crm.lastArriving).as("this server's 6 and the other's 30 within the 3 s").hasValue(36);

        assertThat(service.roundWaitShare(3, java.time.Duration.ofSeconds(3)))
            .as("a server with a tenth of the mail waits no longer than there are servers").isEqualTo(2.0);
        assertThat(clusterService(crm, 10.0, 4, published).roundWaitShare(30, java.time.Duration.ofSeconds(3)))
            .as("five servers, this one with half the mail").isEqualTo(2.0);
        assertThat(clusterService(crm, 0, 0, published).roundWaitShare(30, java.time.Duration.ofSeconds(3)))
            .as("the others idle").isEqualTo(1.0);
    }

    private CaptureService clusterService(CountingLookups crm, double others, int otherServers,
                                          java.util.concurrent.atomic.AtomicReference<Double> published) {
        org.jamescrm.store.ArrivalPaces paces = new org.jamescrm.store.ArrivalPaces() {
            @Override
            public void publish(double perSecond) {
                published.set(perSecond);
            }

            @Override
            public double others() {
                return others;
            }

            @Override
            public int otherServers() {
                return otherServers;
            }
        };
        org.jamescrm.store.CaptureStore store = org.mockito.Mockito.spy(org.jamescrm.store.CaptureStore.inMemory(harness.clock));
        org.mockito.Mockito.doReturn(paces).when(store).arrivals();
        return new CaptureService(crm, () -> harness.settings, harness.decisions, harness.missingUsers, store,
            CaptureMetrics.NONE, harness.clock, AcknowledgementOutbox.NONE);
    }

    @Test
    void onOneServerOnlyItsOwnCapturesShouldCountAsLikelyToCome() {
        CountingLookups crm = new CountingLookups(harness.crm.connector(), java.time.Duration.ofSeconds(1));
        CaptureService service = new CaptureService(crm, () -> harness.settings, harness.decisions, harness.missingUsers, harness.clock);

        service.budgetWait(1, 6, java.time.Duration.ofSeconds(3));

        assertThat(crm.lastArriving).hasValue(6);
        assertThat(service.roundWaitShare(6, java.time.Duration.ofSeconds(3))).isEqualTo(1.0);
    }

    /** A CRM whose budget gains by waiting {@code wait}, counting its lookups. */
    private static final class CountingLookups implements org.jamescrm.spi.CrmConnector {
        private final org.jamescrm.spi.CrmConnector crm;
        private final java.time.Duration wait;
        final java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger lastArriving = new java.util.concurrent.atomic.AtomicInteger(-1);

        CountingLookups(org.jamescrm.spi.CrmConnector crm, java.time.Duration wait) {
            this.crm = crm;
            this.wait = wait;
        }

        @Override
        public String name() {
            return crm.name();
        }

        @Override
        public org.jamescrm.spi.CrmCapabilities capabilities() {
            return crm.capabilities();
        }

        @Override
        public void checkConnection() throws org.jamescrm.spi.CrmException {
            crm.checkConnection();
        }

        @Override
        public org.jamescrm.spi.CrmLookupResult lookUp(org.jamescrm.spi.CrmLookup lookup) throws org.jamescrm.spi.CrmException {
            lookups.incrementAndGet();
            return crm.lookUp(lookup);
        }

        @Override
        public List<org.jamescrm.spi.WriteResult> write(List<org.jamescrm.spi.WritePlan> plans) {
            return crm.write(plans);
        }

        @Override
        public java.time.Duration budgetWait(int captures, int arriving, java.time.Duration roundWait) {
            lastArriving.set(arriving);
            return wait;
        }
    }

    @Test
    void underLoadACaptureShouldWaitForCompanyOnlyUntilItsRoundWaitIsOver() throws Exception {
        try (CaptureRounds rounds = new CaptureRounds(harness.service, 200, java.time.Duration.ofMillis(200), Thread::new)) {
            rounds.submit(inbound("carol@client.example", "<1@client.example>")).get(10, TimeUnit.SECONDS);

            CompletableFuture<DecisionRecord> next = rounds.submit(inbound("dave@other.example", "<2@other.example>"));

            assertThat(next.get(10, TimeUnit.SECONDS).captured()).isTrue();
        }
    }

    @Test
    void aCaptureHandedOverAfterCloseShouldFailAsUnavailableForTheQueueToRetry() {
        CaptureRounds rounds = new CaptureRounds(harness.service, 50, java.time.Duration.ZERO, Thread::new);
        rounds.close();

        CompletableFuture<DecisionRecord> result = rounds.submit(inbound("carol@client.example", "<1@client.example>"));

        assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(CrmUnavailableException.class);
        assertThat(harness.crm.activities()).isEmpty();
    }

    @Test
    void aRoundSizeBelowOneShouldBeRefused() {
        assertThatThrownBy(() -> new CaptureRounds(harness.service, 0, java.time.Duration.ZERO, Thread::new))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one capture");
    }
}

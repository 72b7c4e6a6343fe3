package org.jamescrm.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jamescrm.capture.CaptureHarness.message;

import java.util.ArrayList;
import java.util.List;

import org.jamescrm.rules.ReasonCode;
import org.junit.jupiter.api.Test;
import org.jamescrm.store.InMemoryRoundRobinPositions;

class CaptureMetricsTest {
    final CaptureHarness harness = new CaptureHarness("");
    final Recording metrics = new Recording();
    final CaptureService service = new CaptureService(harness.crm.connector(), () -> harness.settings, harness.decisions,
        harness.missingUsers, new InMemoryRoundRobinPositions(), metrics, harness.clock);

    @Test
    void everyDecisionShouldBeCountedByItsReasonCode() {
        service.recordExclusion(java.util.Optional.empty(), "key", java.util.Optional.empty(),
            harness.request("alice@company.example", List.of("bob@company.example"),
                message("alice@company.example", "bob@company.example", "<lunch@company.example>", "Lunch", "")).classification());
        service.captureRound(List.of(inbound("<1@client.example>")));
        service.captureRound(List.of(inbound("<1@client.example>")));

        assertThat(metrics.decisions).containsExactly(ReasonCode.INTERNAL, ReasonCode.NEW_LEAD, ReasonCode.DUPLICATE);
    }

    @Test
    void aRoundShouldCountItsSizeAndTimeOneLookupAndOneWriteOfItsConnector() {
        service.captureRound(List.of(inbound("<1@client.example>"),
            harness.request("dave@other.example", List.of("alice@company.example"),
                message("dave@other.example", "alice@company.example", "<2@other.example>", "Hi", ""))));

        assertThat(metrics.rounds).containsExactly(2);
        assertThat(metrics.requests).containsExactly("memory lookup ok", "memory write ok");
    }

    @Test
    void aRoundWithNothingToWriteShouldOnlyLookUp() {
        service.captureRound(List.of(inbound("<1@client.example>")));
        metrics.requests.clear();

        service.captureRound(List.of(inbound("<1@client.example>")));

        assertThat(metrics.requests).containsExactly("memory lookup ok");
    }

    private CaptureRequest inbound(String messageId) {
        return harness.request("carol@client.example", List.of("alice@company.example"),
            message("Carol Client <carol@client.example>", "alice@company.example", messageId, "Order", ""));
    }

    static final class Recording implements CaptureMetrics {
        final List<ReasonCode> decisions = new ArrayList<>();
        final List<Integer> rounds = new ArrayList<>();
        final List<String> requests = new ArrayList<>();

        @Override
        public synchronized void decided(ReasonCode reason) {
            decisions.add(reason);
        }

        @Override
        public synchronized void roundRan(int size) {
            rounds.add(size);
        }

        @Override
        public Timing crmRequest(String connector, CrmOperation operation) {
            return failed -> {
                synchronized (this) {
                    requests.add(connector + " " + operation.word() + (failed ? " failed" : " ok"));
                }
            };
        }
    }
}

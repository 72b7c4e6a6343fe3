package org.jamescrm.it.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.jamescrm.capture.CaptureRounds;
import org.jamescrm.capture.CaptureService;
import org.jamescrm.capture.MissingCrmUsers;
import org.jamescrm.decisions.DecisionLog;
import org.jamescrm.decisions.JsonViews;
import org.jamescrm.emulator.Fault;
import org.jamescrm.emulator.MutableClock;
import org.jamescrm.emulator.salesforce.SalesforceEmulator;
import org.jamescrm.it.SalesforceKeys;
import org.jamescrm.it.bench.CaptureLoad;
import org.jamescrm.it.bench.MixedMail;
import org.jamescrm.salesforce.SalesforceClient;
import org.jamescrm.salesforce.SalesforceConfiguration;
import org.jamescrm.salesforce.SalesforceConnector;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Hundreds of captures through the capture rounds and the Salesforce connector to the emulator, with refusals
 * injected (503, a dropped connection, a locked row) and the org's daily API budget running out mid-load: the
 * captures wait and are retried, as the capture queue does, and resume when the budget returns a day later (the
 * sessions expired meanwhile); each mail ends in the CRM exactly once, no record is duplicated.
 */
class SalesforceCaptureUnderLoadContractTest {
    private static final int MAILS = 280;

    @Test
    void mixedMailWithRefusalsAndTheDailyBudgetRunningOutShouldBeCapturedOnceEach() throws Exception {
        MixedMail mix = new MixedMail(40, "load");
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T09:00:00Z"), ZoneOffset.UTC);
        try (SalesforceEmulator org = SalesforceEmulator.builder().dailyApiRequests(30).clock(clock).start()) {
            mix.seed(org);
            SalesforceConfiguration configuration = SalesforceConfiguration.jwt(org.loginUrl(), org.clientId(), org.username(),
                org.privateKeyPem());
            SalesforceConnector connector = new SalesforceConnector(new SalesforceClient(configuration, clock), configuration, clock);
            CaptureService service = new CaptureService(connector, mix::settings, new DecisionLog(1000, new JsonViews()),
                new MissingCrmUsers(), Clock.systemUTC());
            ScheduledExecutorService events = Executors.newSingleThreadScheduledExecutor();
            events.schedule(() -> org.faults().next(1, Fault.status(503)), 100, TimeUnit.MILLISECONDS);
            events.schedule(() -> org.faults().next(1, Fault.drop()), 300, TimeUnit.MILLISECONDS);
            events.schedule(() -> org.lockRows(2), 500, TimeUnit.MILLISECONDS);
            // the budget is spent by then: a day later it has returned
            events.schedule(() -> clock.step(Duration.ofHours(24)), 3, TimeUnit.SECONDS);

            CaptureLoad.Result result;
            try (CaptureRounds rounds = new CaptureRounds(service, 200, Duration.ofMillis(200), Thread::new)) {
                result = new CaptureLoad(rounds, Duration.ofMillis(300), 40).run(mix.requests(MAILS), 100);
            } finally {
                events.shutdownNow();
            }

            assertThat(result.lost()).isZero();
            assertThat(result.retries()).as("captures held while the budget was spent").isPositive();
            assertThat(org.calls().countErrors("REQUEST_LIMIT_EXCEEDED")).as("the connector holds instead of spending refused calls")
                .isLessThanOrEqualTo(2);
            assertThat(result.decisions()).allSatisfy(decision -> assertThat(decision.captured()).as(decision.detail()).isTrue());
            long newClients = IntStream.range(0, MAILS).filter(n -> MixedMail.kind(n) == MixedMail.Kind.NEW_CLIENT).count();
            assertThat(org.records("Lead")).hasSize((int) newClients);
            Map<String, String> keys = IntStream.range(0, MAILS).mapToObj(n -> "<load-" + n + "@mix.example>")
                .collect(Collectors.toMap(SalesforceKeys::hash, key -> key));
            List<JsonNode> captured = org.records("EmailMessage").stream().filter(email -> keys.containsKey(email.path("Capture_Key__c").asText()))
                .map(JsonNode.class::cast).toList();
            Map<String, Long> perKey = captured.stream().collect(Collectors.groupingBy(email -> email.path("Capture_Key__c").asText(),
                Collectors.counting()));
            assertThat(perKey).hasSize(MAILS).allSatisfy((key, count) -> assertThat(count).as(keys.get(key)).isEqualTo(1));
            org.violations().assertNone();
            System.out.printf("Salesforce load: %d mails, %.1f captures/s, %.3f API calls per mail, %d retries%n", MAILS,
                result.capturesPerSecond(), (double) org.apiCalls() / MAILS, result.retries());
        }
    }
}

package org.jamescrm.it.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.jamescrm.capture.CaptureRounds;
import org.jamescrm.capture.CaptureService;
import org.jamescrm.capture.MissingCrmUsers;
import org.jamescrm.decisions.DecisionLog;
import org.jamescrm.decisions.JsonViews;
import org.jamescrm.emulator.Fault;
import org.jamescrm.emulator.MutableClock;
import org.jamescrm.emulator.zoho.ZohoEmulator;
import org.jamescrm.it.bench.CaptureLoad;
import org.jamescrm.it.bench.MixedMail;
import org.jamescrm.zoho.ZohoClient;
import org.jamescrm.zoho.ZohoConfiguration;
import org.jamescrm.zoho.ZohoConnector;
import org.jamescrm.zoho.ZohoDataCentre;
import org.junit.jupiter.api.Test;

/**
 * Hundreds of captures at once through the capture rounds and the Zoho connector to the emulator, with
 * refusals injected (503, a dropped connection, a 429) and the day's API credits running out mid-load:
 * the captures wait (held on the client side while the credits are spent) and are retried, as the
 * capture queue does, none is lost, each mail ends in Zoho exactly once, no record is duplicated, the
 * organisation's concurrency is never exceeded.
 */
class ZohoCaptureUnderLoadContractTest {
    private static final int MAILS = 280;
    private static final int CONCURRENCY = 5;

    @Test
    void mixedMailWithRefusalsAndSpentCreditsShouldBeCapturedOnceEachWithinTheConcurrency() throws Exception {
        MixedMail mix = new MixedMail(40, "load");
        try (ZohoEmulator org = ZohoEmulator.builder().dataCentre("AU").concurrency(CONCURRENCY).creditsPerDay(100).start()) {
            mix.seed(org);
            // the connector's clock: stepped past its probe delay when the organisation's credits come back
            MutableClock clock = new MutableClock(Instant.now(), ZoneOffset.UTC);
            ZohoConfiguration configuration = new ZohoConfiguration(ZohoDataCentre.AU, org.clientId(), org.clientSecret(), org.refreshToken(),
                java.util.Optional.of(org.accountsUrl()), java.util.Optional.empty(), CONCURRENCY, true, Duration.ofSeconds(2));
            ZohoConnector connector = new ZohoConnector(new ZohoClient(configuration, clock), clock);
            CaptureService service = new CaptureService(connector, mix::settings, new DecisionLog(1000, new JsonViews()),
                new MissingCrmUsers(), clock);
            ScheduledExecutorService faults = Executors.newSingleThreadScheduledExecutor();
            faults.schedule(() -> org.faults().next(1, Fault.status(503)), 100, TimeUnit.MILLISECONDS);
            faults.schedule(() -> org.faults().next(1, Fault.drop()), 300, TimeUnit.MILLISECONDS);
            faults.schedule(() -> org.faults().next(1, Fault.response(429, "application/json",
                "{\"code\":\"TOO_MANY_REQUESTS\",\"details\":{},\"message\":\"too many concurrent requests\",\"status\":\"error\"}")), 500,
                TimeUnit.MILLISECONDS);
            // each time the credits run out, they come back a second later (a day later for Zoho); they have run
            // out when a call was refused for them, though a few may remain (a large insert costs several)
            AtomicBoolean renewing = new AtomicBoolean();
            AtomicInteger spent = new AtomicInteger();
            AtomicLong refusalsRenewed = new AtomicLong();
            faults.scheduleAtFixedRate(() -> {
                long refusals = org.creditRefusals();
                boolean ranOut = org.creditsRemaining() == 0 || refusals > refusalsRenewed.get();
                if (ranOut && renewing.compareAndSet(false, true)) {
                    spent.incrementAndGet();
                    faults.schedule(() -> {
                        refusalsRenewed.set(org.creditRefusals()); // the refusals until now are answered by this renewal
                        org.renewCredits();
                        clock.step(Duration.ofMinutes(6));
                        renewing.set(false);
                    }, 1, TimeUnit.SECONDS);
                }
            }, 50, 50, TimeUnit.MILLISECONDS);

            CaptureLoad.Result result;
            try (CaptureRounds rounds = new CaptureRounds(service, 60, Duration.ofMillis(200), Thread::new)) {
                result = new CaptureLoad(rounds, Duration.ofMillis(300), 30).run(mix.requests(MAILS), 0);
            } finally {
                faults.shutdownNow();
            }

            assertThat(spent.get()).as("the credits ran out mid-load").isPositive();
            assertThat(result.retries()).as("captures held while the credits were spent, then retried").isPositive();
            assertThat(result.lost()).isZero();
            assertThat(result.decisions()).allSatisfy(decision -> assertThat(decision.captured()).as(decision.detail()).isTrue());
            long newClients = IntStream.range(0, MAILS).filter(n -> MixedMail.kind(n) == MixedMail.Kind.NEW_CLIENT).count();
            assertThat(org.records("Leads")).hasSize((int) newClients);
            Map<String, Long> perKey = org.emails().stream().map(email -> email.path("original_message_id").asText())
                .filter(key -> key.endsWith("@mix.example>")).collect(Collectors.groupingBy(key -> key, Collectors.counting()));
            assertThat(perKey).hasSize(MAILS).allSatisfy((key, count) -> assertThat(count).as(key).isEqualTo(1));
            assertThat(org.peakConcurrency()).isLessThanOrEqualTo(CONCURRENCY);
            org.violations().assertNone();
            System.out.printf("Zoho load: %d mails, %.1f captures/s, %.2f requests and %.2f credits per mail, %d retries%n", MAILS,
                result.capturesPerSecond(), (double) org.requestCount() / MAILS, (double) org.creditsSpent() / MAILS, result.retries());
        }
    }
}

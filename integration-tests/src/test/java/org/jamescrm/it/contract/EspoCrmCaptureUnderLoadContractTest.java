package org.jamescrm.it.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.jamescrm.emulator.espocrm.EspoCrmEmulator;
import org.jamescrm.espocrm.EspoCrmClient;
import org.jamescrm.espocrm.EspoCrmConfiguration;
import org.jamescrm.espocrm.EspoCrmConnector;
import org.jamescrm.it.bench.CaptureLoad;
import org.jamescrm.it.bench.MixedMail;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Hundreds of captures at once through the capture rounds and the EspoCRM connector to the emulator,
 * with refusals injected (503, a dropped connection, a proxy's 429): the captures are retried, as the
 * capture queue does, each mail ends in the CRM exactly once, no record is duplicated, never more than
 * {@code requestsInFlight} requests are in flight.
 */
class EspoCrmCaptureUnderLoadContractTest {
    private static final int MAILS = 280;

    @Test
    void mixedMailWithRefusalsShouldBeCapturedOnceEachWithinTheRequestsInFlight() throws Exception {
        MixedMail mix = new MixedMail(40, "load");
        try (EspoCrmEmulator site = EspoCrmEmulator.builder().start()) {
            mix.seed(site);
            EspoCrmConnector connector = new EspoCrmConnector(new EspoCrmClient(new EspoCrmConfiguration(site.baseUrl().toString(),
                site.apiKey(), Optional.empty(), 4, Duration.ofSeconds(2))), Clock.systemUTC());
            CaptureService service = new CaptureService(connector, mix::settings, new DecisionLog(1000, new JsonViews()),
                new MissingCrmUsers(), Clock.systemUTC());
            ScheduledExecutorService faults = Executors.newSingleThreadScheduledExecutor();
            faults.schedule(() -> site.faults().next(1, Fault.status(503)), 100, TimeUnit.MILLISECONDS);
            faults.schedule(() -> site.faults().next(1, Fault.drop()), 300, TimeUnit.MILLISECONDS);
            faults.schedule(() -> site.faults().next(1, Fault.response(429, "text/html", "<html>Too Many Requests</html>")), 500,
                TimeUnit.MILLISECONDS);

            CaptureLoad.Result result;
            try (CaptureRounds rounds = new CaptureRounds(service, 200, Duration.ofMillis(200), Thread::new)) {
                result = new CaptureLoad(rounds, Duration.ofMillis(300), 30).run(mix.requests(MAILS), 0);
            } finally {
                faults.shutdownNow();
            }

            assertThat(result.lost()).isZero();
            assertThat(result.decisions()).allSatisfy(decision -> assertThat(decision.captured()).as(decision.detail()).isTrue());
            long newClients = IntStream.range(0, MAILS).filter(n -> MixedMail.kind(n) == MixedMail.Kind.NEW_CLIENT).count();
            assertThat(site.records("Lead")).hasSize((int) newClients);
            List<JsonNode> captured = site.records("Email").stream()
                .filter(email -> email.path("cCaptureKey").asText("").endsWith("@mix.example>")).toList();
            Map<String, Long> perKey = captured.stream().collect(Collectors.groupingBy(email -> email.path("cCaptureKey").asText(),
                Collectors.counting()));
            assertThat(perKey).hasSize(MAILS).allSatisfy((key, count) -> assertThat(count).as(key).isEqualTo(1));
            assertThat(site.maxConcurrentRequests()).isLessThanOrEqualTo(4);
            site.violations().assertNone();
            System.out.printf("EspoCRM load: %d mails, %.1f captures/s, %.2f requests per mail, %d retries%n", MAILS,
                result.capturesPerSecond(), (double) site.requestCount() / MAILS, result.retries());
        }
    }
}

package org.jamescrm.it.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.jamescrm.bitrix24.Bitrix24Auth;
import org.jamescrm.bitrix24.Bitrix24Client;
import org.jamescrm.bitrix24.Bitrix24Configuration;
import org.jamescrm.bitrix24.Bitrix24Connector;
import org.jamescrm.capture.CaptureRounds;
import org.jamescrm.capture.CaptureService;
import org.jamescrm.decisions.DecisionLog;
import org.jamescrm.decisions.JsonViews;
import org.jamescrm.capture.MissingCrmUsers;
import org.jamescrm.it.bench.CaptureLoad;
import org.jamescrm.it.bench.MixedMail;
import org.jamescrm.emulator.bitrix24.Bitrix24Emulator;
import org.junit.jupiter.api.Test;

/**
 * Hundreds of captures at once, handed over from many threads, through the capture rounds and the
 * Bitrix24 connector to the emulator: the connector never exceeds the portal's rate limit, and
 * when the portal refuses (503, 429, a dropped connection) the captures are retried, as the capture
 * queue does, and each mail ends in the CRM exactly once.
 */
class Bitrix24CaptureUnderLoadContractTest {
    private static final int MAILS = 280;

    @Test
    void mixedMailUnderThePortalsLimitAndItsRefusalsShouldBeCapturedOnceEach() throws Exception {
        MixedMail mix = new MixedMail(40, "load");
        try (Bitrix24Emulator portal = Bitrix24Emulator.builder().rateLimit(10, 10.0).start()) {
            mix.seed(portal);
            int seeded = portal.activities().size();
            Bitrix24Configuration configuration = new Bitrix24Configuration(portal.portalUrl().toString(),
                new Bitrix24Auth.Webhook(portal.webhookUserId(), portal.webhookCode()), 10, 10, Duration.ofSeconds(2), "james-crm-capture");
            Bitrix24Connector connector = new Bitrix24Connector(Bitrix24Client.create(configuration), configuration.originatorId());
            CaptureService service = new CaptureService(connector, mix::settings, new DecisionLog(1000, new JsonViews()),
                new MissingCrmUsers(), Clock.systemUTC());
            ScheduledExecutorService faults = Executors.newSingleThreadScheduledExecutor();
            faults.schedule(() -> portal.faultNext(2, Bitrix24Emulator.Fault.queryLimit()), 300, TimeUnit.MILLISECONDS);
            faults.schedule(() -> portal.faultNext(1, Bitrix24Emulator.Fault.operationTimeLimit()), 900, TimeUnit.MILLISECONDS);
            faults.schedule(() -> portal.faultNext(1, Bitrix24Emulator.Fault.drop()), 1500, TimeUnit.MILLISECONDS);
            faults.schedule(() -> portal.faultNext(1, Bitrix24Emulator.Fault.status(503)), 2100, TimeUnit.MILLISECONDS);

            CaptureLoad.Result result;
            try (CaptureRounds rounds = new CaptureRounds(service, 200, Duration.ofMillis(200), Thread::new)) {
                result = new CaptureLoad(rounds, Duration.ofMillis(300), 30).run(mix.requests(MAILS), 0);
            } finally {
                faults.shutdownNow();
            }

            assertThat(result.lost()).isZero();
            assertThat(result.decisions()).allSatisfy(decision -> assertThat(decision.captured()).as(decision.detail()).isTrue());
            assertThat(result.retries()).as("the injected refusals made captures wait").isPositive();
            long newClients = IntStream.range(0, MAILS).filter(n -> MixedMail.kind(n) == MixedMail.Kind.NEW_CLIENT).count();
            assertThat(portal.leads()).hasSize((int) newClients);
            List<Map<String, Object>> captured = portal.activities().stream()
                .filter(activity -> String.valueOf(activity.get("ORIGIN_ID")).endsWith("@mix.example>")).toList();
            assertThat(portal.activities()).hasSize(seeded + MAILS);
            assertThat(captured).hasSize(MAILS);
            Map<Object, Long> perKey = captured.stream().collect(Collectors.groupingBy(activity -> Objects.requireNonNull(
                activity.get("ORIGIN_ID")), Collectors.counting()));
            assertThat(perKey).hasSize(MAILS).allSatisfy((key, count) -> assertThat(count).as(String.valueOf(key)).isEqualTo(1));
            assertThat(portal.refusedCount("QUERY_LIMIT_EXCEEDED")).as("only the injected refusals: the connector kept the limit")
                .isEqualTo(2);
            assertThat(portal.resentOutgoingEmails()).isEmpty();
        }
    }
}

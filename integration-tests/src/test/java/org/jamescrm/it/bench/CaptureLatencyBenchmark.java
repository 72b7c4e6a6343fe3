package org.jamescrm.it.bench;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import org.jamescrm.bitrix24.Bitrix24Auth;
import org.jamescrm.bitrix24.Bitrix24Client;
import org.jamescrm.bitrix24.Bitrix24Configuration;
import org.jamescrm.bitrix24.Bitrix24Connector;
import org.jamescrm.capture.CaptureRounds;
import org.jamescrm.capture.CaptureService;
import org.jamescrm.capture.MissingCrmUsers;
import org.jamescrm.decisions.DecisionLog;
import org.jamescrm.decisions.JsonViews;
import org.jamescrm.emulator.bitrix24.Bitrix24Emulator;
import org.jamescrm.memory.InMemoryCrm;
import org.jamescrm.memory.MemorySettings;
import org.jamescrm.spi.CrmCapabilities;
import org.jamescrm.spi.CrmConnector;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmLookup;
import org.jamescrm.spi.CrmLookupResult;
import org.jamescrm.spi.WritePlan;
import org.jamescrm.spi.WriteResult;

/**
 * The capture latency benchmark of docs/BENCHMARKS.md: the mixed mail of {@link MixedMail} offered
 * at a steady rate to the capture rounds with the product's defaults (round size 300, round wait
 * 3 seconds), on the in-memory CRM or on the Bitrix24 connector against a Bitrix24 emulator with a
 * portal's default limits whose bucket is full at the start. Reports the latency from the hand-over
 * to the decision, the rounds and (Bitrix24) the HTTP requests. Run by
 * {@code bin/benchmark latency [memory|bitrix24] [mails] [mails per second]}; without arguments the
 * four runs of the documentation (both CRMs, mails 1 s apart and 10 mails a second).
 */
public final class CaptureLatencyBenchmark {
    private static final Duration ROUND_WAIT = Duration.ofSeconds(3);
    private static final int ROUND_SIZE = 300;

    private CaptureLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(DecisionLog.class)).setLevel(ch.qos.logback.classic.Level.WARN);
        System.out.println("| CRM | mails offered | rounds | mails per round | HTTP requests | latency p50 | latency p99 | latency max | slowest: mail no. | lost |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        if (args.length == 0) {
            run("memory", 30, 1);
            run("memory", 300, 10);
            run("bitrix24", 30, 1);
            run("bitrix24", 300, 10);
        } else {
            run(args[0], args.length > 1 ? Integer.parseInt(args[1]) : 30, args.length > 2 ? Double.parseDouble(args[2]) : 1);
        }
        System.exit(0); // OkHttp's pool threads would keep the JVM up for a minute
    }

    private static void run(String crm, int mails, double perSecond) throws Exception {
        MixedMail mix = new MixedMail(500, "latency-" + crm + "-" + perSecond);
        Bitrix24Emulator portal = null;
        CrmConnector connector;
        if (crm.equals("memory")) {
            connector = new InMemoryCrm(Clock.systemUTC(), List.of(), MemorySettings.DEFAULT_CONTENT_LIMIT);
        } else if (crm.equals("bitrix24")) {
            portal = Bitrix24Emulator.builder().rateLimit(50, 2.0).start();
            mix.seed(portal);
            Bitrix24Configuration configuration = Bitrix24Configuration.of(portal.portalUrl().toString(),
                new Bitrix24Auth.Webhook(portal.webhookUserId(), portal.webhookCode()));
            connector = new Bitrix24Connector(Bitrix24Client.create(configuration), configuration.originatorId());
            connector.checkConnection(); // as the server does at start
            Thread.sleep(2_000); // the start's requests drained: the bucket is full
        } else {
            throw new IllegalArgumentException("unknown CRM " + crm + ": memory or bitrix24");
        }
        try {
            CountingRounds counted = new CountingRounds(connector);
            CaptureService service = new CaptureService(counted, mix::settings, new DecisionLog(10_000, new JsonViews()),
                new MissingCrmUsers(), Clock.systemUTC());
            long requestsBefore = portal == null ? 0 : portal.requestCount();
            CaptureLoad.Result result;
            try (CaptureRounds rounds = new CaptureRounds(service, ROUND_SIZE, ROUND_WAIT, Thread::new)) {
                result = new CaptureLoad(rounds, Duration.ofSeconds(5), 8).run(mix.requests(mails), perSecond);
            }
            String requests = portal == null ? "-" : String.valueOf(portal.requestCount() - requestsBefore);
            int slowest = result.latencies().indexOf(result.percentile(100)) + 1; // the first mail pays the cold start
            System.out.printf(Locale.ROOT, "| %s | %d at %s/s | %d | %.1f | %s | %d ms | %d ms | %d ms | %d | %d |%n", crm, mails,
                perSecond, counted.rounds.get(), mails / (double) Math.max(1, counted.rounds.get()), requests,
                result.percentile(50).toMillis(), result.percentile(99).toMillis(), result.percentile(100).toMillis(), slowest,
                result.lost());
        } finally {
            if (portal != null) {
                portal.close();
            }
        }
    }

    /** Counts the rounds: each makes one lookup. */
    private static final class CountingRounds implements CrmConnector {
        private final CrmConnector crm;
        private final AtomicInteger rounds = new AtomicInteger();

        CountingRounds(CrmConnector crm) {
            this.crm = crm;
        }

        @Override
        public String name() {
            return crm.name();
        }

        @Override
        public CrmCapabilities capabilities() {
            return crm.capabilities();
        }

        @Override
        public void checkConnection() throws CrmException {
            crm.checkConnection();
        }

        @Override
        public CrmLookupResult lookUp(CrmLookup lookup) throws CrmException {
            rounds.incrementAndGet();
            return crm.lookUp(lookup);
        }

        @Override
        public List<WriteResult> write(List<WritePlan> plans) {
            return crm.write(plans);
        }

        @Override
        public Duration budgetWait(int captures, int arriving, Duration roundWait) {
            return crm.budgetWait(captures, arriving, roundWait);
        }
    }
}

package org.jamescrm.it.bench;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.jamescrm.bitrix24.Bitrix24Auth;
import org.jamescrm.bitrix24.Bitrix24Client;
import org.jamescrm.bitrix24.Bitrix24Configuration;
import org.jamescrm.bitrix24.Bitrix24Connector;
import org.jamescrm.capture.CaptureRequest;
import org.jamescrm.capture.CaptureRounds;
import org.jamescrm.capture.CaptureService;
import org.jamescrm.decisions.DecisionLog;
import org.jamescrm.decisions.DecisionRecord;
import org.jamescrm.decisions.JsonViews;
import org.jamescrm.capture.MissingCrmUsers;
import org.jamescrm.emulator.bitrix24.Bitrix24Emulator;

/**
 * The Bitrix24 load benchmark of docs/BENCHMARKS.md: the mixed mail of {@link MixedMail} offered at
 * a steady rate to the capture rounds, the Bitrix24 connector and a Bitrix24 emulator holding the
 * default limits of a portal (2 requests a second, burst 50). Reports captures per second, HTTP
 * requests per captured mail and the capture latency, and checks that nothing was lost or
 * duplicated. Run by {@code bin/benchmark load [mails] [mails per second] [round size] [round wait in ms]}.
 */
public final class CaptureLoadBenchmark {

    private CaptureLoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        // one JSON line per decision would drown the report
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(DecisionLog.class)).setLevel(ch.qos.logback.classic.Level.WARN);
        int mails = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        double perSecond = args.length > 1 ? Double.parseDouble(args[1]) : 60;
        int roundSize = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        Duration roundWait = Duration.ofMillis(args.length > 3 ? Long.parseLong(args[3]) : 3000);
        MixedMail mix = new MixedMail(500, "bench");
        try (Bitrix24Emulator portal = Bitrix24Emulator.builder().rateLimit(50, 2.0).start()) {
            mix.seed(portal);
            int seededActivities = portal.activities().size();
            Bitrix24Configuration configuration = Bitrix24Configuration.of(portal.portalUrl().toString(),
                new Bitrix24Auth.Webhook(portal.webhookUserId(), portal.webhookCode()));
            Bitrix24Connector connector = new Bitrix24Connector(Bitrix24Client.create(configuration), configuration.originatorId());
            connector.checkConnection(); // as the server does at start
            CaptureService service = new CaptureService(connector, mix::settings, new DecisionLog(10_000, new JsonViews()),
                new MissingCrmUsers(), Clock.systemUTC());
            List<CaptureRequest> requests = mix.requests(mails);
            long requestsBefore = portal.requestCount();
            CaptureLoad.Result result;
            try (CaptureRounds rounds = new CaptureRounds(service, roundSize, roundWait, Thread::new)) {
                result = new CaptureLoad(rounds, Duration.ofSeconds(5), 8).run(requests, perSecond);
            }
            long requestsMade = portal.requestCount() - requestsBefore;
            long captured = result.decisions().stream().filter(decision -> decision != null && decision.captured()).count();
            long newClients = java.util.stream.IntStream.range(0, mails).filter(n -> MixedMail.kind(n) == MixedMail.Kind.NEW_CLIENT).count();
            System.out.printf(Locale.ROOT, "%nBitrix24 capture load: %d mails offered at %s/s, round size %d, round wait %d ms, portal limit 2/s burst 50%n%n",
                mails, perSecond > 0 ? String.valueOf(perSecond) : "once", roundSize, roundWait.toMillis());
            System.out.println("| measure | value |");
            System.out.println("|---|---|");
            row("captured mails", String.valueOf(captured));
            row("captures per second (first hand-over to last decision)", String.format(Locale.ROOT, "%.1f", result.capturesPerSecond()));
            row("HTTP requests", String.valueOf(requestsMade));
            row("HTTP requests per captured mail", String.format(Locale.ROOT, "%.4f", requestsMade / (double) captured));
            row("capture latency p50", millis(result.percentile(50)));
            row("capture latency p99", millis(result.percentile(99)));
            row("capture latency max", millis(result.percentile(100)));
            row("requests refused by the portal (503 QUERY_LIMIT_EXCEEDED)", String.valueOf(portal.refusedCount("QUERY_LIMIT_EXCEEDED")));
            row("captures retried / lost", result.retries() + " / " + result.lost());
            row("leads created / new clients in the mix", portal.leads().size() + " / " + newClients);
            row("activities created / captured mails", (portal.activities().size() - seededActivities) + " / " + captured);
            row("outgoing e-mails the portal would have re-sent", String.valueOf(portal.resentOutgoingEmails().size()));
            List<Bitrix24Emulator.RecordedRequest> measured = portal.requests().subList((int) requestsBefore, portal.requests().size());
            long batches = measured.stream().filter(request -> request.method().equalsIgnoreCase("batch")).count();
            row("batch requests / commands per batch", batches + " / " + String.format(Locale.ROOT, "%.1f", measured.stream()
                .filter(request -> request.method().equalsIgnoreCase("batch")).mapToInt(Bitrix24Emulator.RecordedRequest::batchCommands)
                .average().orElse(0)));
            if (System.getProperty("bench.trace") != null) {
                measured.forEach(request -> System.out.println(request.arrivedAt() + " " + request.method() + " " + request.batchCommands()));
            }
            long skipped = result.decisions().stream().filter(decision -> decision != null && !decision.captured()).count();
            if (skipped > 0) {
                result.decisions().stream().filter(decision -> decision != null && !decision.captured()).limit(5)
                    .forEach(decision -> System.out.println("not captured: " + decision.reason() + " " + decision.detail()));
            }
        }
        System.exit(0); // OkHttp's pool threads would keep the JVM up for a minute
    }

    private static void row(String measure, String value) {
        System.out.println("| " + measure + " | " + value + " |");
    }

    private static String millis(Duration duration) {
        return duration.toMillis() + " ms";
    }
}

package org.jamescrm.it.bench;

import static org.jamescrm.it.bench.TimedConnector.millis;
import static org.jamescrm.it.bench.TimedConnector.row;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.jamescrm.capture.CaptureRequest;
import org.jamescrm.capture.CaptureRounds;
import org.jamescrm.capture.CaptureService;
import org.jamescrm.capture.MissingCrmUsers;
import org.jamescrm.decisions.DecisionLog;
import org.jamescrm.decisions.JsonViews;
import org.jamescrm.emulator.Call;
import org.jamescrm.emulator.espocrm.EspoCrmEmulator;
import org.jamescrm.espocrm.EspoCrmClient;
import org.jamescrm.espocrm.EspoCrmConfiguration;
import org.jamescrm.espocrm.EspoCrmConnector;


/**
 * The EspoCRM load benchmark of docs/BENCHMARKS.md: the mixed mail of {@link MixedMail} offered at a
 * steady rate to the capture rounds and the real EspoCRM connector, against the EspoCRM emulator over
 * HTTP on loopback answering every request after a constant latency, the connector allowing
 * {@code requestsInFlight} requests at once. EspoCRM has no batch API and no rate limit: the ceiling is
 * the requests in flight over the latency (4 / 20 ms = 200 requests a second) divided by the requests
 * per mail measured. Reports captures per second, requests per mail, the capture latency, lost and
 * duplicated captures and the emulator's violations, and the ceiling beside them. Run by
 * {@code bin/benchmark load espocrm [mails] [mails per second] [round size] [round wait in ms] [latency in ms] [requests in flight]}.
 */
public final class EspoCrmLoadBenchmark {

    private EspoCrmLoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(DecisionLog.class)).setLevel(ch.qos.logback.classic.Level.WARN);
        int mails = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        double perSecond = args.length > 1 ? Double.parseDouble(args[1]) : 150;
        int roundSize = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        Duration roundWait = Duration.ofMillis(args.length > 3 ? Long.parseLong(args[3]) : 3000);
        Duration latency = Duration.ofMillis(args.length > 4 ? Long.parseLong(args[4]) : 20);
        int requestsInFlight = args.length > 5 ? Integer.parseInt(args[5]) : 4;
        MixedMail mix = new MixedMail(500, "espobench");
        try (EspoCrmEmulator site = EspoCrmEmulator.builder().latency(latency).start()) {
            mix.seed(site);
            EspoCrmConnector espocrm = new EspoCrmConnector(new EspoCrmClient(new EspoCrmConfiguration(site.baseUrl().toString(),
                site.apiKey(), Optional.empty(), requestsInFlight, Duration.ofSeconds(30))), Clock.systemUTC());
            espocrm.checkConnection(); // as the server does at start
            TimedConnector connector = new TimedConnector(espocrm);
            CaptureService service = new CaptureService(connector, mix::settings, new DecisionLog(10_000, new JsonViews()),
                new MissingCrmUsers(), Clock.systemUTC());
            List<CaptureRequest> requests = mix.requests(mails);
            int callsBefore = site.calls().size();
            long requestsBefore = site.requestCount();
            CaptureLoad.Result result;
            try (CaptureRounds rounds = new CaptureRounds(service, roundSize, roundWait, Thread::new)) {
                result = new CaptureLoad(rounds, Duration.ofSeconds(5), 8).run(requests, perSecond);
            }
            long requestsMade = site.requestCount() - requestsBefore;
            List<Call> calls = site.calls().all().subList(callsBefore, site.calls().size());
            long captured = result.decisions().stream().filter(decision -> decision != null && decision.captured()).count();
            long newClients = IntStream.range(0, mails).filter(n -> MixedMail.kind(n) == MixedMail.Kind.NEW_CLIENT).count();
            Map<String, Long> perKey = site.records("Email").stream()
                .map(email -> email.path("cCaptureKey").asText(""))
                .filter(key -> key.endsWith("@mix.example>"))
                .collect(Collectors.groupingBy(key -> key, Collectors.counting()));
            long duplicated = perKey.values().stream().mapToLong(count -> count - 1).sum();
            long missing = mails - perKey.size();
            double elapsed = result.elapsed().toNanos() / 1e9;
            double perMail = requestsMade / (double) captured;
            double requestCeiling = requestsInFlight / (latency.toNanos() / 1e9);
            double ceiling = requestCeiling / perMail;
            double busy = calls.stream().mapToLong(call -> call.duration().toNanos()).sum() / 1e9;
            long lookupRequests = calls.stream().filter(call -> call.httpMethod().equals("GET")).count();

            System.out.printf(Locale.ROOT, "%nEspoCRM capture load: %d mails offered at %s/s, round size %d, round wait %d ms, "
                    + "latency %d ms per request, requestsInFlight %d%n%n", mails, perSecond > 0 ? String.valueOf(perSecond) : "once",
                roundSize, roundWait.toMillis(), latency.toMillis(), requestsInFlight);
            System.out.println("| measure | value |");
            System.out.println("|---|---|");
            row("captured mails", String.valueOf(captured));
            row("captures per second (first hand-over to last decision)", String.format(Locale.ROOT, "%.1f", result.capturesPerSecond()));
            row("HTTP requests", String.valueOf(requestsMade));
            row("HTTP requests per captured mail", String.format(Locale.ROOT, "%.3f", perMail));
            row("of which lookups (GET) / writes", lookupRequests + " / " + (calls.size() - lookupRequests));
            row("ceiling: " + requestsInFlight + " in flight / " + latency.toMillis() + " ms = "
                + String.format(Locale.ROOT, "%.0f", requestCeiling) + " requests/s, / requests per mail",
                String.format(Locale.ROOT, "%.1f mails/s", ceiling));
            row("achieved / ceiling", String.format(Locale.ROOT, "%.0f %%", 100 * result.capturesPerSecond() / ceiling));
            row("requests per second achieved", String.format(Locale.ROOT, "%.1f", requestsMade / elapsed));
            row("mean requests in flight (request time / elapsed)", String.format(Locale.ROOT, "%.2f", busy / elapsed));
            row("most requests in flight", String.valueOf(site.maxConcurrentRequests()));
            row("mean time a request spends in the emulator", String.format(Locale.ROOT, "%.1f ms", busy * 1000 / Math.max(1, calls.size())));
            row("requests per second while the rounds write", String.format(Locale.ROOT, "%.1f",
                (calls.size() - lookupRequests) / (connector.writeNanos.get() / 1e9)));
            row("capture latency p50", millis(result.percentile(50)));
            row("capture latency p99", millis(result.percentile(99)));
            row("capture latency max", millis(result.percentile(100)));
            row("rounds / mean captures per round", connector.rounds.get() + " / "
                + String.format(Locale.ROOT, "%.1f", connector.plans.get() / (double) Math.max(1, connector.rounds.get())));
            row("time in lookups / in writes / elapsed", String.format(Locale.ROOT, "%.1f s / %.1f s / %.1f s",
                connector.lookupNanos.get() / 1e9, connector.writeNanos.get() / 1e9, elapsed));
            row("captures retried / lost", result.retries() + " / " + result.lost());
            row("lost / duplicated (e-mails in the CRM per mail)", missing + " / " + duplicated);
            row("leads created / new clients in the mix", site.records("Lead").size() + " / " + newClients);
            row("emulator violations", String.valueOf(site.violations().all().size()));
            if (System.getProperty("bench.trace") != null) {
                calls.forEach(call -> System.out.println(call.arrivedAt() + " " + call.httpMethod() + " " + call.path() + " "
                    + call.duration().toMillis() + " ms"));
            }
            result.decisions().stream().filter(decision -> decision != null && !decision.captured()).limit(5)
                .forEach(decision -> System.out.println("not captured: " + decision.reason() + " " + decision.detail()));
        }
        System.exit(0); // OkHttp's pool threads would keep the JVM up for a minute
    }
}

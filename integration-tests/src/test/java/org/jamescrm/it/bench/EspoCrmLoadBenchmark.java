package org.jamescrm.it.bench;

import static org.jamescrm.it.bench.TimedConnector.row;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

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
        LoadRun.quietDecisionLog();
        LoadRun.Options options = LoadRun.Options.parse(args, 3000, 150, 300, 20);
        Duration latency = options.latency();
        int requestsInFlight = args.length > 5 ? Integer.parseInt(args[5]) : 4;
        MixedMail mix = new MixedMail(500, "espobench");
        try (EspoCrmEmulator site = EspoCrmEmulator.builder().latency(latency).start()) {
            mix.seed(site);
            EspoCrmConnector espocrm = new EspoCrmConnector(new EspoCrmClient(new EspoCrmConfiguration(site.baseUrl().toString(),
                site.apiKey(), Optional.empty(), requestsInFlight, Duration.ofSeconds(30))), Clock.systemUTC());
            espocrm.checkConnection(); // as the server does at start
            LoadRun run = LoadRun.run(options, site, espocrm, mix);
            long requestsMade = run.requests;
            List<Call> calls = run.calls;
            Map<String, Long> perKey = site.records("Email").stream()
                .map(email -> email.path("cCaptureKey").asText(""))
                .filter(key -> key.endsWith("@mix.example>"))
                .collect(Collectors.groupingBy(key -> key, Collectors.counting()));
            double perMail = requestsMade / (double) run.captured();
            double requestCeiling = requestsInFlight / (latency.toNanos() / 1e9);
            double ceiling = requestCeiling / perMail;
            long lookupRequests = calls.stream().filter(call -> call.httpMethod().equals("GET")).count();

            run.printOpening("EspoCRM", ", requestsInFlight " + requestsInFlight);
            row("HTTP requests", String.valueOf(requestsMade));
            row("HTTP requests per captured mail", String.format(Locale.ROOT, "%.3f", perMail));
            row("of which lookups (GET) / writes", lookupRequests + " / " + (calls.size() - lookupRequests));
            row("ceiling: " + requestsInFlight + " in flight / " + latency.toMillis() + " ms = "
                + String.format(Locale.ROOT, "%.0f", requestCeiling) + " requests/s, / requests per mail",
                String.format(Locale.ROOT, "%.1f mails/s", ceiling));
            row("achieved / ceiling", String.format(Locale.ROOT, "%.0f %%", 100 * run.result.capturesPerSecond() / ceiling));
            row("requests per second achieved", String.format(Locale.ROOT, "%.1f", requestsMade / run.elapsedSeconds()));
            run.printMeanInFlight();
            row("most requests in flight", String.valueOf(site.maxConcurrentRequests()));
            row("mean time a request spends in the emulator", String.format(Locale.ROOT, "%.1f ms",
                run.busySeconds() * 1000 / Math.max(1, calls.size())));
            row("requests per second while the rounds write", String.format(Locale.ROOT, "%.1f",
                (calls.size() - lookupRequests) / (run.connector.writeNanos.get() / 1e9)));
            run.printCaptures();
            run.printHeld(perKey, site.records("Lead").size());
            run.printClosing(call -> call.httpMethod() + " " + call.path());
        }
        System.exit(0); // OkHttp's pool threads would keep the JVM up for a minute
    }
}

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
import org.jamescrm.emulator.zoho.ZohoEmulator;
import org.jamescrm.zoho.ZohoClient;
import org.jamescrm.zoho.ZohoConfiguration;
import org.jamescrm.zoho.ZohoConnector;
import org.jamescrm.zoho.ZohoDataCentre;

/**
 * The Zoho load benchmark of docs/BENCHMARKS.md: the mixed mail of {@link MixedMail} offered at a steady
 * rate to the capture rounds and the real Zoho connector, against the Zoho emulator over HTTP on loopback
 * answering every request after a constant latency, behind the organisation's concurrency gate (the
 * connector keeping the same concurrency on its side). The ceiling is the concurrency over the latency
 * (10 / 100 ms = 100 requests a second) divided by the requests per mail measured; the daily credits
 * give a second ceiling, in mails a day. Reports captures per second, requests and credits per mail, the
 * capture latency, lost and duplicated captures and the emulator's violations. Run by
 * {@code bin/benchmark load zoho [mails] [mails per second] [round size] [round wait in ms] [latency in ms] [concurrency]}.
 */
public final class ZohoLoadBenchmark {
    /** The Standard edition's credits for ten users: 50,000 + 250 a user. */
    private static final long CREDITS_PER_DAY = 52_500;

    private ZohoLoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(DecisionLog.class)).setLevel(ch.qos.logback.classic.Level.WARN);
        int mails = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        double perSecond = args.length > 1 ? Double.parseDouble(args[1]) : 300;
        int roundSize = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        Duration roundWait = Duration.ofMillis(args.length > 3 ? Long.parseLong(args[3]) : 3000);
        Duration latency = Duration.ofMillis(args.length > 4 ? Long.parseLong(args[4]) : 100);
        int concurrency = args.length > 5 ? Integer.parseInt(args[5]) : 10;
        MixedMail mix = new MixedMail(500, "zohobench");
        try (ZohoEmulator org = ZohoEmulator.builder().latency(latency).concurrency(concurrency).creditsPerDay(CREDITS_PER_DAY).start()) {
            mix.seed(org);
            ZohoConfiguration configuration = new ZohoConfiguration(ZohoDataCentre.US, org.clientId(), org.clientSecret(), org.refreshToken(),
                Optional.of(org.accountsUrl()), Optional.empty(), concurrency, true, Duration.ofSeconds(30));
            ZohoConnector zoho = new ZohoConnector(new ZohoClient(configuration, Clock.systemUTC()), Clock.systemUTC());
            zoho.checkConnection(); // as the server does at start
            TimedConnector connector = new TimedConnector(zoho);
            CaptureService service = new CaptureService(connector, mix::settings, new DecisionLog(10_000, new JsonViews()),
                new MissingCrmUsers(), Clock.systemUTC());
            List<CaptureRequest> requests = mix.requests(mails);
            int callsBefore = org.calls().size();
            long requestsBefore = org.requestCount();
            long creditsBefore = org.creditsSpent();
            CaptureLoad.Result result;
            try (CaptureRounds rounds = new CaptureRounds(service, roundSize, roundWait, Thread::new)) {
                result = new CaptureLoad(rounds, Duration.ofSeconds(5), 8).run(requests, perSecond);
            }
            long requestsMade = org.requestCount() - requestsBefore;
            long creditsSpent = org.creditsSpent() - creditsBefore;
            List<Call> calls = org.calls().all().subList(callsBefore, org.calls().size());
            long captured = result.decisions().stream().filter(decision -> decision != null && decision.captured()).count();
            long newClients = IntStream.range(0, mails).filter(n -> MixedMail.kind(n) == MixedMail.Kind.NEW_CLIENT).count();
            Map<String, Long> perKey = org.emails().stream().map(email -> email.path("original_message_id").asText(""))
                .filter(key -> key.endsWith("@mix.example>")).collect(Collectors.groupingBy(key -> key, Collectors.counting()));
            long duplicated = perKey.values().stream().mapToLong(count -> count - 1).sum();
            long missing = mails - perKey.size();
            double elapsed = result.elapsed().toNanos() / 1e9;
            double perMail = requestsMade / (double) captured;
            double creditsPerMail = creditsSpent / (double) captured;
            double requestCeiling = concurrency / (latency.toNanos() / 1e9);
            double ceiling = requestCeiling / perMail;
            double busy = calls.stream().mapToLong(call -> call.duration().toNanos()).sum() / 1e9;
            Map<String, Long> byOperation = calls.stream().collect(Collectors.groupingBy(call -> call.operation()
                .replaceAll("^POST (Leads|Contacts|Deals|Accounts)/\\{id\\}/actions/", "POST {module}/{id}/actions/"),
                java.util.TreeMap::new, Collectors.counting()));

            System.out.printf(Locale.ROOT, "%nZoho capture load: %d mails offered at %s/s, round size %d, round wait %d ms, "
                    + "latency %d ms per request, concurrency %d%n%n", mails, perSecond > 0 ? String.valueOf(perSecond) : "once",
                roundSize, roundWait.toMillis(), latency.toMillis(), concurrency);
            System.out.println("| measure | value |");
            System.out.println("|---|---|");
            row("captured mails", String.valueOf(captured));
            row("captures per second (first hand-over to last decision)", String.format(Locale.ROOT, "%.1f", result.capturesPerSecond()));
            row("HTTP requests / API credits", requestsMade + " / " + creditsSpent);
            row("HTTP requests per captured mail", String.format(Locale.ROOT, "%.3f", perMail));
            row("API credits per captured mail", String.format(Locale.ROOT, "%.3f", creditsPerMail));
            row("ceiling: " + concurrency + " in flight / " + latency.toMillis() + " ms = "
                + String.format(Locale.ROOT, "%.0f", requestCeiling) + " requests/s, / requests per mail",
                String.format(Locale.ROOT, "%.1f mails/s", ceiling));
            row("achieved / ceiling", String.format(Locale.ROOT, "%.0f %%", 100 * result.capturesPerSecond() / ceiling));
            row("credit ceiling: " + CREDITS_PER_DAY + " credits a day / credits per mail",
                String.format(Locale.ROOT, "%.0f mails a day", CREDITS_PER_DAY / creditsPerMail));
            row("requests per second achieved", String.format(Locale.ROOT, "%.1f", requestsMade / elapsed));
            row("mean requests in flight (request time / elapsed)", String.format(Locale.ROOT, "%.2f", busy / elapsed));
            row("most requests in progress at once (the gate's peak)", String.valueOf(org.peakConcurrency()));
            row("refused by the gate (429)", String.valueOf(org.calls().countErrors("TOO_MANY_REQUESTS")));
            row("requests by operation", byOperation.entrySet().stream().map(entry -> entry.getKey() + ": " + entry.getValue())
                .collect(Collectors.joining(", ")));
            row("capture latency p50", millis(result.percentile(50)));
            row("capture latency p99", millis(result.percentile(99)));
            row("capture latency max", millis(result.percentile(100)));
            row("rounds / mean captures per round", connector.rounds.get() + " / "
                + String.format(Locale.ROOT, "%.1f", connector.plans.get() / (double) Math.max(1, connector.rounds.get())));
            row("time in lookups / in writes / elapsed", String.format(Locale.ROOT, "%.1f s / %.1f s / %.1f s",
                connector.lookupNanos.get() / 1e9, connector.writeNanos.get() / 1e9, elapsed));
            row("captures retried / lost", result.retries() + " / " + result.lost());
            row("lost / duplicated (e-mails in the CRM per mail)", missing + " / " + duplicated);
            row("leads created / new clients in the mix", org.records("Leads").size() + " / " + newClients);
            row("access tokens asked for", String.valueOf(org.tokensIssued()));
            row("emulator violations", String.valueOf(org.violations().all().size()));
            if (System.getProperty("bench.trace") != null) {
                calls.forEach(call -> System.out.println(call.arrivedAt() + " " + call.operation() + " " + call.duration().toMillis() + " ms"));
            }
            result.decisions().stream().filter(decision -> decision != null && !decision.captured()).limit(5)
                .forEach(decision -> System.out.println("not captured: " + decision.reason() + " " + decision.detail()));
        }
        System.exit(0); // OkHttp's pool threads would keep the JVM up for a minute
    }
}

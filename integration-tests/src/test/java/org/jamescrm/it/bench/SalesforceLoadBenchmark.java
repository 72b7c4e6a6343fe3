package org.jamescrm.it.bench;

import static org.jamescrm.it.bench.TimedConnector.millis;
import static org.jamescrm.it.bench.TimedConnector.row;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.jamescrm.capture.CaptureRequest;
import org.jamescrm.capture.CaptureRounds;
import org.jamescrm.capture.CaptureService;
import org.jamescrm.capture.MissingCrmUsers;
import org.jamescrm.decisions.DecisionLog;
import org.jamescrm.decisions.JsonViews;
import org.jamescrm.emulator.Call;
import org.jamescrm.emulator.salesforce.SalesforceEmulator;
import org.jamescrm.it.SalesforceKeys;
import org.jamescrm.salesforce.SalesforceClient;
import org.jamescrm.salesforce.SalesforceConfiguration;
import org.jamescrm.salesforce.SalesforceConnector;

/**
 * The Salesforce load benchmark of docs/BENCHMARKS.md: the mixed mail of {@link MixedMail} offered at a steady rate
 * to the capture rounds and the real Salesforce connector (JWT bearer flow), against the Salesforce emulator over HTTP
 * on loopback answering every request after a constant latency, with an Enterprise org's defaults (100,000 API
 * requests a rolling 24 hours, 25 concurrent requests). Salesforce limits requests, not their size: the figure is the
 * API calls per captured mail (the target is at most 0.05: one sObject Collections call carries 200 records). The
 * ceilings beside it: a round's requests go one after another and rounds one at a time, so one request per latency
 * over the calls per mail; and the daily budget over the calls per mail, sustained for a day. Run by
 * {@code bin/benchmark load salesforce [mails] [mails per second] [round size] [round wait in ms] [latency in ms]}.
 */
public final class SalesforceLoadBenchmark {
    private static final long DAILY_API_REQUESTS = 100_000;

    private SalesforceLoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(DecisionLog.class)).setLevel(ch.qos.logback.classic.Level.WARN);
        int mails = args.length > 0 ? Integer.parseInt(args[0]) : 6000;
        double perSecond = args.length > 1 ? Double.parseDouble(args[1]) : 1000;
        int roundSize = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        Duration roundWait = Duration.ofMillis(args.length > 3 ? Long.parseLong(args[3]) : 3000);
        Duration latency = Duration.ofMillis(args.length > 4 ? Long.parseLong(args[4]) : 20);
        MixedMail mix = new MixedMail(500, "sfbench");
        try (SalesforceEmulator org = SalesforceEmulator.builder().latency(latency).dailyApiRequests(DAILY_API_REQUESTS).start()) {
            mix.seed(org);
            SalesforceConfiguration configuration = SalesforceConfiguration.jwt(org.loginUrl(), org.clientId(), org.username(),
                org.privateKeyPem());
            SalesforceConnector salesforce = new SalesforceConnector(new SalesforceClient(configuration, Clock.systemUTC()), configuration,
                Clock.systemUTC());
            salesforce.checkConnection(); // as the server does at start
            TimedConnector connector = new TimedConnector(salesforce);
            CaptureService service = new CaptureService(connector, mix::settings, new DecisionLog(10_000, new JsonViews()),
                new MissingCrmUsers(), Clock.systemUTC());
            List<CaptureRequest> requests = mix.requests(mails);
            int callsBefore = org.calls().size();
            long apiBefore = org.apiCalls();
            CaptureLoad.Result result;
            try (CaptureRounds rounds = new CaptureRounds(service, roundSize, roundWait, Thread::new)) {
                result = new CaptureLoad(rounds, Duration.ofSeconds(5), 8).run(requests, perSecond);
            }
            long apiCalls = org.apiCalls() - apiBefore;
            List<Call> calls = org.calls().all().subList(callsBefore, org.calls().size());
            long captured = result.decisions().stream().filter(decision -> decision != null && decision.captured()).count();
            long newClients = IntStream.range(0, mails).filter(n -> MixedMail.kind(n) == MixedMail.Kind.NEW_CLIENT).count();
            Map<String, String> keys = IntStream.range(0, mails).mapToObj(n -> "<sfbench-" + n + "@mix.example>")
                .collect(Collectors.toMap(SalesforceKeys::hash, key -> key));
            Map<String, Long> perKey = org.records("EmailMessage").stream().map(email -> email.path("Capture_Key__c").asText(""))
                .filter(keys::containsKey).collect(Collectors.groupingBy(key -> key, Collectors.counting()));
            long duplicated = perKey.values().stream().mapToLong(count -> count - 1).sum();
            long missing = mails - perKey.size();
            double elapsed = result.elapsed().toNanos() / 1e9;
            double perMail = apiCalls / (double) captured;
            double latencyCeiling = (1 / (latency.toNanos() / 1e9)) / perMail;
            double dailyCeiling = DAILY_API_REQUESTS / perMail;
            double busy = calls.stream().mapToLong(call -> call.duration().toNanos()).sum() / 1e9;
            long tokens = calls.stream().filter(call -> call.operation().equals("token")).count();

            System.out.printf(Locale.ROOT, "%nSalesforce capture load: %d mails offered at %s/s, round size %d, round wait %d ms, "
                    + "latency %d ms per request, daily budget %d API requests%n%n", mails, perSecond > 0 ? String.valueOf(perSecond) : "once",
                roundSize, roundWait.toMillis(), latency.toMillis(), DAILY_API_REQUESTS);
            System.out.println("| measure | value |");
            System.out.println("|---|---|");
            row("captured mails", String.valueOf(captured));
            row("captures per second (first hand-over to last decision)", String.format(Locale.ROOT, "%.1f", result.capturesPerSecond()));
            row("API calls (each counts against the daily budget) / token requests", apiCalls + " / " + tokens);
            row("API calls per captured mail (target at most 0.05)", String.format(Locale.ROOT, "%.4f", perMail));
            row("of which composite (lookups) / collections (writes) / other", count(calls, "composite") + " / "
                + (count(calls, "collections create") + count(calls, "collections upsert")) + " / "
                + (apiCalls - count(calls, "composite") - count(calls, "collections create") - count(calls, "collections upsert")));
            row("ceiling: 1 request at a time / " + latency.toMillis() + " ms / API calls per mail",
                String.format(Locale.ROOT, "%.0f mails/s", latencyCeiling));
            row("achieved / ceiling", String.format(Locale.ROOT, "%.0f %%", 100 * result.capturesPerSecond() / latencyCeiling));
            row("daily budget's ceiling: " + DAILY_API_REQUESTS + " calls a day / API calls per mail",
                String.format(Locale.ROOT, "%.0f mails a day (%.1f mails/s sustained)", dailyCeiling, dailyCeiling / 86_400));
            row("mean requests in flight (request time / elapsed)", String.format(Locale.ROOT, "%.2f", busy / elapsed));
            row("most requests in flight", String.valueOf(org.maxConcurrentRequests()));
            row("capture latency p50", millis(result.percentile(50)));
            row("capture latency p99", millis(result.percentile(99)));
            row("capture latency max", millis(result.percentile(100)));
            row("rounds / mean captures per round", connector.rounds.get() + " / "
                + String.format(Locale.ROOT, "%.1f", connector.plans.get() / (double) Math.max(1, connector.rounds.get())));
            row("time in lookups / in writes / elapsed", String.format(Locale.ROOT, "%.1f s / %.1f s / %.1f s",
                connector.lookupNanos.get() / 1e9, connector.writeNanos.get() / 1e9, elapsed));
            row("captures retried / lost", result.retries() + " / " + result.lost());
            row("lost / duplicated (e-mails in the CRM per mail)", missing + " / " + duplicated);
            row("leads created / new clients in the mix", org.records("Lead").size() + " / " + newClients);
            row("emulator violations", String.valueOf(org.violations().all().size()));
            if (System.getProperty("bench.trace") != null) {
                calls.forEach(call -> System.out.println(call.arrivedAt() + " " + call.operation() + " " + call.duration().toMillis() + " ms"));
            }
            result.decisions().stream().filter(decision -> decision != null && !decision.captured()).limit(5)
                .forEach(decision -> System.out.println("not captured: " + decision.reason() + " " + decision.detail()));
        }
        System.exit(0); // OkHttp's pool threads would keep the JVM up for a minute
    }

    private static long count(List<Call> calls, String operation) {
        return calls.stream().filter(call -> call.operation().equals(operation)).count();
    }
}

package org.jamescrm.it.bench;

import static org.jamescrm.it.bench.TimedConnector.row;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

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
        LoadRun.quietDecisionLog();
        LoadRun.Options options = LoadRun.Options.parse(args, 6000, 1000, 200, 20);
        Duration latency = options.latency();
        MixedMail mix = new MixedMail(500, "sfbench");
        try (SalesforceEmulator org = SalesforceEmulator.builder().latency(latency).dailyApiRequests(DAILY_API_REQUESTS).start()) {
            mix.seed(org);
            SalesforceConfiguration configuration = SalesforceConfiguration.jwt(org.loginUrl(), org.clientId(), org.username(),
                org.privateKeyPem());
            SalesforceConnector salesforce = new SalesforceConnector(new SalesforceClient(configuration, Clock.systemUTC()), configuration,
                Clock.systemUTC());
            salesforce.checkConnection(); // as the server does at start
            long apiBefore = org.apiCalls();
            LoadRun run = LoadRun.run(options, org, salesforce, mix);
            long apiCalls = org.apiCalls() - apiBefore;
            List<Call> calls = run.calls;
            Map<String, String> keys = IntStream.range(0, options.mails()).mapToObj(n -> "<sfbench-" + n + "@mix.example>")
                .collect(Collectors.toMap(SalesforceKeys::hash, key -> key));
            Map<String, Long> perKey = org.records("EmailMessage").stream().map(email -> email.path("Capture_Key__c").asText(""))
                .filter(keys::containsKey).collect(Collectors.groupingBy(key -> key, Collectors.counting()));
            double perMail = apiCalls / (double) run.captured();
            double latencyCeiling = (1 / (latency.toNanos() / 1e9)) / perMail;
            double dailyCeiling = DAILY_API_REQUESTS / perMail;
            long tokens = calls.stream().filter(call -> call.operation().equals("token")).count();

            run.printOpening("Salesforce", ", daily budget " + DAILY_API_REQUESTS + " API requests");
            row("API calls (each counts against the daily budget) / token requests", apiCalls + " / " + tokens);
            row("API calls per captured mail (target at most 0.05)", String.format(Locale.ROOT, "%.4f", perMail));
            row("of which composite (lookups) / collections (writes) / other", count(calls, "composite") + " / "
                + (count(calls, "collections create") + count(calls, "collections upsert")) + " / "
                + (apiCalls - count(calls, "composite") - count(calls, "collections create") - count(calls, "collections upsert")));
            row("ceiling: 1 request at a time / " + latency.toMillis() + " ms / API calls per mail",
                String.format(Locale.ROOT, "%.0f mails/s", latencyCeiling));
            row("achieved / ceiling", String.format(Locale.ROOT, "%.0f %%", 100 * run.result.capturesPerSecond() / latencyCeiling));
            row("daily budget's ceiling: " + DAILY_API_REQUESTS + " calls a day / API calls per mail",
                String.format(Locale.ROOT, "%.0f mails a day (%.1f mails/s sustained)", dailyCeiling, dailyCeiling / 86_400));
            run.printMeanInFlight();
            row("most requests in flight", String.valueOf(org.maxConcurrentRequests()));
            run.printCaptures();
            run.printHeld(perKey, org.records("Lead").size());
            run.printClosing(Call::operation);
        }
        System.exit(0); // OkHttp's pool threads would keep the JVM up for a minute
    }

    private static long count(List<Call> calls, String operation) {
        return calls.stream().filter(call -> call.operation().equals(operation)).count();
    }
}

package org.jamescrm.it.bench;

import static org.jamescrm.it.bench.TimedConnector.row;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

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
        LoadRun.quietDecisionLog();
        LoadRun.Options options = LoadRun.Options.parse(args, 3000, 300, 300, 100);
        Duration latency = options.latency();
        int concurrency = args.length > 5 ? Integer.parseInt(args[5]) : 10;
        MixedMail mix = new MixedMail(500, "zohobench");
        try (ZohoEmulator org = ZohoEmulator.builder().latency(latency).concurrency(concurrency).creditsPerDay(CREDITS_PER_DAY).start()) {
            mix.seed(org);
            ZohoConfiguration configuration = new ZohoConfiguration(ZohoDataCentre.US, org.clientId(), org.clientSecret(), org.refreshToken(),
                Optional.of(org.accountsUrl()), Optional.empty(), concurrency, true, Duration.ofSeconds(30));
            ZohoConnector zoho = new ZohoConnector(new ZohoClient(configuration, Clock.systemUTC()), Clock.systemUTC());
            zoho.checkConnection(); // as the server does at start
            long creditsBefore = org.creditsSpent();
            LoadRun run = LoadRun.run(options, org, zoho, mix);
            long requestsMade = run.requests;
            long creditsSpent = org.creditsSpent() - creditsBefore;
            Map<String, Long> perKey = org.emails().stream().map(email -> email.path("original_message_id").asText(""))
                .filter(key -> key.endsWith("@mix.example>")).collect(Collectors.groupingBy(key -> key, Collectors.counting()));
            double perMail = requestsMade / (double) run.captured();
            double creditsPerMail = creditsSpent / (double) run.captured();
            double requestCeiling = concurrency / (latency.toNanos() / 1e9);
            double ceiling = requestCeiling / perMail;
            Map<String, Long> byOperation = run.calls.stream().collect(Collectors.groupingBy(call -> call.operation()
                .replaceAll("^POST (Leads|Contacts|Deals|Accounts)/\\{id\\}/actions/", "POST {module}/{id}/actions/"),
                java.util.TreeMap::new, Collectors.counting()));

            run.printOpening("Zoho", ", concurrency " + concurrency);
            row("HTTP requests / API credits", requestsMade + " / " + creditsSpent);
            row("HTTP requests per captured mail", String.format(Locale.ROOT, "%.3f", perMail));
            row("API credits per captured mail", String.format(Locale.ROOT, "%.3f", creditsPerMail));
            row("ceiling: " + concurrency + " in flight / " + latency.toMillis() + " ms = "
                + String.format(Locale.ROOT, "%.0f", requestCeiling) + " requests/s, / requests per mail",
                String.format(Locale.ROOT, "%.1f mails/s", ceiling));
            row("achieved / ceiling", String.format(Locale.ROOT, "%.0f %%", 100 * run.result.capturesPerSecond() / ceiling));
            row("credit ceiling: " + CREDITS_PER_DAY + " credits a day / credits per mail",
                String.format(Locale.ROOT, "%.0f mails a day", CREDITS_PER_DAY / creditsPerMail));
            row("requests per second achieved", String.format(Locale.ROOT, "%.1f", requestsMade / run.elapsedSeconds()));
            run.printMeanInFlight();
            row("most requests in progress at once (the gate's peak)", String.valueOf(org.peakConcurrency()));
            row("refused by the gate (429)", String.valueOf(org.calls().countErrors("TOO_MANY_REQUESTS")));
            row("requests by operation", byOperation.entrySet().stream().map(entry -> entry.getKey() + ": " + entry.getValue())
                .collect(Collectors.joining(", ")));
            run.printCaptures();
            run.printHeld(perKey, org.records("Leads").size());
            row("access tokens asked for", String.valueOf(org.tokensIssued()));
            run.printClosing(Call::operation);
        }
        System.exit(0); // OkHttp's pool threads would keep the JVM up for a minute
    }
}

package org.jamescrm.it.bench;

import static org.jamescrm.it.bench.TimedConnector.millis;
import static org.jamescrm.it.bench.TimedConnector.row;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;

import org.jamescrm.capture.CaptureRequest;
import org.jamescrm.capture.CaptureRounds;
import org.jamescrm.capture.CaptureService;
import org.jamescrm.capture.MissingCrmUsers;
import org.jamescrm.decisions.DecisionLog;
import org.jamescrm.decisions.JsonViews;
import org.jamescrm.emulator.Call;
import org.jamescrm.emulator.HttpEmulator;
import org.jamescrm.spi.CrmConnector;

/**
 * One run of a CRM's load benchmark over HTTP (Salesforce, Zoho, EspoCRM): the mixed mail of {@link MixedMail}
 * offered at a steady rate to the capture rounds and the CRM's real connector against its emulator, and the
 * rows of the report every such benchmark gives. What a CRM limits (budget, credits, requests in flight) and
 * its ceilings are its benchmark's own rows.
 */
final class LoadRun {
    /** The command line shared by the load benchmarks: mails, mails per second, round size, round wait in ms, latency in ms. */
    record Options(int mails, double perSecond, int roundSize, Duration roundWait, Duration latency) {

        /** The first five arguments, each defaulting to its value here (the round wait to 3 seconds). */
        static Options parse(String[] args, int mails, double perSecond, int roundSize, long latencyMillis) {
            return new Options(args.length > 0 ? Integer.parseInt(args[0]) : mails,
                args.length > 1 ? Double.parseDouble(args[1]) : perSecond,
                args.length > 2 ? Integer.parseInt(args[2]) : roundSize,
                Duration.ofMillis(args.length > 3 ? Long.parseLong(args[3]) : 3000),
                Duration.ofMillis(args.length > 4 ? Long.parseLong(args[4]) : latencyMillis));
        }

        /** The first line of the report: what was offered, and how. */
        String describe(String crm) {
            return String.format(Locale.ROOT, "%s capture load: %d mails offered at %s/s, round size %d, round wait %d ms, "
                + "latency %d ms per request", crm, mails, perSecond > 0 ? String.valueOf(perSecond) : "once", roundSize,
                roundWait.toMillis(), latency.toMillis());
        }
    }

    final Options options;
    final TimedConnector connector;
    final CaptureLoad.Result result;
    /** The emulator's calls during the run. */
    final List<Call> calls;
    /** The HTTP requests the emulator received during the run. */
    final long requests;
    private final HttpEmulator emulator;

    private LoadRun(Options options, HttpEmulator emulator, TimedConnector connector, CaptureLoad.Result result, List<Call> calls,
                    long requests) {
        this.options = options;
        this.emulator = emulator;
        this.connector = connector;
        this.result = result;
        this.calls = calls;
        this.requests = requests;
    }

    /** Keeps a decision per mail out of the output: the report is the table. */
    static void quietDecisionLog() {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(DecisionLog.class)).setLevel(ch.qos.logback.classic.Level.WARN);
    }

    /** Offers the mix's mail to the capture rounds over {@code crm}, connected to {@code emulator}, and waits for every decision. */
    static LoadRun run(Options options, HttpEmulator emulator, CrmConnector crm, MixedMail mix) throws InterruptedException {
        TimedConnector connector = new TimedConnector(crm);
        CaptureService service = new CaptureService(connector, mix::settings, new DecisionLog(10_000, new JsonViews()),
            new MissingCrmUsers(), Clock.systemUTC());
        List<CaptureRequest> requests = mix.requests(options.mails());
        int callsBefore = emulator.calls().size();
        long requestsBefore = emulator.requestCount();
        CaptureLoad.Result result;
        try (CaptureRounds rounds = new CaptureRounds(service, options.roundSize(), options.roundWait(), Thread::new)) {
            result = new CaptureLoad(rounds, Duration.ofSeconds(5), 8).run(requests, options.perSecond());
        }
        long requestsMade = emulator.requestCount() - requestsBefore;
        List<Call> calls = emulator.calls().all().subList(callsBefore, emulator.calls().size());
        return new LoadRun(options, emulator, connector, result, calls, requestsMade);
    }

    /** The mails captured. */
    long captured() {
        return result.decisions().stream().filter(decision -> decision != null && decision.captured()).count();
    }

    /** The first hand-over to the last decision, in seconds. */
    double elapsedSeconds() {
        return result.elapsed().toNanos() / 1e9;
    }

    /** The opening of the report: its first line, {@code more} (the CRM's settings), the table's head and the captures. */
    void printOpening(String crm, String more) {
        System.out.printf(Locale.ROOT, "%n%s%s%n%n", options.describe(crm), more);
        System.out.println("| measure | value |");
        System.out.println("|---|---|");
        row("captured mails", String.valueOf(captured()));
        row("captures per second (first hand-over to last decision)", String.format(Locale.ROOT, "%.1f", result.capturesPerSecond()));
    }

    /** The requests in flight on average: their time in the emulator over the elapsed time. */
    void printMeanInFlight() {
        row("mean requests in flight (request time / elapsed)", String.format(Locale.ROOT, "%.2f", busySeconds() / elapsedSeconds()));
    }

    /** The time the requests spent in the emulator, in seconds. */
    double busySeconds() {
        return calls.stream().mapToLong(call -> call.duration().toNanos()).sum() / 1e9;
    }

    /** The capture latencies, the rounds and the time in them, the retries and the captures lost. */
    void printCaptures() {
        row("capture latency p50", millis(result.percentile(50)));
        row("capture latency p99", millis(result.percentile(99)));
        row("capture latency max", millis(result.percentile(100)));
        row("rounds / mean captures per round", connector.rounds.get() + " / "
            + String.format(Locale.ROOT, "%.1f", connector.plans.get() / (double) Math.max(1, connector.rounds.get())));
        row("time in lookups / in writes / elapsed", String.format(Locale.ROOT, "%.1f s / %.1f s / %.1f s",
            connector.lookupNanos.get() / 1e9, connector.writeNanos.get() / 1e9, elapsedSeconds()));
        row("captures retried / lost", result.retries() + " / " + result.lost());
    }

    /** What the CRM holds: {@code emailsPerKey} (the e-mails of each mail of the mix) and the {@code leads} created. */
    void printHeld(Map<String, Long> emailsPerKey, int leads) {
        long duplicated = emailsPerKey.values().stream().mapToLong(count -> count - 1).sum();
        long missing = options.mails() - emailsPerKey.size();
        long newClients = IntStream.range(0, options.mails()).filter(n -> MixedMail.kind(n) == MixedMail.Kind.NEW_CLIENT).count();
        row("lost / duplicated (e-mails in the CRM per mail)", missing + " / " + duplicated);
        row("leads created / new clients in the mix", leads + " / " + newClients);
    }

    /**
     * The emulator's violations, then every call (as {@code trace} words it) when {@code -Dbench.trace} is set,
     * and the first mails not captured.
     */
    void printClosing(Function<Call, String> trace) {
        row("emulator violations", String.valueOf(emulator.violations().all().size()));
        if (System.getProperty("bench.trace") != null) {
            calls.forEach(call -> System.out.println(call.arrivedAt() + " " + trace.apply(call) + " " + call.duration().toMillis() + " ms"));
        }
        result.decisions().stream().filter(decision -> decision != null && !decision.captured()).limit(5)
            .forEach(decision -> System.out.println("not captured: " + decision.reason() + " " + decision.detail()));
    }
}

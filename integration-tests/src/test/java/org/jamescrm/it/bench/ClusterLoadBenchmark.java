package org.jamescrm.it.bench;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jamescrm.bitrix24.Bitrix24Auth;
import org.jamescrm.bitrix24.Bitrix24Client;
import org.jamescrm.bitrix24.Bitrix24Configuration;
import org.jamescrm.bitrix24.Bitrix24Connector;
import org.jamescrm.capture.CaptureMetrics;
import org.jamescrm.capture.CaptureRequest;
import org.jamescrm.capture.CaptureRounds;
import org.jamescrm.capture.CaptureService;
import org.jamescrm.capture.MissingCrmUsers;
import org.jamescrm.decisions.DecisionLog;
import org.jamescrm.decisions.JsonViews;
import org.jamescrm.emulator.bitrix24.Bitrix24Emulator;
import org.jamescrm.settings.StoreSettings;
import org.jamescrm.store.postgresql.PostgresCaptureStore;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The Bitrix24 load of {@link CaptureLoadBenchmark} spread over {@code nodes} servers of a cluster:
 * each its own connector and capture rounds, all sharing one PostgreSQL store (an embedded one) and
 * one portal at its default limits (2 requests a second, burst 50). A mail goes to a server by its
 * capture key, as an MX or RabbitMQ would spread it. Reports what one server reports, for the whole
 * cluster. Run by {@code bin/benchmark cluster [nodes] [mails] [mails per second] [round wait in ms]}.
 */
public final class ClusterLoadBenchmark {

    private ClusterLoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(DecisionLog.class)).setLevel(ch.qos.logback.classic.Level.WARN);
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int mails = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        double perSecond = args.length > 2 ? Double.parseDouble(args[2]) : 60;
        Duration roundWait = Duration.ofMillis(args.length > 3 ? Long.parseLong(args[3]) : 3000);
        MixedMail mix = new MixedMail(500, "bench");
        JsonViews json = new JsonViews();
        Clock clock = Clock.systemUTC();
        try (EmbeddedPostgres database = start(); Bitrix24Emulator portal = Bitrix24Emulator.builder().rateLimit(50, 2.0).start()) {
            mix.seed(portal);
            int seededActivities = portal.activities().size();
            StoreSettings.PostgreSql storeSettings = new StoreSettings.PostgreSql(database.getJdbcUrl("postgres", "postgres"), "postgres", "",
                4, 100_000, Duration.ofDays(1));
            Bitrix24Configuration configuration = Bitrix24Configuration.of(portal.portalUrl().toString(),
                new Bitrix24Auth.Webhook(portal.webhookUserId(), portal.webhookCode()));
            List<PostgresCaptureStore> stores = new ArrayList<>();
            List<CaptureRounds> servers = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                PostgresCaptureStore store = PostgresCaptureStore.open(storeSettings, json, clock);
                stores.add(store);
                Bitrix24Connector connector = new Bitrix24Connector(Bitrix24Client.create(configuration, store), configuration.originatorId());
                connector.checkConnection();
                CaptureService service = new CaptureService(connector, mix::settings, new DecisionLog(10_000, json, store.decisions()),
                    new MissingCrmUsers(), store, CaptureMetrics.NONE, clock, mail -> { });
                servers.add(new CaptureRounds(service, 300, roundWait, Thread::new));
            }
            List<CaptureRequest> requests = mix.requests(mails);
            long requestsBefore = portal.requestCount();
            CaptureLoad.Result result = new CaptureLoad(request -> servers.get(Math.floorMod(request.facts().captureKey().hashCode(), nodes))
                .submit(request), Duration.ofSeconds(5), 8).run(requests, perSecond);
            servers.forEach(CaptureRounds::close);
            long requestsMade = portal.requestCount() - requestsBefore;
            long captured = result.decisions().stream().filter(decision -> decision != null && decision.captured()).count();
            System.out.printf(Locale.ROOT, "%nBitrix24 capture load on %d server(s) sharing one PostgreSQL store: %d mails offered at %s/s, "
                + "round size 300, round wait %d ms, portal limit 2/s burst 50%n%n", nodes, mails, perSecond, roundWait.toMillis());
            System.out.println("| measure | value |");
            System.out.println("|---|---|");
            row("captured mails", String.valueOf(captured));
            row("captures per second (first hand-over to last decision)", String.format(Locale.ROOT, "%.1f", result.capturesPerSecond()));
            row("HTTP requests per captured mail", String.format(Locale.ROOT, "%.4f", requestsMade / (double) captured));
            row("capture latency p50 / p99", result.percentile(50).toMillis() + " ms / " + result.percentile(99).toMillis() + " ms");
            row("requests refused by the portal (QUERY_LIMIT_EXCEEDED)", String.valueOf(portal.refusedCount("QUERY_LIMIT_EXCEEDED")));
            row("captures retried / lost", result.retries() + " / " + result.lost());
            row("activities created / captured mails", (portal.activities().size() - seededActivities) + " / " + captured);
            stores.forEach(PostgresCaptureStore::close);
        }
        System.exit(0); // OkHttp's pool threads would keep the JVM up for a minute
    }

    private static EmbeddedPostgres start() throws IOException {
        return EmbeddedPostgres.builder().start();
    }

    private static void row(String measure, String value) {
        System.out.println("| " + measure + " | " + value + " |");
    }
}

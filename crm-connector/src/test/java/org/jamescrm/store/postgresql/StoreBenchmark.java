package org.jamescrm.store.postgresql;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.jamescrm.bitrix24.LeakyBucket;
import org.jamescrm.store.FileRoundRobinPositions;
import org.jamescrm.decisions.DecisionRecord;
import org.jamescrm.decisions.FileDecisionStore;
import org.jamescrm.decisions.JsonViews;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.rules.Direction;
import org.jamescrm.rules.ReasonCode;
import org.jamescrm.settings.FloodLimit;
import org.jamescrm.settings.StoreSettings;
import org.jamescrm.store.CaptureStore;
import org.jamescrm.store.FloodCounters;
import org.jamescrm.spi.RequestBudget;

import com.zaxxer.hikari.HikariDataSource;

/**
 * The store's cost per capture, {@code local} against {@code postgresql} (an embedded PostgreSQL on
 * this machine): what the capture asks of the store for one new lead of a round-robin group mailbox
 * (claim the key, count the client, read and take the turn, mark the key captured, keep the
 * decision) and, apart, for one CRM request (the request budget). Round trips are counted on the
 * connections; the decisions, written in the background in batches, count with what they add per capture. {@code bin/benchmark store [captures]}; the figures go to docs/BENCHMARKS.md.
 */
public final class StoreBenchmark {
    private static final EmailAddress GROUP = EmailAddress.of("sales@company.example");
    private static final FloodLimit FLOOD = FloodLimit.defaults();

    private StoreBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int captures = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        JsonViews json = new JsonViews();
        Clock clock = Clock.systemUTC();
        Path folder = Files.createTempDirectory("store-benchmark");
        try (CaptureStore local = CaptureStore.local(new FileRoundRobinPositions(folder.resolve("round-robin.properties")),
            new FileDecisionStore(folder.resolve("decisions.jsonl"), 10_000, json), clock);
             TestDatabases databases = new TestDatabases()) {
            StoreSettings.PostgreSql database = databases.fresh();
            HikariDataSource pool = PostgresCaptureStore.pool(database);
            PostgresCaptureStore.migrate(pool);
            AtomicLong roundTrips = new AtomicLong();
            try (PostgresCaptureStore postgresql = new PostgresCaptureStore(counting(pool, roundTrips), pool, PostgresCaptureStore.nodeName(),
                database, json, clock)) {
                System.out.printf("%d captures of a new lead in a round-robin group mailbox, one thread, after %d to warm up%n",
                    captures, captures);
                report("local", local, captures, new AtomicLong());
                report("postgresql", postgresql, captures, roundTrips);
            }
        }
    }

    private static void report(String name, CaptureStore store, int captures, AtomicLong roundTrips) throws InterruptedException {
        run(store, captures, "warm-up-");
        roundTrips.set(0);
        long[] nanos = run(store, captures, "");
        if (store.decisions() instanceof PostgresDecisionStore decisions && !decisions.flush(java.time.Duration.ofMinutes(1))) {
            throw new IllegalStateException("the decisions were not written within a minute");
        }
        double perCapture = (double) roundTrips.getAndSet(0) / captures;
        RequestBudget budget = store.requestBudgets().budget("bitrix24 bench", 1_000_000, 1_000_000,
            () -> new LeakyBucket(1_000_000, 1_000_000, Clock.systemUTC(), duration -> { }));
        long[] requests = new long[captures];
        for (int i = 0; i < captures; i++) {
            long start = System.nanoTime();
            budget.reserve();
            requests[i] = System.nanoTime() - start;
        }
        System.out.printf("%-10s per capture: mean %7.1f µs, median %7.1f µs, p99 %7.1f µs, %.1f round trips"
                + " | per CRM request (budget): mean %6.1f µs, %.1f round trips%n", name, mean(nanos), percentile(nanos, 50),
            percentile(nanos, 99), perCapture, mean(requests), (double) roundTrips.get() / captures);
    }

    /** What the capture asks of the store for each of {@code captures} new leads; the time of each. */
    private static long[] run(CaptureStore store, int captures, String prefix) {
        long[] nanos = new long[captures];
        for (int i = 0; i < captures; i++) {
            String key = "<" + prefix + i + "@client.example>";
            EmailAddress client = EmailAddress.of(prefix + "client" + i + "@client.example");
            long start = System.nanoTime();
            store.ledger().claim(key, "bitrix24");
            Optional<FloodCounters.Reservation> counted = store.flood().tryReserve(client, FLOOD);
            long turn = store.roundRobin().current(GROUP);
            store.roundRobin().advance(GROUP, turn);
            store.ledger().captured(key, "bitrix24", String.valueOf(i));
            store.decisions().append(decision(key, client));
            nanos[i] = System.nanoTime() - start;
            if (counted.isEmpty()) {
                throw new IllegalStateException("a new client is never over the flood limit");
            }
        }
        return nanos;
    }

    private static DecisionRecord decision(String key, EmailAddress client) {
        return new DecisionRecord(Optional.of(key), key, Direction.INBOUND, Optional.of(client), List.of(client),
            List.of(EmailAddress.of("alice@company.example")), Optional.of(GROUP), ReasonCode.NEW_LEAD, "NEW_LEAD",
            "saved on a new lead", List.of(), Optional.of("1"), Optional.of("7"), Map.of("mailbox", GROUP.value()), Instant.now());
    }

    /** Connections of {@code pool} that count each statement, commit and rollback: one round trip each. */
    private static DataSource counting(DataSource pool, AtomicLong roundTrips) {
        return (DataSource) Proxy.newProxyInstance(StoreBenchmark.class.getClassLoader(), new Class<?>[] {DataSource.class},
            (proxy, method, args) -> {
                Object result = invoke(pool, method, args);
                return result instanceof Connection connection && method.getName().equals("getConnection")
                    ? countingConnection(connection, roundTrips) : result;
            });
    }

    private static Connection countingConnection(Connection connection, AtomicLong roundTrips) {
        return (Connection) Proxy.newProxyInstance(StoreBenchmark.class.getClassLoader(), new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
                if (method.getName().equals("commit") || method.getName().equals("rollback")) {
                    roundTrips.incrementAndGet();
                }
                Object result = invoke(connection, method, args);
                if (result instanceof Statement statement) {
                    Class<?> type = statement instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
                    return Proxy.newProxyInstance(StoreBenchmark.class.getClassLoader(), new Class<?>[] {type}, counted(statement, roundTrips));
                }
                return result;
            });
    }

    private static InvocationHandler counted(Statement statement, AtomicLong roundTrips) {
        return (proxy, method, args) -> {
            if (method.getName().startsWith("execute")) {
                roundTrips.incrementAndGet();
            }
            return invoke(statement, method, args);
        };
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static double mean(long[] nanos) {
        return Arrays.stream(nanos).average().orElse(0) / 1000;
    }

    private static double percentile(long[] nanos, int percent) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * percent / 100)] / 1000.0;
    }

}

package org.jamescrm.store.postgresql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jamescrm.store.ArrivalPaces;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servers' arrival paces as a row per server, written and read once a second by a thread of
 * its own, so that a capture round never waits for the database to know the others' pace. A server
 * that stopped publishing (idle, stopped, cut off) counts for nothing once its row is older than
 * {@link #FRESH}; the database's clock dates the rows, so the servers' clocks need not agree. While
 * the database cannot be reached, the others count for nothing: rounds then start as on one server,
 * which costs requests, never holds a capture longer.
 */
final class PostgresArrivalPaces implements ArrivalPaces, AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(PostgresArrivalPaces.class);
    /** How often the pace is written and the others' read. */
    static final Duration EVERY = Duration.ofSeconds(1);
    /** How long a server's pace counts after it was last published. */
    static final Duration FRESH = Duration.ofSeconds(10);

    private final Jdbc jdbc;
    private final String node;
    private final ScheduledExecutorService refresher;
    private volatile double mine;
    private volatile long publishedAt = System.nanoTime() - FRESH.toNanos();
    private volatile double others;
    private volatile int otherServers;
    private volatile boolean failing;

    PostgresArrivalPaces(Jdbc jdbc, String node) {
        this.jdbc = jdbc;
        this.node = node;
        this.refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "crm-capture-arrival-paces");
            thread.setDaemon(true);
            return thread;
        });
        refresher.scheduleWithFixedDelay(this::refresh, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void publish(double perSecond) {
        mine = perSecond;
        publishedAt = System.nanoTime();
    }

    @Override
    public double others() {
        return others;
    }

    @Override
    public int otherServers() {
        return otherServers;
    }

    /** Writes this server's pace (none once it has not been published for {@link #FRESH}) and reads the others'. */
    void refresh() {
        double pace = System.nanoTime() - publishedAt < FRESH.toNanos() ? mine : 0;
        try {
            double[] read = jdbc.call("share the arrival pace", connection -> {
                Jdbc.update(connection, "INSERT INTO crm_capture.arrival_pace (node, per_second, updated_at) VALUES (?, ?, now()) "
                    + "ON CONFLICT (node) DO UPDATE SET per_second = excluded.per_second, updated_at = excluded.updated_at", node, pace);
                try (PreparedStatement select = Jdbc.bind(connection.prepareStatement(
                    "SELECT coalesce(sum(per_second), 0), count(*) FILTER (WHERE per_second > 0) FROM crm_capture.arrival_pace "
                        + "WHERE node <> ? AND updated_at >= now() - ?::interval"), node, FRESH.toSeconds() + " seconds");
                     ResultSet row = select.executeQuery()) {
                    row.next();
                    return new double[] {row.getDouble(1), row.getInt(2)};
                }
            });
            others = read[0];
            otherServers = (int) read[1];
            if (failing) {
                failing = false;
                LOGGER.info("The arrival paces of the other servers are read again");
            }
        } catch (RuntimeException e) { // StoreUnavailableException, or a defect: never the rounds' concern
            others = 0;
            otherServers = 0;
            if (!failing) {
                failing = true;
                LOGGER.warn("Cannot share the arrival pace ({}); the capture rounds count this server's captures only", e.getMessage());
            }
        }
    }

    /** Stops sharing; this server's row is removed, so that the others stop counting it at once. */
    @Override
    public void close() {
        refresher.shutdownNow();
        try {
            jdbc.call("remove the arrival pace", connection -> Jdbc.update(connection,
                "DELETE FROM crm_capture.arrival_pace WHERE node = ?", node));
        } catch (RuntimeException e) {
            // the row ages out in FRESH
        }
    }
}

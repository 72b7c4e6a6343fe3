package org.jamescrm.store.postgresql;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jamescrm.store.RoundRobinPositions;
import org.jamescrm.decisions.DecisionStore;
import org.jamescrm.decisions.JsonViews;
import org.jamescrm.settings.StoreSettings;
import org.jamescrm.store.ArrivalPaces;
import org.jamescrm.store.CaptureLedger;
import org.jamescrm.store.CaptureStore;
import org.jamescrm.store.FloodCounters;
import org.jamescrm.spi.RequestBudgets;
import org.jamescrm.spi.TokenStore;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The store every server of a cluster shares: a PostgreSQL database, its own schema
 * {@value #SCHEMA} migrated by Flyway when the store opens. Opening fails, with what to check, when
 * the database cannot be reached or migrated: James does not start half-shared.
 */
public final class PostgresCaptureStore implements CaptureStore {
    private static final Logger LOGGER = LoggerFactory.getLogger(PostgresCaptureStore.class);
    /** The schema of the store's tables and of Flyway's history of them. */
    public static final String SCHEMA = "crm_capture";
    /** Where the migrations are, on the class path. */
    static final String MIGRATIONS = "classpath:org/jamescrm/store/postgresql/migrations";

    private final AutoCloseable pool;
    private final String node;
    private final PostgresCaptureLedger ledger;
    private final PostgresRoundRobinPositions positions;
    private final PostgresFloodCounters flood;
    private final PostgresDecisionStore decisions;
    private final PostgresTokenStore tokens;
    private final PostgresRequestBudgets budgets;
    private final PostgresArrivalPaces arrivals;

    /**
     * @param connections where the statements go: the pool, or a view of it (a benchmark counting round trips)
     * @param pool        closed with the store
     */
    PostgresCaptureStore(DataSource connections, AutoCloseable pool, String node, StoreSettings.PostgreSql settings, JsonViews json,
                         Clock clock) {
        this.pool = pool;
        this.node = node;
        Jdbc jdbc = new Jdbc(connections);
        this.ledger = new PostgresCaptureLedger(jdbc, node);
        this.positions = new PostgresRoundRobinPositions(jdbc);
        this.flood = new PostgresFloodCounters(jdbc, clock);
        this.decisions = new PostgresDecisionStore(jdbc, json, node, settings.keepDecisions(), settings.keepDecisionsFor(),
            () -> ledger.prune(settings.keepDecisionsFor()));
        this.tokens = new PostgresTokenStore(jdbc, node);
        this.budgets = new PostgresRequestBudgets(jdbc);
        this.arrivals = new PostgresArrivalPaces(jdbc, node);
    }

    /**
     * Connects, migrates the schema to this version's, and opens the store.
     *
     * @throws IllegalStateException naming the database and what went wrong when it cannot be reached or migrated
     */
    public static PostgresCaptureStore open(StoreSettings.PostgreSql settings, JsonViews json, Clock clock) {
        HikariDataSource pool;
        try {
            pool = pool(settings);
        } catch (RuntimeException e) {
            throw new IllegalStateException("The capture store (PostgreSQL at " + settings.shownUrl() + ", user " + settings.user()
                + ") cannot be reached: " + rootMessage(e) + ". Check that the database runs and the URL, user and password of "
                + "<store><postgresql> in crm-capture.xml.", e);
        }
        try {
            migrate(pool);
        } catch (FlywayException e) {
            pool.close();
            throw new IllegalStateException("The capture store's schema " + SCHEMA + " (PostgreSQL at " + settings.shownUrl()
                + ") cannot be migrated: " + rootMessage(e) + ". The user " + settings.user() + " needs the right to create the "
                + "schema, or to create tables in it.", e);
        }
        String node = nodeName();
        LOGGER.info("Capture store: PostgreSQL at {}, schema {}, this server as {}", settings.shownUrl(), SCHEMA, node);
        return new PostgresCaptureStore(pool, pool, node, settings, json, clock);
    }

    /** Migrates the store's schema of the database behind {@code pool} to this version's. */
    static void migrate(DataSource pool) {
        flyway(pool).load().migrate();
    }

    /** Flyway on the store's schema and migrations. */
    static org.flywaydb.core.api.configuration.FluentConfiguration flyway(DataSource pool) {
        return Flyway.configure(PostgresCaptureStore.class.getClassLoader())
            .dataSource(pool)
            .schemas(SCHEMA)
            .createSchemas(true)
            .locations(MIGRATIONS);
    }

    /** The pool of the store's connections; one connection is opened at once, so an unreachable database fails here. */
    static HikariDataSource pool(StoreSettings.PostgreSql settings) {
        PGSimpleDataSource postgresql = new PGSimpleDataSource();
        postgresql.setURL(settings.url());
        postgresql.setUser(settings.user());
        if (!settings.password().isEmpty()) {
            postgresql.setPassword(settings.password());
        }
        HikariConfig config = new HikariConfig();
        config.setDataSource(postgresql); // no DriverManager: the driver is found in the extension's own class loader
        config.setPoolName("crm-capture-store");
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(1);
        config.setConnectionTimeout(5_000); // a capture waiting for a connection waits in the queue instead
        config.setInitializationFailTimeout(1); // one attempt at start: an unreachable database stops the start
        return new HikariDataSource(config);
    }

    /** Which server claimed, refreshed, decided: host, process and a few letters, unique even for two servers in one process. */
    static String nodeName() {
        return ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /** The name this server's rows carry. */
    public String node() {
        return node;
    }

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public CaptureLedger ledger() {
        return ledger;
    }

    @Override
    public RoundRobinPositions roundRobin() {
        return positions;
    }

    @Override
    public FloodCounters flood() {
        return flood;
    }

    @Override
    public DecisionStore decisions() {
        return decisions;
    }

    @Override
    public TokenStore tokens() {
        return tokens;
    }

    @Override
    public RequestBudgets requestBudgets() {
        return budgets;
    }

    @Override
    public ArrivalPaces arrivals() {
        return arrivals;
    }

    @Override
    public void close() {
        arrivals.close();
        decisions.close(); // first: what waits is written while the connections are still open
        try {
            pool.close();
        } catch (Exception e) {
            LOGGER.warn("Cannot close the capture store's connections: {}", e.toString());
        }
    }
}

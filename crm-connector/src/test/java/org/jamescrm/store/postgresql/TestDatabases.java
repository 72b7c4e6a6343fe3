package org.jamescrm.store.postgresql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

import org.jamescrm.decisions.JsonViews;
import org.jamescrm.settings.StoreSettings;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server for the store's tests (the embedded binaries, no Docker), started once
 * per test class, with a fresh empty database for each test.
 */
final class TestDatabases implements AutoCloseable {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private final EmbeddedPostgres server;

    TestDatabases() {
        try {
            server = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
        }
    }

    /** A new empty database; its settings as {@code <store><postgresql>} would give them. */
    StoreSettings.PostgreSql fresh() {
        String name = "capture" + DATABASES.incrementAndGet();
        try (Connection connection = server.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new StoreSettings.PostgreSql(server.getJdbcUrl("postgres", name), "postgres", "", 4, 10_000,
            StoreSettings.PostgreSql.DEFAULT_KEEP_DECISIONS_FOR);
    }

    /** The store of one server on {@code database}: two calls make two servers sharing it. */
    static PostgresCaptureStore open(StoreSettings.PostgreSql database, Clock clock) {
        return PostgresCaptureStore.open(database, new JsonViews(), clock);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}

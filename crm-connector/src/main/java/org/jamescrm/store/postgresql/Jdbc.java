package org.jamescrm.store.postgresql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import javax.sql.DataSource;

import org.jamescrm.store.StoreUnavailableException;

/** Statements on the pool's connections; a database failure becomes a {@link StoreUnavailableException}. */
final class Jdbc {
    private final DataSource pool;

    Jdbc(DataSource pool) {
        this.pool = pool;
    }

    /** Work on one connection. */
    @FunctionalInterface
    interface Work<T, E extends Exception> {
        T run(Connection connection) throws SQLException, E;
    }

    /** Runs {@code work} on a connection in auto-commit: each statement on its own. */
    <T, E extends Exception> T call(String what, Work<T, E> work) throws E {
        try (Connection connection = pool.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw unavailable(what, e);
        }
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    <T, E extends Exception> T transaction(String what, Work<T, E> work) throws E {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (Exception e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw unavailable(what, e);
        }
    }

    /** Sets the parameters of {@code statement} in order. */
    static PreparedStatement bind(PreparedStatement statement, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            Object value = values[i] instanceof Instant instant ? OffsetDateTime.ofInstant(instant, ZoneOffset.UTC) : values[i];
            statement.setObject(i + 1, value);
        }
        return statement;
    }

    /** Runs an update of {@code sql} with {@code values}; the rows it changed. */
    static int update(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = bind(connection.prepareStatement(sql), values)) {
            return statement.executeUpdate();
        }
    }

    private static StoreUnavailableException unavailable(String what, SQLException e) {
        return new StoreUnavailableException("cannot " + what + " in PostgreSQL: " + e.getMessage(), e);
    }
}

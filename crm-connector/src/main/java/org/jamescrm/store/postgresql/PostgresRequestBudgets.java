package org.jamescrm.store.postgresql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.function.Supplier;

import org.jamescrm.spi.RequestBudget;
import org.jamescrm.spi.RequestBudgets;

/**
 * One leaky bucket per CRM account for every server: a row holding its level when last drained,
 * drained and filled by one atomic upsert per request. The database's clock drains it, so servers'
 * clocks may differ.
 */
final class PostgresRequestBudgets implements RequestBudgets {
    private final Jdbc jdbc;

    PostgresRequestBudgets(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public RequestBudget budget(String account, double perSecond, int capacity, Supplier<RequestBudget> local) {
        return new SharedBucket(account, perSecond, capacity);
    }

    private final class SharedBucket implements RequestBudget {
        private final String account;
        private final double perSecond;
        private final int capacity;

        SharedBucket(String account, double perSecond, int capacity) {
            this.account = account;
            this.perSecond = perSecond;
            this.capacity = capacity;
        }

        @Override
        public Duration reserve() {
            double level = jdbc.call("count a request of " + account, connection -> {
                try (PreparedStatement upsert = Jdbc.bind(connection.prepareStatement(
                    "INSERT INTO crm_capture.request_budget AS bucket (account, level, drained_at) VALUES (?, 1, clock_timestamp()) "
                        + "ON CONFLICT (account) DO UPDATE SET "
                        + "level = greatest(0, bucket.level - greatest(0, extract(epoch FROM excluded.drained_at - bucket.drained_at)) * ?) + 1, "
                        + "drained_at = greatest(excluded.drained_at, bucket.drained_at) RETURNING level"), account, perSecond);
                     ResultSet row = upsert.executeQuery()) {
                    row.next();
                    return row.getDouble(1);
                }
            });
            return RequestBudget.overflowWait(level, capacity, perSecond);
        }

        @Override
        public Duration untilFree(int requests, Duration horizon) {
            return RequestBudget.untilFree(level(), capacity, perSecond, requests, horizon);
        }

        @Override
        public Duration untilAffordable(int requests, Duration horizon, int keep) {
            return RequestBudget.untilAffordable(level(), capacity, perSecond, requests, horizon, keep);
        }

        @Override
        public int capacity() {
            return capacity;
        }

        /** The shared bucket now, as every server spends it. */
        @Override
        public java.util.Map<String, Object> view() {
            return RequestBudget.view(perSecond, capacity, level());
        }

        /** The bucket's level now, drained to this moment; counts nothing. */
        private double level() {
            return jdbc.call("read the request budget of " + account, connection -> {
                try (PreparedStatement select = Jdbc.bind(connection.prepareStatement(
                    "SELECT greatest(0, level - greatest(0, extract(epoch FROM clock_timestamp() - drained_at)) * ?) "
                        + "FROM crm_capture.request_budget WHERE account = ?"), perSecond, account);
                     ResultSet row = select.executeQuery()) {
                    return row.next() ? row.getDouble(1) : 0.0;
                }
            });
        }
    }
}

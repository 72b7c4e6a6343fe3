package org.jamescrm.store.postgresql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.settings.FloodLimit;
import org.jamescrm.store.FloodCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flood counters as a row per counted capture. Check and count of one client are one transaction
 * under an advisory lock of that client, so servers counting the same client at once cannot both
 * slip under the limit; other clients are not held up.
 */
final class PostgresFloodCounters implements FloodCounters {
    private static final Logger LOGGER = LoggerFactory.getLogger(PostgresFloodCounters.class);
    /** Every this many reservations, the rows of every client older than the window are deleted. */
    private static final int PRUNE_EVERY = 200;

    private final Jdbc jdbc;
    private final Clock clock;
    private final AtomicInteger reservations = new AtomicInteger();

    PostgresFloodCounters(Jdbc jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public Optional<Reservation> tryReserve(EmailAddress client, FloodLimit limit) {
        Instant now = now();
        Instant oldest = now.minus(limit.window());
        Optional<Reservation> reservation = jdbc.transaction("count a capture of " + client, connection -> {
            try (PreparedStatement lock = Jdbc.bind(connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))"),
                "crm_capture flood " + client.value())) {
                lock.execute(); // taken when it returns: the count below sees every capture of this client committed before
            }
            int counted = Jdbc.update(connection, "INSERT INTO crm_capture.flood_capture (client, captured_at) SELECT ?, ? "
                + "WHERE (SELECT count(*) FROM crm_capture.flood_capture WHERE client = ? AND captured_at >= ?) < ?",
                client.value(), now, client.value(), oldest, limit.captures());
            return counted == 1 ? Optional.of(new Reservation(client, now)) : Optional.<Reservation>empty();
        });
        if (reservations.incrementAndGet() % PRUNE_EVERY == 0) {
            prune(oldest);
        }
        return reservation;
    }

    @Override
    public boolean over(EmailAddress client, FloodLimit limit) {
        Instant oldest = now().minus(limit.window());
        return jdbc.call("count the captures of " + client, connection -> {
            try (PreparedStatement select = Jdbc.bind(connection.prepareStatement(
                "SELECT count(*) FROM crm_capture.flood_capture WHERE client = ? AND captured_at >= ?"), client.value(), oldest);
                 ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1) >= limit.captures();
            }
        });
    }

    @Override
    public void release(Reservation reservation) {
        try {
            jdbc.call("take back a capture of " + reservation.client(), connection -> Jdbc.update(connection,
                "DELETE FROM crm_capture.flood_capture WHERE id = (SELECT id FROM crm_capture.flood_capture "
                    + "WHERE client = ? AND captured_at = ? LIMIT 1)", reservation.client().value(), reservation.at()));
        } catch (RuntimeException e) {
            // the count stays one too high until the window passes: the guard errs on the careful side
            LOGGER.warn("Cannot take back a flood count of {}: {}", reservation.client(), e.getMessage());
        }
    }

    private void prune(Instant oldest) {
        try {
            jdbc.call("prune the flood counters", connection -> Jdbc.update(connection,
                "DELETE FROM crm_capture.flood_capture WHERE captured_at < ?", oldest));
        } catch (RuntimeException e) {
            LOGGER.warn("Cannot prune the flood counters: {}", e.getMessage());
        }
    }

    /** The time of a count, to the database's precision, so a release finds its row. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}

package org.jamescrm.store.postgresql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;

import org.jamescrm.store.CaptureLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger as a table with the capture key and CRM as its primary key: a claim is an insert that
 * only one server's can win. The database's clock dates the claims, so servers' clocks may differ.
 */
final class PostgresCaptureLedger implements CaptureLedger {
    private static final Logger LOGGER = LoggerFactory.getLogger(PostgresCaptureLedger.class);
    /** A claim released by its server between our insert and our read: claimed again, a few times at most. */
    private static final int ATTEMPTS = 3;

    private final Jdbc jdbc;
    private final String node;

    PostgresCaptureLedger(Jdbc jdbc, String node) {
        this.jdbc = jdbc;
        this.node = node;
    }

    @Override
    public Claim claim(String captureKey, String crm) {
        return jdbc.call("claim capture key " + captureKey, connection -> {
            for (int attempt = 1; ; attempt++) {
                if (Jdbc.update(connection, "INSERT INTO crm_capture.capture_ledger (capture_key, crm, state, node, claimed_at) "
                    + "VALUES (?, ?, 'claimed', ?, now()) ON CONFLICT DO NOTHING", captureKey, crm, node) == 1) {
                    return new Claimed();
                }
                // a key whose last write got no answer: claimed again by whichever server retries its capture
                if (Jdbc.update(connection, "UPDATE crm_capture.capture_ledger SET state = 'claimed', node = ?, claimed_at = now() "
                    + "WHERE capture_key = ? AND crm = ? AND state = 'unanswered'", node, captureKey, crm) == 1) {
                    return new Resumed();
                }
                // a claim whose server stopped in the middle of its writes is taken over once it expired
                if (Jdbc.update(connection, "UPDATE crm_capture.capture_ledger SET node = ?, claimed_at = now() "
                    + "WHERE capture_key = ? AND crm = ? AND state = 'claimed' AND claimed_at < now() - make_interval(secs => ?)",
                    node, captureKey, crm, (double) CLAIM_EXPIRY.toSeconds()) == 1) {
                    LOGGER.warn("Capture key {} for {} was claimed more than {} ago by a server that never ended its capture; "
                        + "captured by {} now", captureKey, crm, CLAIM_EXPIRY, node);
                    return new Claimed();
                }
                try (PreparedStatement select = Jdbc.bind(connection.prepareStatement(
                    "SELECT state, node, activity_id, claimed_at FROM crm_capture.capture_ledger WHERE capture_key = ? AND crm = ?"),
                    captureKey, crm); ResultSet row = select.executeQuery()) {
                    if (row.next()) {
                        return row.getString("state").equals("captured")
                            ? new AlreadyCaptured(row.getString("activity_id"), row.getString("node"))
                            : new Busy(row.getString("node"), row.getObject("claimed_at", OffsetDateTime.class).toInstant());
                    }
                }
                if (attempt == ATTEMPTS) {
                    return new Busy("another server", java.time.Instant.now());
                }
            }
        });
    }

    @Override
    public void captured(String captureKey, String crm, String activityId) {
        try {
            jdbc.call("mark capture key " + captureKey + " captured", connection -> Jdbc.update(connection,
                "UPDATE crm_capture.capture_ledger SET state = 'captured', activity_id = ?, claimed_at = now() "
                    + "WHERE capture_key = ? AND crm = ? AND node = ?", activityId, captureKey, crm, node));
        } catch (RuntimeException e) {
            // the CRM holds the activity: a later capture of the key finds it there and records a duplicate
            LOGGER.warn("Cannot mark capture key {} captured in the store: {}", captureKey, e.getMessage());
        }
    }

    @Override
    public void release(String captureKey, String crm) {
        try {
            jdbc.call("release capture key " + captureKey, connection -> Jdbc.update(connection,
                "DELETE FROM crm_capture.capture_ledger WHERE capture_key = ? AND crm = ? AND state = 'claimed' AND node = ?",
                captureKey, crm, node));
        } catch (RuntimeException e) {
            LOGGER.warn("Cannot release capture key {} in the store; its claim expires in {}: {}", captureKey, CLAIM_EXPIRY,
                e.getMessage());
        }
    }

    @Override
    public void unanswered(String captureKey, String crm) {
        try {
            jdbc.call("mark capture key " + captureKey + " unanswered", connection -> Jdbc.update(connection,
                "UPDATE crm_capture.capture_ledger SET state = 'unanswered', claimed_at = now() "
                    + "WHERE capture_key = ? AND crm = ? AND state = 'claimed' AND node = ?", captureKey, crm, node));
        } catch (RuntimeException e) {
            LOGGER.warn("Cannot mark capture key {} unanswered in the store; its claim expires in {}: {}", captureKey, CLAIM_EXPIRY,
                e.getMessage());
        }
    }

    /**
     * Forgets what was captured, or written unanswered, before {@code age}: a mail delivered again
     * that late is found in the CRM itself.
     */
    void prune(java.time.Duration age) {
        jdbc.call("prune the capture ledger", connection -> Jdbc.update(connection,
            "DELETE FROM crm_capture.capture_ledger WHERE state IN ('captured', 'unanswered') "
                + "AND claimed_at < now() - make_interval(secs => ?)",
            (double) age.toSeconds()));
    }
}

package org.jamescrm.store.postgresql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;

import org.jamescrm.store.RoundRobinPositions;
import org.jamescrm.model.EmailAddress;

/** Round-robin positions in a table; a turn is taken by one compare-and-set upsert, so two servers never take the same one. */
final class PostgresRoundRobinPositions implements RoundRobinPositions {
    private final Jdbc jdbc;

    PostgresRoundRobinPositions(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public long current(EmailAddress mailbox) {
        return jdbc.call("read the round-robin position of " + mailbox, connection -> {
            try (PreparedStatement select = Jdbc.bind(connection.prepareStatement(
                "SELECT position FROM crm_capture.round_robin WHERE mailbox = ?"), mailbox.value()); ResultSet row = select.executeQuery()) {
                return row.next() ? row.getLong(1) : 0L;
            }
        });
    }

    @Override
    public boolean advance(EmailAddress mailbox, long from) {
        return jdbc.call("advance the round robin of " + mailbox, connection -> Jdbc.update(connection,
            "INSERT INTO crm_capture.round_robin AS turn (mailbox, position) VALUES (?, ?) "
                + "ON CONFLICT (mailbox) DO UPDATE SET position = excluded.position WHERE turn.position = ?",
            mailbox.value(), from + 1, from) == 1);
    }
}

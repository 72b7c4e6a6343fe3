package org.jamescrm.store.postgresql;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.jamescrm.decisions.DecisionQuery;
import org.jamescrm.decisions.DecisionRecord;
import org.jamescrm.decisions.JsonViews;
import org.jamescrm.decisions.SharedDecisionStore;
import org.jamescrm.model.EmailAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decisions of every server in one table, searched there by the criteria of
 * {@link DecisionQuery}; bounded by count and age (pruned every {@link #PRUNE_EVERY} decisions of
 * a server).
 */
final class PostgresDecisionStore implements SharedDecisionStore {
    private static final Logger LOGGER = LoggerFactory.getLogger(PostgresDecisionStore.class);
    static final int PRUNE_EVERY = 100;

    private final Jdbc jdbc;
    private final JsonViews json;
    private final String node;
    private final int keep;
    private final Duration keepFor;
    private final Runnable pruned;
    private final AtomicInteger appended = new AtomicInteger();

    /**
     * @param keep    the most decisions kept
     * @param keepFor how long a decision is kept
     * @param pruned  what else is pruned with the decisions (the ledger's old rows)
     */
    PostgresDecisionStore(Jdbc jdbc, JsonViews json, String node, int keep, Duration keepFor, Runnable pruned) {
        this.jdbc = jdbc;
        this.json = json;
        this.node = node;
        this.keep = keep;
        this.keepFor = keepFor;
        this.pruned = pruned;
    }

    /** Nothing is read into the server's memory: searches ask the table. */
    @Override
    public List<DecisionRecord> load() {
        return List.of();
    }

    @Override
    public void append(DecisionRecord record) {
        try {
            jdbc.call("keep a decision", connection -> {
                Array recipients = connection.createArrayOf("text", record.recipients().stream().map(EmailAddress::value).toArray());
                return Jdbc.update(connection, "INSERT INTO crm_capture.decisions (message_id, capture_key, sender, mailbox, recipients, "
                    + "reason, label, captured, decided_at, node, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    record.messageId().orElse(null), record.captureKey(), record.sender().map(EmailAddress::value).orElse(null),
                    record.mailbox().map(EmailAddress::value).orElse(null), recipients, record.reason().name(), record.label(),
                    record.captured(), record.decidedAt(), node, json.write(json.decision(record)));
            });
            if (appended.incrementAndGet() % PRUNE_EVERY == 0) {
                prune();
            }
        } catch (RuntimeException e) {
            LOGGER.error("Cannot keep a decision in the shared store; it stays in this server's memory and in the log: {}", e.getMessage());
        }
    }

    /** Deletes the decisions beyond the newest {@code keep} and those older than {@code keepFor}. */
    void prune() {
        try {
            jdbc.call("prune the decisions", connection -> Jdbc.update(connection, "DELETE FROM crm_capture.decisions WHERE decided_at < ? "
                + "OR id <= (SELECT id FROM crm_capture.decisions ORDER BY id DESC OFFSET ? LIMIT 1)", Instant.now().minus(keepFor), keep));
            pruned.run();
        } catch (RuntimeException e) {
            LOGGER.warn("Cannot prune the shared store: {}", e.getMessage());
        }
    }

    @Override
    public DecisionQuery.Page search(DecisionQuery query) {
        List<String> conditions = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        query.messageId().ifPresent(id -> {
            String wanted = id.strip();
            conditions.add("(capture_key = ? OR message_id = ?)");
            values.add(wanted);
            values.add(wanted.startsWith("<") ? wanted : "<" + wanted + ">");
        });
        query.sender().ifPresent(address -> where(conditions, values, "sender = ?", address.value()));
        query.recipient().ifPresent(address -> where(conditions, values, "? = ANY (recipients)", address.value()));
        query.mailbox().ifPresent(address -> where(conditions, values, "mailbox = ?", address.value()));
        query.reason().ifPresent(reason -> {
            conditions.add("(lower(label) = lower(?) OR lower(reason) = lower(?))");
            values.add(reason);
            values.add(reason);
        });
        query.captured().ifPresent(captured -> where(conditions, values, "captured = ?", captured));
        query.from().ifPresent(instant -> where(conditions, values, "decided_at >= ?", instant));
        query.to().ifPresent(instant -> where(conditions, values, "decided_at < ?", instant));
        String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        return jdbc.call("search the decisions", connection -> {
            List<DecisionRecord> page = new ArrayList<>();
            int total = -1;
            List<Object> paged = new ArrayList<>(values);
            paged.add(query.limit());
            paged.add(query.offset());
            try (PreparedStatement select = Jdbc.bind(connection.prepareStatement("SELECT record, count(*) OVER () FROM crm_capture.decisions"
                + where + " ORDER BY decided_at DESC, id DESC LIMIT ? OFFSET ?"), paged.toArray()); ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    page.add(json.readDecision(rows.getString(1)));
                    total = rows.getInt(2);
                }
            }
            return new DecisionQuery.Page(page, total >= 0 ? total : count(connection, where, values));
        });
    }

    /** How many decisions match: for a page past the last one, which has no row to say. */
    private static int count(Connection connection, String where, List<Object> values) throws SQLException {
        try (PreparedStatement select = Jdbc.bind(connection.prepareStatement("SELECT count(*) FROM crm_capture.decisions" + where),
            values.toArray()); ResultSet row = select.executeQuery()) {
            row.next();
            return row.getInt(1);
        }
    }

    private static void where(List<String> conditions, List<Object> values, String condition, Object value) {
        conditions.add(condition);
        values.add(value);
    }
}

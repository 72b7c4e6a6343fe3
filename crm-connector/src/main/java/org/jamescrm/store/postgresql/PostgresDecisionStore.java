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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
 * a server). Written in the background, in batches: a decision is recorded in the mail pipeline too
 * (mail the capture excludes), and mail must never wait for the database. While the database cannot
 * be reached the decisions wait, up to {@link #WAITING} of them (beyond, they are only in the server's
 * memory and in the log).
 */
final class PostgresDecisionStore implements SharedDecisionStore, AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(PostgresDecisionStore.class);
    static final int PRUNE_EVERY = 100;
    /** The most decisions waiting to be written. */
    static final int WAITING = 10_000;
    /** The most decisions written in one transaction. */
    private static final int BATCH = 500;
    /** The wait before a batch the database refused is tried again. */
    private static final long RETRY_MILLIS = 2_000;

    private final Jdbc jdbc;
    private final JsonViews json;
    private final String node;
    private final int keep;
    private final Duration keepFor;
    private final Runnable pruned;
    private final AtomicInteger appended = new AtomicInteger();
    private final BlockingQueue<DecisionRecord> waiting = new LinkedBlockingQueue<>(WAITING);
    /** Decisions handed over and not written yet. */
    private final AtomicInteger unwritten = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private final Thread writer;
    private volatile boolean closed;

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
        this.writer = new Thread(this::writeInBackground, "crm-capture-decisions-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Nothing is read into the server's memory: searches ask the table. */
    @Override
    public List<DecisionRecord> load() {
        return List.of();
    }

    /** Hands the decision to the background writer; never waits. */
    @Override
    public void append(DecisionRecord record) {
        unwritten.incrementAndGet();
        if (!waiting.offer(record)) {
            unwritten.decrementAndGet();
            if (dropped.getAndIncrement() % 1000 == 0) {
                LOGGER.error("{} decisions wait for the shared store already; this one is only in this server's memory and in the log",
                    WAITING);
            }
        }
    }

    private void writeInBackground() {
        List<DecisionRecord> batch = new ArrayList<>();
        while (!closed || !waiting.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    DecisionRecord first = waiting.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    waiting.drainTo(batch, BATCH - 1);
                }
                write(batch);
                unwritten.addAndGet(-batch.size());
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (closed) {
                    LOGGER.error("{} decisions could not be written to the shared store before the server stopped: {}", batch.size(),
                        e.getMessage());
                    return;
                }
                LOGGER.warn("Cannot write {} decisions to the shared store, tried again in {} ms: {}", batch.size(), RETRY_MILLIS,
                    e.getMessage());
                try {
                    Thread.sleep(RETRY_MILLIS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Writes a batch in one transaction, then prunes when a hundred more were written. */
    private void write(List<DecisionRecord> batch) {
        jdbc.transaction("keep " + batch.size() + " decisions", connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO crm_capture.decisions (message_id, "
                + "capture_key, sender, mailbox, recipients, reason, label, captured, decided_at, node, record) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (DecisionRecord record : batch) {
                    Array recipients = connection.createArrayOf("text", record.recipients().stream().map(EmailAddress::value).toArray());
                    Jdbc.bind(insert, record.messageId().orElse(null), record.captureKey(), record.sender().map(EmailAddress::value).orElse(null),
                        record.mailbox().map(EmailAddress::value).orElse(null), recipients, record.reason().name(), record.label(),
                        record.captured(), record.decidedAt(), node, json.write(json.decision(record)));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
        int before = appended.getAndAdd(batch.size());
        if (before / PRUNE_EVERY != (before + batch.size()) / PRUNE_EVERY) {
            prune();
        }
    }

    /** Waits until the decisions handed over so far are written, at most {@code timeout}; whether they are. */
    boolean flush(java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (unwritten.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** Writes what waits (for a few seconds at most) and stops the writer. */
    @Override
    public void close() {
        closed = true;
        try {
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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

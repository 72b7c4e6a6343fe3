package org.jamescrm.decisions;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every capture decision: logged as one JSON line (logger {@code org.jamescrm.decisions.DecisionLog})
 * and kept, the most recent {@code capacity} of them, so that an administrator can ask why a message
 * was or was not saved. Thread-safe. With a {@link SharedDecisionStore} the searches ask the store,
 * so every server of a cluster answers for all of them; the server's own decisions in memory answer
 * while the store cannot be reached.
 */
public final class DecisionLog {
    private static final Logger LOGGER = LoggerFactory.getLogger(DecisionLog.class);

    private final int capacity;
    private final JsonViews json;
    private final Deque<DecisionRecord> records = new ArrayDeque<>();
    private final DecisionStore store;
    /** When a search of the shared store last failed ({@link System#nanoTime}); none while {@link #storeFailed} is false. */
    private volatile long storeFailedAt;
    private volatile boolean storeFailed;
    /**
     * How long after a failed search the shared store is not asked: the case answers of the mail
     * pipeline search decisions, and mail must not wait for a database that is down, search after search.
     */
    static final long STORE_PAUSE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);

    /** @param capacity how many decisions are kept; older ones are only in the log */
    public DecisionLog(int capacity, JsonViews json) {
        this(capacity, json, DecisionStore.NONE);
    }

    /**
     * @param capacity how many decisions are kept; older ones are only in the log
     * @param store    where the decisions are kept beyond the running server; read back now
     */
    public DecisionLog(int capacity, JsonViews json, DecisionStore store) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.json = json;
        this.store = store;
        for (DecisionRecord kept : store.load()) {
            keep(kept);
        }
    }

    /** Keeps and logs a decision. */
    public void record(DecisionRecord record) {
        String line = json.write(json.decision(record)); // once, for the log and the store alike
        LOGGER.info("capture decision {}", line);
        keep(record);
        store.append(record, line);
    }

    private void keep(DecisionRecord record) {
        synchronized (records) {
            records.addFirst(record);
            if (records.size() > capacity) {
                records.removeLast();
            }
        }
    }

    /** The decisions about the message with this Message-ID or capture key, newest first. */
    public List<DecisionRecord> find(String messageIdOrKey) {
        if (store instanceof SharedDecisionStore) {
            DecisionQuery about = new DecisionQuery(Optional.of(messageIdOrKey), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), capacity, 0);
            return search(about).decisions();
        }
        synchronized (records) {
            return records.stream().filter(record -> isAbout(record, messageIdOrKey)).toList();
        }
    }

    /** Whether {@code record} is about the message with this Message-ID (with or without angle brackets) or capture key. */
    static boolean isAbout(DecisionRecord record, String messageIdOrKey) {
        String wanted = messageIdOrKey.strip();
        String bracketed = wanted.startsWith("<") ? wanted : "<" + wanted + ">";
        return record.captureKey().equals(wanted) || record.messageId().map(id -> id.equals(bracketed)).orElse(false);
    }

    /** The page of the decisions kept that {@code query} asks for, newest first. */
    public DecisionQuery.Page search(DecisionQuery query) {
        if (store instanceof SharedDecisionStore shared && !(storeFailed && System.nanoTime() - storeFailedAt < STORE_PAUSE_NANOS)) {
            try {
                DecisionQuery.Page page = shared.search(query);
                storeFailed = false;
                return page;
            } catch (RuntimeException e) {
                storeFailedAt = System.nanoTime();
                storeFailed = true;
                LOGGER.warn("The shared decision store cannot be searched ({}); answering with this server's decisions only for 30 s",
                    e.getMessage());
            }
        }
        List<DecisionRecord> matching;
        synchronized (records) {
            matching = records.stream().filter(query::matches).toList();
        }
        int from = Math.min(query.offset(), matching.size());
        int to = (int) Math.min((long) from + query.limit(), matching.size());
        return new DecisionQuery.Page(matching.subList(from, to), matching.size());
    }

    /** The newest decision about a message, if it is still kept. */
    public Optional<DecisionRecord> latest(String messageIdOrKey) {
        return find(messageIdOrKey).stream().findFirst();
    }

    /** The {@code limit} most recent decisions, newest first. */
    public List<DecisionRecord> recent(int limit) {
        if (store instanceof SharedDecisionStore) {
            return search(DecisionQuery.newest(Math.max(1, limit))).decisions();
        }
        synchronized (records) {
            return new ArrayList<>(records).subList(0, Math.min(limit, records.size()));
        }
    }

    /** JSON array of the decisions about a message, newest first (the WebAdmin view). */
    public String toJson(String messageIdOrKey) {
        return json.write(find(messageIdOrKey).stream().map(json::decision).toList());
    }
}

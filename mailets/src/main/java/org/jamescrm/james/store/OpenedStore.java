package org.jamescrm.james.store;

import java.nio.file.Path;
import java.time.Clock;

import org.jamescrm.store.FileRoundRobinPositions;
import org.jamescrm.decisions.FileDecisionStore;
import org.jamescrm.decisions.JsonViews;
import org.jamescrm.settings.StoreSettings;
import org.jamescrm.store.CaptureStore;
import org.jamescrm.store.postgresql.PostgresCaptureStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.annotation.PreDestroy;

/**
 * The capture store {@code <store>} names, opened when James starts (an unreachable PostgreSQL stops
 * the start) and closed with James.
 */
public final class OpenedStore implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(OpenedStore.class);
    /** How many decisions the local store keeps for the WebAdmin route (also across restarts); older ones stay in the log file. */
    public static final int KEPT_DECISIONS = 10_000;
    /** Where the local store writes the decisions, under James's working directory, so the search survives a restart. */
    static final String DECISIONS_FILE = "var/crm-capture/decisions.jsonl";
    /** Where the local store keeps the round-robin positions, under James's working directory. */
    static final String ROUND_ROBIN_FILE = "var/crm-capture/round-robin.properties";

    private final CaptureStore store;

    private OpenedStore(CaptureStore store) {
        this.store = store;
    }

    /**
     * Opens the store of {@code settings}.
     *
     * @param workingDirectory James's working directory, where the local store keeps its files
     * @throws IllegalStateException when the PostgreSQL store cannot be reached or migrated
     */
    public static OpenedStore open(StoreSettings settings, Path workingDirectory, JsonViews json, Clock clock) {
        if (settings instanceof StoreSettings.PostgreSql postgresql) {
            try {
                return new OpenedStore(PostgresCaptureStore.open(postgresql, json, clock));
            } catch (IllegalStateException e) {
                // one line before Guice's stack trace, as for a wrong settings file
                LOGGER.error("James cannot start without its capture store: {}", e.getMessage());
                throw e;
            }
        }
        return new OpenedStore(CaptureStore.local(new FileRoundRobinPositions(workingDirectory.resolve(ROUND_ROBIN_FILE)),
            new FileDecisionStore(workingDirectory.resolve(DECISIONS_FILE), KEPT_DECISIONS, json), clock));
    }

    /** The store. */
    public CaptureStore store() {
        return store;
    }

    @PreDestroy
    @Override
    public void close() {
        store.close();
    }
}

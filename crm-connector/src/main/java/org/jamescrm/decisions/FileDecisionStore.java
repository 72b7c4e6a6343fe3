package org.jamescrm.decisions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decisions in a file of JSON lines (the decision view, one per line), so that the decision
 * search survives a restart. Bounded: once the file holds twice {@code capacity} decisions it is
 * rewritten with the newest {@code capacity}. A line cut short by a crash is skipped when read.
 */
public final class FileDecisionStore implements DecisionStore {
    private static final Logger LOGGER = LoggerFactory.getLogger(FileDecisionStore.class);

    private final Path file;
    private final int capacity;
    private final JsonViews json;
    private int lines = -1;
    private boolean folderMade;

    /**
     * @param file     the file, created with its folder when absent
     * @param capacity how many decisions are kept (the decision log's capacity)
     */
    public FileDecisionStore(Path file, int capacity, JsonViews json) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.file = file;
        this.capacity = capacity;
        this.json = json;
    }

    @Override
    public synchronized List<DecisionRecord> load() {
        if (!Files.exists(file)) {
            lines = 0;
            return List.of();
        }
        List<String> all;
        try {
            all = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOGGER.error("Cannot read the decisions kept in {}; the decision search starts empty", file, e);
            lines = 0;
            return List.of();
        }
        lines = all.size();
        List<DecisionRecord> records = new ArrayList<>();
        for (String line : all.subList(Math.max(0, all.size() - capacity), all.size())) {
            try {
                records.add(json.readDecision(line));
            } catch (IllegalArgumentException e) {
                LOGGER.warn("Skipping a decision of {} that cannot be read: {}", file, e.getMessage());
            }
        }
        return records;
    }

    @Override
    public void append(DecisionRecord record) {
        append(record, json.write(json.decision(record)));
    }

    @Override
    public synchronized void append(DecisionRecord record, String jsonLine) {
        try {
            if (!folderMade) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                folderMade = true;
            }
            if (lines < 0) {
                lines = Files.exists(file) ? countLines() : 0;
            }
            Files.writeString(file, jsonLine + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            lines++;
            if (lines >= 2 * capacity) {
                compact();
            }
        } catch (IOException | UncheckedIOException e) {
            LOGGER.error("Cannot keep a decision in {}; it stays in memory and in the log", file, e);
        }
    }

    private int countLines() throws IOException {
        try (var all = Files.lines(file, StandardCharsets.UTF_8)) {
            return (int) all.count();
        }
    }

    /** Rewrites the file with its newest {@code capacity} lines, atomically. */
    private void compact() throws IOException {
        List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> kept = all.subList(Math.max(0, all.size() - capacity), all.size());
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.write(next, kept, StandardCharsets.UTF_8);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        lines = kept.size();
    }
}

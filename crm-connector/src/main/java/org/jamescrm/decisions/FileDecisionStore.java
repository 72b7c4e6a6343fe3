package org.jamescrm.decisions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decisions in a file of JSON lines (the decision view, one per line), so that the decision
 * search survives a restart. Bounded: once the file holds twice {@code capacity} decisions it is
 * rewritten with the newest {@code capacity}. A line cut short by a crash is skipped when read, and
 * the next decision starts on a line of its own.
 *
 * <p>The file stays open while decisions are appended (every mail James handles has one, most of them
 * on the spool's threads, so opening and closing it for each cost as much as writing it), and is read
 * and rewritten as a stream: neither the start nor the rewrite holds the whole file in the heap. The
 * server owns the file while it runs: a file moved or deleted meanwhile takes the decisions until the
 * next rewrite, which then starts a new file.
 */
public final class FileDecisionStore implements DecisionStore {
    private static final Logger LOGGER = LoggerFactory.getLogger(FileDecisionStore.class);
    private static final byte NEWLINE = '\n';

    private final Path file;
    private final int capacity;
    private final JsonViews json;
    /** The lines of the file, counted when it is opened; -1 until then. */
    private long lines = -1;
    /** Open while decisions are appended; closed for a rewrite, after a failure and at {@link #close}. */
    private FileChannel channel;

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
            return List.of();
        }
        Deque<String> newest = new ArrayDeque<>(Math.min(capacity, 1024));
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (newest.size() == capacity) {
                    newest.removeFirst();
                }
                newest.addLast(line);
            }
        } catch (IOException | UncheckedIOException e) {
            LOGGER.error("Cannot read the decisions kept in {}; the decision search starts empty", file, e);
            return List.of();
        }
        List<DecisionRecord> records = new ArrayList<>(newest.size());
        for (String line : newest) {
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
            writeFully(channel(), ByteBuffer.wrap((jsonLine + "\n").getBytes(StandardCharsets.UTF_8)));
            lines++;
        } catch (IOException | UncheckedIOException e) {
            closeChannel(); // the next decision opens the file again
            LOGGER.error("Cannot keep a decision in {}; it stays in memory and in the log", file, e);
            return;
        }
        if (lines >= 2L * capacity) {
            try {
                compact();
            } catch (IOException | UncheckedIOException e) {
                // the decisions are kept all the same; the next decision opens the file again, or starts a new one
                LOGGER.error("Cannot cut {} back to its newest {} decisions", file, capacity, e);
            }
        }
    }

    /** Closes the file; a later decision opens it again. */
    @Override
    public synchronized void close() {
        closeChannel();
    }

    private FileChannel channel() throws IOException {
        if (channel == null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            boolean cutShort = false;
            lines = 0;
            if (Files.exists(file)) {
                try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                    lines = scanLines(in, Long.MAX_VALUE).lines();
                    cutShort = endsCutShort(in);
                }
            }
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            if (cutShort) {
                // a line a crash cut short is ended, so that it does not take the next decision with it
                writeFully(channel, ByteBuffer.wrap(new byte[] {NEWLINE}));
                lines++;
            }
        }
        return channel;
    }

    private static boolean endsCutShort(FileChannel in) throws IOException {
        long size = in.size();
        if (size == 0) {
            return false;
        }
        ByteBuffer last = ByteBuffer.allocate(1);
        in.read(last, size - 1);
        return last.get(0) != NEWLINE;
    }

    /** Rewrites the file with its newest {@code capacity} lines, atomically, copying bytes: no line is decoded. */
    private void compact() throws IOException {
        closeChannel();
        Path next = file.resolveSibling(file.getFileName() + ".next");
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(next, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                 StandardOpenOption.TRUNCATE_EXISTING)) {
            long start = scanLines(in, lines - capacity).end();
            for (long done = 0, size = in.size() - start; done < size; ) {
                done += in.transferTo(start + done, size - done, out);
            }
        }
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        lines = -1; // counted again when the file is opened for the next decision
    }

    /** How many line ends a scan from the file's start counted, and where it stopped: after the last one counted, or at the end. */
    private record LineScan(long lines, long end) {
    }

    /** Scans the file from its start for line ends, stopping after {@code most} of them or at its end. */
    private static LineScan scanLines(FileChannel in, long most) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        long position = 0;
        long seen = 0;
        while (seen < most) {
            buffer.clear();
            int read = in.read(buffer, position);
            if (read < 0) {
                break;
            }
            for (int i = 0; i < read; i++) {
                if (buffer.get(i) == NEWLINE && ++seen == most) {
                    return new LineScan(seen, position + i + 1);
                }
            }
            position += read;
        }
        return new LineScan(seen, position);
    }

    private static void writeFully(FileChannel out, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOGGER.warn("Cannot close {}: {}", file, e.toString());
            }
            channel = null;
        }
    }
}

package org.jamescrm.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

import org.jamescrm.model.EmailAddress;

/**
 * Round-robin positions in a properties file (mailbox = position), so the turn survives a restart of
 * James. The file is replaced atomically on every move. One server only: a cluster shares its
 * positions through {@code <store>postgresql</store>}. The file being this server's alone, it is read
 * once, at the first capture that asks, and the positions are answered from memory after that: every
 * capture asks for its mailbox's position, and reading the file for each cost a file open and parse
 * per mail.
 */
public final class FileRoundRobinPositions implements RoundRobinPositions {
    private final Path file;
    private final Object lock = new Object();
    /** The positions as the file holds them; read at the first use, replaced after each write. Guarded by {@link #lock}. */
    private Properties positions;

    /** @param file the properties file; absent until the first move, when every position is 0 */
    public FileRoundRobinPositions(Path file) {
        this.file = file;
    }

    @Override
    public long current(EmailAddress mailbox) {
        synchronized (lock) {
            return Long.parseLong(positions().getProperty(mailbox.value(), "0"));
        }
    }

    @Override
    public boolean advance(EmailAddress mailbox, long from) {
        synchronized (lock) {
            if (Long.parseLong(positions().getProperty(mailbox.value(), "0")) != from) {
                return false;
            }
            Properties moved = new Properties();
            moved.putAll(positions);
            moved.setProperty(mailbox.value(), String.valueOf(from + 1));
            write(moved); // memory follows the file only once the file holds the move
            positions = moved;
            return true;
        }
    }

    private Properties positions() {
        if (positions == null) {
            positions = read();
        }
        return positions;
    }

    private Properties read() {
        Properties positions = new Properties();
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                positions.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the round-robin positions " + file, e);
            }
        }
        return positions;
    }

    private void write(Properties positions) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            try (OutputStream out = Files.newOutputStream(temporary)) {
                positions.store(out, "round-robin position of each mailbox: items assigned so far");
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the round-robin positions " + file, e);
        }
    }
}

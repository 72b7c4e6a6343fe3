package org.jamescrm.james.settings;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;

import org.apache.james.filesystem.api.FileSystem;
import org.jamescrm.settings.CaptureSettings;
import org.jamescrm.settings.InvalidSettingsException;
import org.jamescrm.settings.SettingsParser;
import org.jamescrm.spi.ConnectorProviders;
import org.jamescrm.spi.SecretScrubber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The product's settings file, {@code conf/crm-capture.xml} in James's configuration folder. Read and
 * validated when James starts: an invalid file stops the start with the file, the key and the allowed
 * values. Re-read when it changes (checked at most every {@link #CHECK_INTERVAL}), so CRM
 * administrators toggle options without restarting James; a changed file that is invalid is refused
 * with the same message in the log and in {@code GET /crm/status}, and the settings in force stay.
 * The connector choice is read at start only. The Guice module {@link #watch() watches} the file in
 * the background, so a change shows at once, also on a server that receives no mail.
 */
public class CaptureSettingsSource implements AutoCloseable {
    /** Where James's file system finds the settings file. */
    public static final String LOCATION = "file://conf/crm-capture.xml";
    /** How often at most the file's modification time is looked at. */
    static final Duration CHECK_INTERVAL = Duration.ofSeconds(2);
    private static final Logger LOGGER = LoggerFactory.getLogger(CaptureSettingsSource.class);

    private final Path file;
    private final SettingsParser parser;
    private final Clock clock;
    private final AtomicReference<State> state;
    private volatile ScheduledExecutorService watcher;

    /** Reads the file at {@link #LOCATION} of James's file system, with the CRMs of {@code providers}. */
    public CaptureSettingsSource(FileSystem fileSystem, ConnectorProviders providers, Clock clock) {
        this(locate(fileSystem), new SettingsParser(providers), clock);
    }

    /**
     * Reads {@code file} with {@code parser}.
     *
     * @throws InvalidSettingsException when the file is invalid: James's start stops
     */
    public CaptureSettingsSource(Path file, SettingsParser parser, Clock clock) {
        this.file = file;
        this.parser = parser;
        this.clock = clock;
        this.state = new AtomicReference<>(new State(initial(parser, file), modified(file), clock.instant(), Optional.empty()));
    }

    /**
     * The settings James starts with. An invalid file stops the start; its message is logged first, as
     * one ERROR line, so that it is the first thing the administrator reads rather than a line inside
     * the long stack trace James prints after "Fatal error while starting James".
     */
    private static CaptureSettings initial(SettingsParser parser, Path file) {
        try {
            return parser.parse(file);
        } catch (InvalidSettingsException e) {
            LOGGER.error("James cannot start with these capture settings: {}", e.getMessage());
            throw e;
        }
    }

    private static Path locate(FileSystem fileSystem) {
        try {
            File file = fileSystem.getFile(LOCATION);
            return file.toPath();
        } catch (FileNotFoundException e) {
            throw new InvalidSettingsException(LOCATION + ": the settings file does not exist; "
                + "copy crm-capture.xml from the product's james-config/src/main/conf into James's conf folder", e);
        }
    }

    /** The settings in force; re-reads the file first when it changed. */
    public CaptureSettings current() {
        State current = state.get();
        Instant now = clock.instant();
        if (now.isBefore(current.checkedAt().plus(CHECK_INTERVAL))) {
            return current.settings();
        }
        FileTime modified = modified(file);
        if (modified.equals(current.modified())) {
            state.compareAndSet(current, current.checked(now));
            return current.settings();
        }
        State next = reload(current, modified, now);
        return state.compareAndSet(current, next) ? next.settings() : state.get().settings();
    }

    private State reload(State current, FileTime modified, Instant now) {
        try {
            CaptureSettings settings = parser.parse(file);
            LOGGER.info("Capture settings re-read from {}", file);
            if (!settings.store().equals(current.settings().store())) {
                LOGGER.warn("<store> changed in {}: the capture store in use stays until James restarts", file);
            }
            return new State(settings, modified, now, Optional.empty());
        } catch (InvalidSettingsException e) {
            // the refused file may hold a pasted secret where a plain value belongs: never echo one
            String reason = new SecretScrubber(current.settings().connector().settings().secrets()).scrub(e.getMessage());
            LOGGER.error("Changed capture settings refused, the previous ones stay in force: {}", reason);
            return new State(current.settings(), modified, now, Optional.of(reason));
        }
    }

    /**
     * Looks at the file every {@link #CHECK_INTERVAL} in the background, so that a change is in force,
     * or its refusal shown on {@code GET /crm/status}, as soon as the file changed rather than at the
     * next mail. Stopped by {@link #close()}.
     */
    public void watch() {
        watch(Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "crm-capture-settings-watch");
            thread.setDaemon(true);
            return thread;
        }));
    }

    /** {@link #watch()} on {@code scheduler}, which {@link #close()} shuts down. */
    synchronized void watch(ScheduledExecutorService scheduler) {
        if (watcher == null) {
            watcher = scheduler;
            watcher.scheduleWithFixedDelay(this::lookAtTheFile, CHECK_INTERVAL.toMillis(), CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void lookAtTheFile() {
        try {
            current();
        } catch (RuntimeException e) {
            LOGGER.error("Cannot look at the capture settings file {}", file, e); // the next look tries again
        }
    }

    /** Stops the background look at the file. */
    @PreDestroy
    @Override
    public synchronized void close() {
        if (watcher != null) {
            watcher.shutdownNow();
            watcher = null;
        }
    }

    /** Why the last change of the file was refused, if it was. */
    public Optional<String> refusedChange() {
        return state.get().refusal();
    }

    /** The settings file. */
    public Path file() {
        return file;
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0); // a vanished file: keep the settings in force until it is back
        }
    }

    /** The settings in force and when the file was last looked at. */
    private record State(CaptureSettings settings, FileTime modified, Instant checkedAt, Optional<String> refusal) {

        State checked(Instant now) {
            return new State(settings, modified, now, refusal);
        }
    }
}

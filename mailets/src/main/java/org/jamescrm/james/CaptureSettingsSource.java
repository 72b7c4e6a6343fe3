package org.jamescrm.james;

import java.io.File;
import java.io.FileNotFoundException;
import java.nio.file.Path;

import org.apache.james.filesystem.api.FileSystem;
import org.jamescrm.settings.CaptureSettings;
import org.jamescrm.settings.InvalidSettingsException;
import org.jamescrm.settings.SettingsParser;

/**
 * The product's settings file, {@code conf/crm-capture.xml} in James's configuration folder, read
 * and validated once when James starts: an invalid file stops the start with the file, the key and
 * the allowed values.
 */
public class CaptureSettingsSource {
    /** Where James's file system finds the settings file. */
    public static final String LOCATION = "file://conf/crm-capture.xml";

    private final Path file;
    private final CaptureSettings settings;

    /** Reads the file at {@link #LOCATION} of James's file system. */
    public CaptureSettingsSource(FileSystem fileSystem) {
        this(locate(fileSystem), new SettingsParser());
    }

    CaptureSettingsSource(Path file, SettingsParser parser) {
        this.file = file;
        this.settings = parser.parse(file);
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

    /** The settings in force. */
    public CaptureSettings current() {
        return settings;
    }

    /** The settings file. */
    public Path file() {
        return file;
    }
}

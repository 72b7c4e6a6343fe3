package org.jamescrm.james.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The temporary folders the benchmarks keep their files in (settings, decision files). */
final class BenchmarkFolders {
    private BenchmarkFolders() {
    }

    /** Deletes {@code folder} and the files in it (it holds no folders). */
    static void delete(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(folder);
    }
}

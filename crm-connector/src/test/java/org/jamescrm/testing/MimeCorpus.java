package org.jamescrm.testing;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The shared corpus of real and broken MIME messages beside the repository ({@code ../shared/data/mime-corpus}). */
public final class MimeCorpus {
    static final Path CORPUS = Path.of(System.getProperty("mime.corpus", "../../shared/data/mime-corpus"));

    private MimeCorpus() {
    }

    /** Every message of the corpus, sorted; the calling test is skipped when the corpus is not there. */
    public static Stream<Path> messages() throws IOException {
        assumeThat(CORPUS).as("the shared MIME corpus beside the repository").isDirectory();
        return Files.walk(CORPUS).filter(Files::isRegularFile).filter(file -> !file.getFileName().toString().equals("README.md")).sorted();
    }
}

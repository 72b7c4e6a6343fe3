package org.jamescrm.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.jamescrm.model.MessageFacts;
import org.jamescrm.testing.MimeCorpus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every message of the shared corpus of real and broken MIME (bad boundaries, bad encodings, endless
 * nesting, truncated parts) parses into facts with a capture key, and twice into the same key.
 */
class MimeCorpusParsingTest {
    static Stream<Path> corpus() throws IOException {
        return MimeCorpus.messages();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void everyCorpusMessageShouldParseWithAStableCaptureKey(Path message) throws IOException {
        MessageFacts first;
        try (InputStream in = Files.newInputStream(message)) {
            first = new MessageParser().parse(in);
        }
        MessageFacts second;
        try (InputStream in = Files.newInputStream(message)) {
            second = new MessageParser().parse(in);
        }

        assertThat(first.captureKey()).isNotBlank().isEqualTo(second.captureKey());
        assertThat(first.textBody()).isNotNull();
    }
}

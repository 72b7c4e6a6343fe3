package org.jamescrm.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the recording CRM in James was asked to write: the JSON lines of its file, read from the test's
 * side of the class loaders. A line still being written is not read.
 */
final class RecordedWrites {
    private final ObjectMapper mapper = new ObjectMapper();
    private final Path file;

    RecordedWrites(Path file) {
        this.file = file;
    }

    /** Every write so far, in the order the CRM was asked. */
    List<JsonNode> all() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            List<JsonNode> writes = new ArrayList<>();
            for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
                if (!line.isEmpty()) {
                    writes.add(mapper.readTree(line));
                }
            }
            return writes;
        } catch (JsonProcessingException e) {
            throw new AssertionError("the recording CRM wrote a line that is not JSON in " + file, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The writes of one kind ({@code contact}, {@code deal}, {@code activity}) for one capture key. */
    List<JsonNode> of(String kind, String originKey) {
        return all().stream().filter(write -> write.path("write").asText().equals(kind))
            .filter(write -> write.path("originKey").asText().equals(originKey)).toList();
    }

    /** The kinds of the writes for one capture key, in order. */
    List<String> kindsOf(String originKey) {
        return all().stream().filter(write -> write.path("originKey").asText().equals(originKey))
            .map(write -> write.path("write").asText()).toList();
    }

    /** The activities recorded for the mail with this Message-ID. */
    List<JsonNode> activities(String messageId) {
        return all().stream().filter(write -> write.path("write").asText().equals("activity"))
            .filter(write -> write.path("messageId").asText().equals(messageId)).toList();
    }
}

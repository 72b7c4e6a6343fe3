package org.jamescrm.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.jamescrm.rules.ReasonCode;
import org.junit.jupiter.api.Test;

/** The explanation table of docs/operations.md is the code's, word for word. */
class ExplanationsDocumentedTest {

    @Test
    void everyReasonCodeShouldBeExplainedInTheOperationsGuideAsTheDecisionsSayIt() throws Exception {
        String guide = Files.readString(Path.of("../docs/operations.md"));

        assertThat(Arrays.stream(ReasonCode.values()))
            .allSatisfy(reason -> assertThat(guide).contains("| `" + reason.name() + "` | " + reason.explanation() + " |"));
    }
}

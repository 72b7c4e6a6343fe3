package org.jamescrm.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;

import org.jamescrm.rules.ReasonCode;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class JsonViewsTest {
    final JsonViews json = new JsonViews();

    @Test
    void aSafeViewShouldEscapeMarkupAndNonAsciiAndStayValidJson() throws Exception {
        String written = json.writeSafe(Map.of("title", "<script>alert('x') & \"y\"</script> é"));

        assertThat(written).doesNotContain("<").doesNotContain(">").doesNotContain("&").doesNotContain("'").doesNotContain("é")
            .contains("\\u003Cscript\\u003E");
        assertThat(new ObjectMapper().readTree(written).path("title").asText()).isEqualTo("<script>alert('x') & \"y\"</script> é");
    }

    @Test
    void anExcerptShouldKeepAtMostTwoHundredCharacters() {
        assertThat(JsonViews.excerpt("a".repeat(500))).hasSize(201).endsWith("…");
        assertThat(JsonViews.excerpt("short")).isEqualTo("short");
    }

    @Test
    void everyReasonCodeShouldExplainItselfInOneSentenceSayingWhetherItIsSaved() {
        assertThat(ReasonCode.INTERNAL.explanation()).isEqualTo("not saved: every party is a company address");
        assertThat(Arrays.stream(ReasonCode.values())).allSatisfy(reason -> assertThat(reason.explanation())
            .startsWith(reason.captured() ? "saved" : "not saved").doesNotContain(". "));
    }
}

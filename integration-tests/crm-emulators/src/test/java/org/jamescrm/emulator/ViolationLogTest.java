package org.jamescrm.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The violations log and its assertions. */
class ViolationLogTest {
    static final Instant START = Instant.parse("2026-11-29T10:00:00Z");

    final MutableClock clock = new MutableClock(START, ZoneOffset.UTC);
    final ViolationLog log = new ViolationLog(clock);

    @Test
    void anEmptyLogShouldPassItsAssertions() {
        assertThat(log.isEmpty()).isTrue();
        assertThatCode(log::assertNone).doesNotThrowAnyException();
        assertThatCode(() -> log.assertCount(Violation.Kind.DUPLICATE_RECORD, 0)).doesNotThrowAnyException();
    }

    @Test
    void aViolationShouldBeRecordedWithItsTimeAndEvidenceAndFailTheAssertions() {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("ID", "7");
        evidence.put("OWNER", null);
        log.record(Violation.Kind.DUPLICATE_RECORD, "contacts.create", "a second contact for ann@client.example", evidence);

        assertThat(log.all()).singleElement().satisfies(violation -> {
            assertThat(violation.at()).isEqualTo(START);
            assertThat(violation.evidence()).containsEntry("ID", "7").containsEntry("OWNER", null);
        });
        assertThat(log.of(Violation.Kind.EMAIL_SENT_TO_CLIENT)).isEmpty();
        assertThatCode(() -> log.assertNone(Violation.Kind.TRUNCATED_WRITE)).doesNotThrowAnyException();
        assertThatThrownBy(log::assertNone).isInstanceOf(AssertionError.class)
            .hasMessage("the CRM would have done what a user regrets: 1 violation(s)\n  DUPLICATE_RECORD by contacts.create at "
                + "2026-11-29T10:00:00Z: a second contact for ann@client.example {ID=7, OWNER=null}");
        assertThatThrownBy(() -> log.assertCount(Violation.Kind.DUPLICATE_RECORD, 2)).isInstanceOf(AssertionError.class)
            .hasMessageStartingWith("expected 2 violation(s) DUPLICATE_RECORD, got 1");
    }

    @Test
    void clearShouldForgetEveryViolation() {
        log.record(Violation.Kind.TRUNCATED_WRITE, "notes.create", "the note was cut at 32000 characters", Map.of());

        log.clear();

        assertThat(log.isEmpty()).isTrue();
    }
}

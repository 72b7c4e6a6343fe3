package org.jamescrm.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.rules.Direction;
import org.jamescrm.rules.ReasonCode;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.ItemType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDecisionStoreTest {
    static final Instant T0 = Instant.parse("2026-11-22T09:00:00Z");
    final JsonViews json = new JsonViews();

    @TempDir
    Path folder;

    @Test
    void theDecisionsShouldSurviveARestartAsTheyWere() {
        Path file = folder.resolve("var/crm-capture/decisions.jsonl");
        DecisionLog before = new DecisionLog(10, json, new FileDecisionStore(file, 10, json));
        DecisionRecord captured = decision(1, ReasonCode.ACTIVE_DEAL, "ACTIVE_DEAL");
        DecisionRecord filtered = decision(2, ReasonCode.FILTERED, "FILTERED:newsletters");
        before.record(captured);
        before.record(filtered);

        DecisionLog after = new DecisionLog(10, json, new FileDecisionStore(file, 10, json));

        assertThat(after.recent(10)).containsExactly(filtered, captured);
    }

    @Test
    void theFileShouldKeepTheNewestCapacityDecisionsOnly() throws Exception {
        Path file = folder.resolve("decisions.jsonl");
        DecisionLog log = new DecisionLog(3, json, new FileDecisionStore(file, 3, json));
        for (int i = 1; i <= 7; i++) {
            log.record(decision(i, ReasonCode.NEW_LEAD, "NEW_LEAD"));
        }

        assertThat(Files.readAllLines(file)).hasSizeLessThan(6);
        assertThat(new DecisionLog(3, json, new FileDecisionStore(file, 3, json)).recent(10))
            .extracting(DecisionRecord::captureKey).containsExactly("<7@x>", "<6@x>", "<5@x>");
    }

    @Test
    void aLineCutShortByACrashShouldBeSkipped() throws Exception {
        Path file = folder.resolve("decisions.jsonl");
        new DecisionLog(10, json, new FileDecisionStore(file, 10, json)).record(decision(1, ReasonCode.INTERNAL, "INTERNAL"));
        Files.writeString(file, "{\"messageId\":\"<2@x>\",\"captureK", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        assertThat(new DecisionLog(10, json, new FileDecisionStore(file, 10, json)).recent(10))
            .extracting(DecisionRecord::captureKey).containsExactly("<1@x>");
    }

    @Test
    void aDecisionAfterALineCutShortShouldBeKeptOnALineOfItsOwn() throws Exception {
        Path file = folder.resolve("decisions.jsonl");
        new DecisionLog(10, json, new FileDecisionStore(file, 10, json)).record(decision(1, ReasonCode.INTERNAL, "INTERNAL"));
        Files.writeString(file, "{\"messageId\":\"<2@x>\",\"captureK", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        new DecisionLog(10, json, new FileDecisionStore(file, 10, json)).record(decision(3, ReasonCode.NEW_LEAD, "NEW_LEAD"));

        assertThat(new DecisionLog(10, json, new FileDecisionStore(file, 10, json)).recent(10))
            .extracting(DecisionRecord::captureKey).containsExactly("<3@x>", "<1@x>");
    }

    @Test
    void rewritesShouldKeepTheNewestDecisionsInTheirOrderWhileTheFileStaysOpen() throws Exception {
        Path file = folder.resolve("decisions.jsonl");
        FileDecisionStore store = new FileDecisionStore(file, 4, json);
        DecisionLog log = new DecisionLog(4, json, store);
        for (int i = 1; i <= 23; i++) { // five rewrites
            log.record(decision(i, ReasonCode.NEW_LEAD, "NEW_LEAD"));
        }

        assertThat(Files.readAllLines(file)).hasSizeBetween(4, 7).last().asString().contains("<23@x>");
        assertThat(new DecisionLog(4, json, new FileDecisionStore(file, 4, json)).recent(10))
            .extracting(DecisionRecord::captureKey).containsExactly("<23@x>", "<22@x>", "<21@x>", "<20@x>");
        store.close();
    }

    @Test
    void aStoreClosedShouldOpenItsFileAgainForTheNextDecision() {
        Path file = folder.resolve("decisions.jsonl");
        FileDecisionStore store = new FileDecisionStore(file, 10, json);
        DecisionLog log = new DecisionLog(10, json, store);
        log.record(decision(1, ReasonCode.NEW_LEAD, "NEW_LEAD"));
        store.close();
        log.record(decision(2, ReasonCode.INTERNAL, "INTERNAL"));
        store.close();

        assertThat(new DecisionLog(10, json, new FileDecisionStore(file, 10, json)).recent(10))
            .extracting(DecisionRecord::captureKey).containsExactly("<2@x>", "<1@x>");
    }

    @Test
    void aFileThatCannotBeWrittenShouldLoseNoDecisionOnceItCanBeAgain() throws Exception {
        Path file = folder.resolve("decisions.jsonl");
        Files.createDirectories(file); // a folder where the file should be: nothing can be appended
        FileDecisionStore store = new FileDecisionStore(file, 10, json);
        DecisionLog log = new DecisionLog(10, json, store);
        log.record(decision(1, ReasonCode.NEW_LEAD, "NEW_LEAD"));
        assertThat(log.recent(10)).extracting(DecisionRecord::captureKey).containsExactly("<1@x>");

        Files.delete(file);
        log.record(decision(2, ReasonCode.INTERNAL, "INTERNAL"));
        store.close();

        assertThat(new DecisionLog(10, json, new FileDecisionStore(file, 10, json)).recent(10))
            .extracting(DecisionRecord::captureKey).containsExactly("<2@x>");
    }

    @Test
    void aFileMovedWhileJamesRunsShouldTakeTheDecisionsUntilTheNextCutThenANewFileStarts() throws Exception {
        Path file = folder.resolve("decisions.jsonl");
        Path moved = folder.resolve("moved.jsonl");
        FileDecisionStore store = new FileDecisionStore(file, 2, json);
        DecisionLog log = new DecisionLog(2, json, store);
        log.record(decision(1, ReasonCode.NEW_LEAD, "NEW_LEAD"));
        Files.move(file, moved);
        for (int i = 2; i <= 5; i++) { // the fourth line asks for a cut, which finds no file
            log.record(decision(i, ReasonCode.NEW_LEAD, "NEW_LEAD"));
        }
        store.close();

        assertThat(Files.readAllLines(moved)).hasSize(4);
        assertThat(new DecisionLog(2, json, new FileDecisionStore(file, 2, json)).recent(10))
            .extracting(DecisionRecord::captureKey).containsExactly("<5@x>");
    }

    private static DecisionRecord decision(int n, ReasonCode reason, String label) {
        return new DecisionRecord(Optional.of("<" + n + "@x>"), "<" + n + "@x>", Direction.INBOUND, Optional.of(EmailAddress.of("carol@client.example")),
            List.of(EmailAddress.of("carol@client.example")), List.of(EmailAddress.of("alice@company.example")),
            Optional.of(EmailAddress.of("alice@company.example")), reason, label, "detail " + n,
            reason.captured() ? List.of(new ItemRef(ItemType.DEAL, "4"), new ItemRef(ItemType.CONTACT, "3")) : List.of(),
            reason.captured() ? Optional.of("5") : Optional.empty(), reason.captured() ? Optional.of("2") : Optional.empty(),
            Map.of("mailbox", "defaults", "integration", "on"), T0.plusSeconds(n));
    }
}

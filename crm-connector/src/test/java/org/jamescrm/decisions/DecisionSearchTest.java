package org.jamescrm.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.rules.Direction;
import org.jamescrm.rules.ReasonCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DecisionSearchTest {
    static final EmailAddress ALICE = EmailAddress.of("alice@company.example");
    static final EmailAddress BOB = EmailAddress.of("bob@company.example");
    static final EmailAddress CAROL = EmailAddress.of("carol@client.example");
    static final Instant T0 = Instant.parse("2026-11-22T09:00:00Z");

    final DecisionLog log = new DecisionLog(100, new JsonViews());

    @BeforeEach
    void record() {
        log.record(decision("<1@x>", CAROL, List.of(CAROL), List.of(ALICE), ALICE, ReasonCode.NEW_LEAD, "NEW_LEAD", 0));
        log.record(decision("<2@x>", ALICE, List.of(), List.of(ALICE, BOB), ALICE, ReasonCode.INTERNAL, "INTERNAL", 60));
        log.record(decision("<3@x>", ALICE, List.of(CAROL), List.of(ALICE), ALICE, ReasonCode.FILTERED, "FILTERED:newsletters", 120));
        log.record(decision("<4@x>", CAROL, List.of(CAROL), List.of(BOB), BOB, ReasonCode.ACTIVE_DEAL, "ACTIVE_DEAL", 180));
    }

    @Test
    void noCriterionShouldAnswerTheNewestFirstWithTheTotal() {
        DecisionQuery.Page page = log.search(DecisionQuery.newest(2));

        assertThat(page.decisions()).extracting(DecisionRecord::captureKey).containsExactly("<4@x>", "<3@x>");
        assertThat(page.total()).isEqualTo(4);
    }

    @Test
    void anOffsetShouldTurnThePage() {
        DecisionQuery.Page page = log.search(query(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 2, 2));

        assertThat(page.decisions()).extracting(DecisionRecord::captureKey).containsExactly("<2@x>", "<1@x>");
        assertThat(log.search(query(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 2, 10)).decisions()).isEmpty();
    }

    @Test
    void aRecipientShouldBeAClientOrEmployeeOtherThanTheSender() {
        assertThat(keys(query(Optional.empty(), Optional.of(BOB), Optional.empty(), Optional.empty(), 10, 0))).containsExactly("<4@x>", "<2@x>");
        assertThat(keys(query(Optional.empty(), Optional.of(CAROL), Optional.empty(), Optional.empty(), 10, 0))).containsExactly("<3@x>");
        assertThat(keys(query(Optional.empty(), Optional.of(ALICE), Optional.empty(), Optional.empty(), 10, 0))).containsExactly("<1@x>");
    }

    @Test
    void aReasonCodeShouldFindEveryFilterAndALabelOne() {
        assertThat(keys(query(Optional.empty(), Optional.empty(), Optional.of("FILTERED"), Optional.empty(), 10, 0))).containsExactly("<3@x>");
        assertThat(keys(query(Optional.empty(), Optional.empty(), Optional.of("filtered:newsletters"), Optional.empty(), 10, 0)))
            .containsExactly("<3@x>");
        assertThat(keys(query(Optional.empty(), Optional.empty(), Optional.of("FILTERED:other"), Optional.empty(), 10, 0))).isEmpty();
    }

    @Test
    void senderCapturedAndTimeShouldCombine() {
        DecisionQuery query = new DecisionQuery(Optional.empty(), Optional.of(CAROL), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.of(true), Optional.of(T0.plusSeconds(60)), Optional.of(T0.plusSeconds(181)), 10, 0);

        assertThat(log.search(query).decisions()).extracting(DecisionRecord::captureKey).containsExactly("<4@x>");
    }

    @Test
    void theMailboxAndMessageIdShouldFind() {
        DecisionQuery byMailbox = new DecisionQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(BOB), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), 10, 0);
        DecisionQuery byId = new DecisionQuery(Optional.of("2@x"), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), 10, 0);

        assertThat(log.search(byMailbox).decisions()).extracting(DecisionRecord::captureKey).containsExactly("<4@x>");
        assertThat(log.search(byId).decisions()).extracting(DecisionRecord::captureKey).containsExactly("<2@x>");
    }

    private List<String> keys(DecisionQuery query) {
        return log.search(query).decisions().stream().map(DecisionRecord::captureKey).toList();
    }

    private static DecisionQuery query(Optional<EmailAddress> sender, Optional<EmailAddress> recipient, Optional<String> reason,
                                       Optional<Boolean> captured, int limit, int offset) {
        return new DecisionQuery(Optional.empty(), sender, recipient, Optional.empty(), reason, captured, Optional.empty(), Optional.empty(),
            limit, offset);
    }

    private static DecisionRecord decision(String id, EmailAddress sender, List<EmailAddress> clients, List<EmailAddress> employees,
                                           EmailAddress mailbox, ReasonCode reason, String label, long second) {
        return new DecisionRecord(Optional.of(id), id, Direction.INBOUND, Optional.of(sender), clients, employees, Optional.of(mailbox),
            reason, label, "detail", List.of(), Optional.empty(), Optional.empty(), Map.of(), T0.plusSeconds(second));
    }
}

package org.jamescrm.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.rules.Direction;
import org.jamescrm.rules.ReasonCode;
import org.jamescrm.store.StoreUnavailableException;
import org.junit.jupiter.api.Test;

/** The decision log of a cluster: it asks the shared store, and its own memory while the store is down, without asking again and again. */
class SharedDecisionLogTest {

    /** A shared store that answers what it was given, or fails while {@code down}. */
    private static final class Shared implements SharedDecisionStore {
        final List<DecisionRecord> kept = new ArrayList<>();
        final AtomicInteger searches = new AtomicInteger();
        boolean down;

        @Override
        public List<DecisionRecord> load() {
            return List.of();
        }

        @Override
        public void append(DecisionRecord record) {
            kept.add(0, record);
        }

        @Override
        public DecisionQuery.Page search(DecisionQuery query) {
            searches.incrementAndGet();
            if (down) {
                throw new StoreUnavailableException("connection refused", null);
            }
            List<DecisionRecord> matching = kept.stream().filter(query::matches).toList();
            return new DecisionQuery.Page(matching, matching.size());
        }
    }

    @Test
    void aDecisionAnotherServerKeptShouldBeFoundThroughTheSharedStore() {
        Shared shared = new Shared();
        DecisionLog log = new DecisionLog(100, new JsonViews(), shared);
        shared.kept.add(decision("<other@client.example>"));

        assertThat(log.latest("other@client.example")).isPresent();
    }

    @Test
    void whileTheStoreIsDownTheServersOwnDecisionsShouldAnswerAndTheStoreBeLeftAloneForAWhile() {
        Shared shared = new Shared();
        DecisionLog log = new DecisionLog(100, new JsonViews(), shared);
        log.record(decision("<mine@client.example>"));
        shared.down = true;

        assertThat(log.latest("mine@client.example")).isPresent();
        assertThat(log.latest("mine@client.example")).isPresent();
        assertThat(log.recent(10)).hasSize(1);
        assertThat(shared.searches).as("asked once, then left alone").hasValue(1);
    }

    private static DecisionRecord decision(String messageId) {
        return new DecisionRecord(Optional.of(messageId), messageId, Direction.INBOUND, Optional.of(EmailAddress.of("carol@client.example")),
            List.of(EmailAddress.of("carol@client.example")), List.of(EmailAddress.of("alice@company.example")),
            Optional.of(EmailAddress.of("alice@company.example")), ReasonCode.INTERNAL, "INTERNAL", "why", List.of(), Optional.empty(),
            Optional.empty(), Map.of(), Instant.parse("2026-11-22T09:00:00Z"));
    }
}

package org.jamescrm.james.webadmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.jamescrm.decisions.DecisionQuery;
import org.jamescrm.model.EmailAddress;
import org.junit.jupiter.api.Test;

class DecisionSearchQueryTest {

    @Test
    void noParameterShouldAskForTheHundredNewest() {
        assertThat(DecisionSearchQuery.parse(Map.<String, String>of()::get)).isEqualTo(DecisionQuery.newest(100));
    }

    @Test
    void everyCriterionShouldBeRead() {
        DecisionQuery query = DecisionSearchQuery.parse(Map.of("sender", "carol@client.example", "recipient", "alice@company.example",
            "mailbox", "sales@company.example", "reason", "FILTERED:newsletters", "captured", "false", "from", "2026-11-22",
            "to", "2026-11-23T12:00:00Z", "limit", "20", "offset", "40", "messageId", "<1@x>")::get);

        assertThat(query).isEqualTo(new DecisionQuery(Optional.of("<1@x>"), Optional.of(EmailAddress.of("carol@client.example")),
            Optional.of(EmailAddress.of("alice@company.example")), Optional.of(EmailAddress.of("sales@company.example")),
            Optional.of("FILTERED:newsletters"), Optional.of(false), Optional.of(Instant.parse("2026-11-22T00:00:00Z")),
            Optional.of(Instant.parse("2026-11-23T12:00:00Z")), 20, 40));
    }

    @Test
    void anUnknownReasonShouldBeRefusedWithTheCodes() {
        assertThatThrownBy(() -> DecisionSearchQuery.parse(Map.of("reason", "INTERNALL")::get))
            .hasMessageStartingWith("Invalid 'reason' query parameter 'INTERNALL': allowed values: INTERNAL, RELAY, SPAM,")
            .hasMessageEndingWith("QUEUE_LEAD, NEW_CASE, CASE_TOKEN, GROUP_LEAD, FILTERED:<rule>");
    }

    @Test
    void badValuesShouldBeRefusedNamingTheParameter() {
        assertThatThrownBy(() -> DecisionSearchQuery.parse(Map.of("from", "yesterday")::get))
            .hasMessage("Invalid 'from' query parameter 'yesterday': allowed values: an instant (2026-11-22T09:00:00Z) or a day (2026-11-22), UTC");
        assertThatThrownBy(() -> DecisionSearchQuery.parse(Map.of("offset", "-1")::get))
            .hasMessage("Invalid 'offset' query parameter '-1': allowed values: a whole number of at least 0");
        assertThatThrownBy(() -> DecisionSearchQuery.parse(Map.of("captured", "yes")::get))
            .hasMessage("Invalid 'captured' query parameter 'yes': allowed values: true, false");
        assertThatThrownBy(() -> DecisionSearchQuery.parse(Map.of("mailbox", "<b>")::get))
            .hasMessage("Invalid 'mailbox' query parameter '\\u003cb\\u003e': allowed values: an e-mail address");
    }
}

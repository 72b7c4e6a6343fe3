package org.jamescrm.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** One server's ledger: claims while writing, and the keys whose write got no answer. */
class InMemoryCaptureLedgerTest {
    private final InMemoryCaptureLedger ledger = new InMemoryCaptureLedger();

    @Test
    void aKeyWrittenUnansweredShouldBeResumedByItsNextClaimOnly() {
        ledger.claim("<u@client.example>", "bitrix24");
        ledger.unanswered("<u@client.example>", "bitrix24");

        assertThat(ledger.claim("<u@client.example>", "espocrm")).as("another CRM's capture").isInstanceOf(CaptureLedger.Claimed.class);
        assertThat(ledger.claim("<u@client.example>", "bitrix24")).isInstanceOf(CaptureLedger.Resumed.class);
        ledger.release("<u@client.example>", "bitrix24");
        assertThat(ledger.claim("<u@client.example>", "bitrix24")).isInstanceOf(CaptureLedger.Claimed.class);
    }

    @Test
    void onlyAClaimedKeyShouldBeMarkedUnanswered() {
        ledger.unanswered("<v@client.example>", "bitrix24");

        assertThat(ledger.claim("<v@client.example>", "bitrix24")).isInstanceOf(CaptureLedger.Claimed.class);
    }

    @Test
    void theOldestUnansweredKeysShouldBeForgottenBeyondTheLimit() {
        for (int i = 0; i <= InMemoryCaptureLedger.UNANSWERED_KEPT; i++) {
            ledger.claim("<" + i + "@client.example>", "bitrix24");
            ledger.unanswered("<" + i + "@client.example>", "bitrix24");
        }

        assertThat(ledger.claim("<0@client.example>", "bitrix24")).isInstanceOf(CaptureLedger.Claimed.class);
        assertThat(ledger.claim("<1@client.example>", "bitrix24")).isInstanceOf(CaptureLedger.Resumed.class);
    }
}

package org.jamescrm.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jamescrm.capture.CaptureHarness.message;

import java.util.ArrayList;
import java.util.List;

import org.jamescrm.decisions.DecisionRecord;
import org.jamescrm.rules.ReasonCode;
import org.junit.jupiter.api.Test;

/**
 * Mail loops (issue 16, capture-rules §3 AUTOMATED and FLOOD): auto-responders answering each other
 * create nothing beyond the first human mail; one that does not say it is automated is stopped by the
 * flood guard, whose decision says why.
 */
class MailLoopTest {
    static final String CLIENT = "carol@client.example";
    static final String ALICE = "alice@company.example";

    @Test
    void aClientsAutoResponderAndAnEmployeesVacationReplyAnsweringEachOtherShouldAddNothingToTheFirstHumanMail() {
        CaptureHarness harness = new CaptureHarness("");
        DecisionRecord human = harness.deliver(CLIENT, List.of(ALICE), message(CLIENT, ALICE, "<human@client>", "Quote please", ""));
        List<DecisionRecord> loop = new ArrayList<>();
        String previous = "<human@client>";
        for (int i = 1; i <= 15; i++) {
            String vacation = "<vacation" + i + "@company>";
            loop.add(harness.deliver(ALICE, List.of(CLIENT), message(ALICE, CLIENT, vacation, "Re: Quote please",
                "Auto-Submitted: auto-replied\r\nIn-Reply-To: " + previous + "\r\n")));
            String autoReply = "<auto" + i + "@client>";
            loop.add(harness.deliver(CLIENT, List.of(ALICE), message(CLIENT, ALICE, autoReply, "Automatic reply: Re: Quote please",
                "X-Autoreply: yes\r\nIn-Reply-To: " + vacation + "\r\n")));
            previous = autoReply;
        }

        assertThat(human.reason()).isEqualTo(ReasonCode.NEW_LEAD);
        assertThat(loop).extracting(DecisionRecord::reason).containsOnly(ReasonCode.AUTOMATED);
        assertThat(harness.crm.leads()).hasSize(1);
        assertThat(harness.crm.activities()).hasSize(1);
    }

    @Test
    void anAutoResponderThatDoesNotSayItIsAutomatedShouldTripTheFloodGuardWhichSaysSo() {
        CaptureHarness harness = new CaptureHarness("<flood><captures>5</captures><window>2 hours</window></flood>");
        List<DecisionRecord> decisions = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            decisions.add(harness.deliver(CLIENT, List.of(ALICE), message(CLIENT, ALICE, "<bot" + i + "@client>", "Re: Quote please", "")));
        }

        assertThat(decisions.subList(0, 5)).extracting(DecisionRecord::captured).containsOnly(true);
        assertThat(decisions.subList(5, 12)).extracting(DecisionRecord::reason).containsOnly(ReasonCode.FLOOD);
        assertThat(decisions.get(5).detail()).isEqualTo(CLIENT + " already has 5 captures within 2 hours, as a mail loop (two "
            + "auto-responders answering each other) or a mail bomb would: not captured, parked for review");
        assertThat(harness.crm.leads()).hasSize(1);
        assertThat(harness.crm.activities()).hasSize(5);
    }
}

package org.jamescrm.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jamescrm.capture.CaptureHarness.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.decisions.DecisionRecord;
import org.jamescrm.rules.ReasonCode;
import org.jamescrm.spi.CrmCapabilities;
import org.jamescrm.spi.CrmConnector;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmLookup;
import org.jamescrm.spi.CrmLookupResult;
import org.jamescrm.spi.CrmRejectedException;
import org.jamescrm.spi.CrmUnavailableException;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.ItemType;
import org.jamescrm.spi.NewItem;
import org.jamescrm.spi.NewLead;
import org.jamescrm.spi.WritePlan;
import org.jamescrm.spi.WriteResult;
import org.junit.jupiter.api.Test;

/**
 * Rounds of captures: many mails decided on one CRM lookup and written as one set of plans, without
 * the duplicates a naive batch would make.
 */
class CaptureRoundTest {
    private final CaptureHarness harness = new CaptureHarness("");

    private CaptureRequest inbound(String from, String messageId, String extra) {
        return harness.request(from, List.of("alice@company.example"),
            message(from, "alice@company.example", messageId, "Inquiry", extra));
    }

    @Test
    void mailsOfDifferentNewClientsShouldAllBeCapturedInOneRound() {
        List<RoundOutcome> outcomes = harness.service.captureRound(List.of(
            inbound("carol@client.example", "<1@client.example>", ""),
            inbound("dave@other.example", "<2@other.example>", ""),
            inbound("erin@third.example", "<3@third.example>", "")));

        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome).isInstanceOf(RoundOutcome.Decided.class));
        assertThat(harness.crm.leads()).extracting(lead -> lead.email().value())
            .containsExactlyInAnyOrder("carol@client.example", "dave@other.example", "erin@third.example");
        assertThat(harness.crm.activities()).hasSize(3);
    }

    @Test
    void aSecondMailOfANewClientShouldWaitForTheNextRoundInsteadOfMakingASecondLead() {
        List<RoundOutcome> first = harness.service.captureRound(List.of(
            inbound("carol@client.example", "<1@client.example>", ""),
            inbound("carol@client.example", "<2@client.example>", "")));

        assertThat(first.get(0)).isInstanceOf(RoundOutcome.Decided.class);
        assertThat(first.get(1)).isInstanceOf(RoundOutcome.Deferred.class);
        assertThat(harness.crm.leads()).hasSize(1);

        List<RoundOutcome> next = harness.service.captureRound(List.of(inbound("carol@client.example", "<2@client.example>", "")));

        assertThat(next.get(0)).isInstanceOf(RoundOutcome.Decided.class);
        assertThat(harness.crm.leads()).as("the second mail joins the lead of the first").hasSize(1);
        assertThat(harness.crm.activities()).hasSize(2)
            .allSatisfy(activity -> assertThat(activity.email().bindings()).containsExactly(
                new ItemRef(ItemType.LEAD, harness.crm.leads().get(0).id())));
    }

    @Test
    void aReplyToAMailOfTheSameRoundShouldWaitForTheNextRound() {
        harness.crm.addContact("Carol", EmailAddress.of("carol@client.example"), Optional.empty(), Optional.of(harness.alice.id()));
        CaptureRequest original = harness.request("alice@company.example", List.of("dave@other.example"),
            message("alice@company.example", "dave@other.example", "<offer@company.example>", "Offer", ""));
        CaptureRequest reply = inbound("carol@client.example", "<re@client.example>", "In-Reply-To: <offer@company.example>\r\n");

        List<RoundOutcome> outcomes = harness.service.captureRound(List.of(original, reply));

        assertThat(outcomes.get(0)).isInstanceOf(RoundOutcome.Decided.class);
        assertThat(outcomes.get(1)).isInstanceOf(RoundOutcome.Deferred.class);
    }

    @Test
    void theSameMailTwiceInARoundShouldBeCapturedOnce() {
        List<RoundOutcome> first = harness.service.captureRound(List.of(
            inbound("carol@client.example", "<1@client.example>", ""),
            inbound("carol@client.example", "<1@client.example>", "")));
        List<RoundOutcome> next = harness.service.captureRound(List.of(inbound("carol@client.example", "<1@client.example>", "")));

        assertThat(first.get(1)).isInstanceOf(RoundOutcome.Deferred.class);
        assertThat(((RoundOutcome.Decided) next.get(0)).record().reason()).isEqualTo(ReasonCode.DUPLICATE);
        assertThat(harness.crm.activities()).hasSize(1);
    }

    @Test
    void aFailedPlanShouldFailItsCaptureOnlyAndItsRetryShouldReuseWhatWasWritten() {
        LeadsThenActivityFailing failing = new LeadsThenActivityFailing(harness);
        CaptureService service = new CaptureService(failing, () -> harness.settings, harness.decisions, harness.missingUsers,
            harness.clock);

        List<RoundOutcome> outcomes = service.captureRound(List.of(
            inbound("carol@client.example", "<1@client.example>", ""),
            inbound("dave@other.example", "<2@other.example>", "")));

        assertThat(outcomes.get(0)).as("carol's lead was written, her activity failed").isInstanceOf(RoundOutcome.Failed.class);
        assertThat(outcomes.get(1)).isInstanceOf(RoundOutcome.Decided.class);
        assertThat(harness.crm.leads()).hasSize(2);
        assertThat(harness.decisions.latest("1@client.example")).as("nothing recorded for a failed capture").isEmpty();

        failing.failActivities = false;
        List<RoundOutcome> retry = service.captureRound(List.of(inbound("carol@client.example", "<1@client.example>", "")));

        assertThat(((RoundOutcome.Decided) retry.get(0)).record().captured()).isTrue();
        assertThat(harness.crm.leads()).as("the retry finds the lead of the first attempt by its origin key").hasSize(2);
        assertThat(harness.crm.activities()).hasSize(2);
    }

    @Test
    void aWriteThatLandedThoughItsAnswerWasLostShouldBeCapturedByItsRetryAndALaterCopyBeADuplicate() {
        AnswersLost losing = new AnswersLost(harness);
        CaptureService service = new CaptureService(losing, () -> harness.settings, harness.decisions, harness.missingUsers,
            harness.clock);

        List<RoundOutcome> first = service.captureRound(List.of(inbound("carol@client.example", "<1@client.example>", "")));

        assertThat(first.get(0)).as("the connection dropped before the CRM answered").isInstanceOf(RoundOutcome.Failed.class);
        assertThat(harness.crm.activities()).as("but the write landed").hasSize(1);

        losing.loseAnswers = false;
        List<RoundOutcome> retry = service.captureRound(List.of(inbound("carol@client.example", "<1@client.example>", "")));

        DecisionRecord record = ((RoundOutcome.Decided) retry.get(0)).record();
        assertThat(record.captured()).as(record.detail()).isTrue();
        assertThat(record.activityId()).contains(harness.crm.activities().get(0).id());
        assertThat(record.detail()).contains("written by an earlier attempt");
        assertThat(record.items()).containsExactly(new ItemRef(ItemType.LEAD, harness.crm.leads().get(0).id()));
        assertThat(harness.crm.leads()).hasSize(1);
        assertThat(harness.crm.activities()).as("nothing written twice").hasSize(1);

        List<RoundOutcome> copy = service.captureRound(List.of(inbound("carol@client.example", "<1@client.example>", "")));

        assertThat(((RoundOutcome.Decided) copy.get(0)).record().reason()).as("the same mail delivered again")
            .isEqualTo(ReasonCode.DUPLICATE);
        assertThat(harness.crm.activities()).hasSize(1);
    }

    @Test
    void aRefusedWriteShouldLeaveAnActivityFoundLaterToBeADuplicate() {
        AnswersLost refusing = new AnswersLost(harness);
        refusing.refuse = true;
        CaptureService service = new CaptureService(refusing, () -> harness.settings, harness.decisions, harness.missingUsers,
            harness.clock);

        service.captureRound(List.of(inbound("carol@client.example", "<1@client.example>", "")));
        refusing.loseAnswers = false;
        List<RoundOutcome> retry = service.captureRound(List.of(inbound("carol@client.example", "<1@client.example>", "")));

        assertThat(((RoundOutcome.Decided) retry.get(0)).record().reason())
            .as("a CRM that refused a write says it did not land: what the key finds is another capture's")
            .isEqualTo(ReasonCode.DUPLICATE);
    }

    /** The in-memory CRM behind a connector the test breaks in its own way. */
    private abstract static class Breaking implements CrmConnector {
        final CaptureHarness harness;

        Breaking(CaptureHarness harness) {
            this.harness = harness;
        }

        @Override
        public String name() {
            return "breaking";
        }

        @Override
        public CrmCapabilities capabilities() {
            return harness.crm.connector().capabilities();
        }

        @Override
        public void checkConnection() {
        }

        @Override
        public CrmLookupResult lookUp(CrmLookup lookup) throws CrmException {
            return harness.crm.connector().lookUp(lookup);
        }
    }

    /**
     * The in-memory CRM writing every plan whole, then, while asked to, answering as a dropped
     * connection does (unavailable), or as a CRM refusing the request would.
     */
    private static final class AnswersLost extends Breaking {
        private volatile boolean loseAnswers = true;
        private volatile boolean refuse;

        AnswersLost(CaptureHarness harness) {
            super(harness);
        }

        @Override
        public List<WriteResult> write(List<WritePlan> plans) {
            List<WriteResult> results = harness.crm.connector().write(plans);
            if (!loseAnswers) {
                return results;
            }
            CrmException lost = refuse ? new CrmRejectedException("400 for the test")
                : new CrmUnavailableException("the connection dropped before the answer");
            return results.stream().map(result -> (WriteResult) new WriteResult.Failed(lost)).toList();
        }
    }

    /**
     * The in-memory CRM, failing the e-mail activities of carol@client.example while asked to: her
     * plan's new items are written, then the activity fails, as when a CRM goes away mid-capture.
     */
    private static final class LeadsThenActivityFailing extends Breaking {
        private volatile boolean failActivities = true;

        LeadsThenActivityFailing(CaptureHarness harness) {
            super(harness);
        }

        @Override
        public List<WriteResult> write(List<WritePlan> plans) {
            List<WriteResult> results = new ArrayList<>();
            for (WritePlan plan : plans) {
                if (failActivities && plan.activity().clients().contains(EmailAddress.of("carol@client.example"))) {
                    for (NewItem item : plan.creations()) {
                        try {
                            harness.crm.connector().createLead((NewLead) item);
                        } catch (CrmException e) {
                            throw new AssertionError(e);
                        }
                    }
                    results.add(new WriteResult.Failed(new CrmUnavailableException("503 for the test")));
                } else {
                    results.addAll(harness.crm.connector().write(List.of(plan)));
                }
            }
            return results;
        }
    }
}

package org.jamescrm.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jamescrm.capture.CaptureHarness.message;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jamescrm.decisions.DecisionLog;
import org.jamescrm.decisions.JsonViews;
import org.jamescrm.memory.MemoryCrmAdmin;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.rules.ReasonCode;
import org.jamescrm.settings.CaptureSettings;
import org.jamescrm.spi.CrmCapabilities;
import org.jamescrm.spi.CrmConnector;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmLookup;
import org.jamescrm.spi.CrmLookupResult;
import org.jamescrm.spi.CrmUnavailableException;
import org.jamescrm.spi.WritePlan;
import org.jamescrm.spi.WriteResult;
import org.jamescrm.testing.CaptureRequests;
import org.jamescrm.testing.Settings;
import org.jamescrm.testing.SteppingClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A thread survives an outage in order (capture-rules §4.1, §4.3): a client's first mail and the reply to
 * it, retried together or apart, give one lead with both mails on it, never a contact made by the reply
 * and a repeat lead for the first mail.
 */
class ThreadOrderTest {
    static final String CLIENT = "carol@client.example";
    static final String ALICE = "alice@company.example";
    final SteppingClock clock = new SteppingClock(Instant.parse("2026-11-22T09:00:00Z"));
    final MemoryCrmAdmin crm = MemoryCrmAdmin.create(clock);
    final CaptureSettings settings = Settings.of("<defaults><repeatSale>lead</repeatSale></defaults>");
    final SwitchableCrm connector = new SwitchableCrm(crm.connector());
    final DecisionLog decisions = new DecisionLog(100, new JsonViews());
    final CaptureService service = new CaptureService(connector, () -> settings, decisions, new MissingCrmUsers(), clock);
    CaptureRequest first;
    CaptureRequest reply;

    @BeforeEach
    void mails() {
        crm.addUser(EmailAddress.of(ALICE), "Alice Adams");
        first = request(CLIENT, ALICE, message(CLIENT, ALICE, "<first@client>", "Order", ""));
        reply = request(ALICE, CLIENT, message(ALICE, CLIENT, "<reply@company>", "Re: Order",
            "In-Reply-To: <first@client>\r\nReferences: <first@client>\r\n"));
    }

    private CaptureRequest request(String sender, String recipient, String raw) {
        return CaptureRequests.of(sender, List.of(recipient), raw, "company.example", settings, clock.instant());
    }

    @Test
    void aReplyBeforeItsFirstMailInOneRoundShouldWaitForIt() {
        List<RoundOutcome> round = service.captureRound(List.of(reply, first));

        assertThat(round.get(0)).isInstanceOf(RoundOutcome.Deferred.class);
        assertThat(reason(round.get(1))).isEqualTo(ReasonCode.NEW_LEAD);
        assertThat(reason(service.captureRound(List.of(reply)).get(0))).isEqualTo(ReasonCode.THREAD);
        assertOneLeadWithBothMails();
    }

    @Test
    void aReplyWhoseFirstMailWaitsInTheQueueShouldWaitWithoutSpendingARetry() {
        connector.down = true;
        assertThat(service.captureRound(List.of(first)).get(0)).isInstanceOf(RoundOutcome.Failed.class);
        connector.down = false;

        RoundOutcome early = service.captureRound(List.of(reply)).get(0);

        assertThat(early).isInstanceOfSatisfying(RoundOutcome.Failed.class, failed ->
            assertThat(failed.cause()).isInstanceOfSatisfying(CrmUnavailableException.class, unavailable -> {
                assertThat(unavailable.retryAfter()).contains(CaptureService.PARENT_WAIT);
                assertThat(unavailable.getMessage()).contains("<first@client>");
            }));
        assertThat(crm.activities()).isEmpty();
        assertThat(reason(service.captureRound(List.of(first)).get(0))).isEqualTo(ReasonCode.NEW_LEAD);
        assertThat(reason(service.captureRound(List.of(reply)).get(0))).isEqualTo(ReasonCode.THREAD);
        assertOneLeadWithBothMails();
    }

    @Test
    void aParkedFirstMailShouldNoLongerHoldItsReply() {
        connector.down = true;
        service.captureRound(List.of(first));
        connector.down = false;
        service.recordParked(Optional.of("<first@client>"), "<first@client>", Optional.of(EmailAddress.of(CLIENT)),
            Optional.of(first.classification()), "the CRM stayed unavailable", 8);

        assertThat(reason(service.captureRound(List.of(reply)).get(0))).isEqualTo(ReasonCode.NEW_CONTACT);
    }

    @Test
    void aReplyInAThreadAlreadyInTheCrmShouldNotWaitForAMiddleMailStillInTheQueue() {
        service.captureRound(List.of(first));
        CaptureRequest middle = request(CLIENT, ALICE, message(CLIENT, ALICE, "<middle@client>", "Re: Order",
            "In-Reply-To: <first@client>\r\n"));
        connector.down = true;
        service.captureRound(List.of(middle));
        connector.down = false;
        CaptureRequest last = request(ALICE, CLIENT, message(ALICE, CLIENT, "<last@company>", "Re: Order",
            "In-Reply-To: <middle@client>\r\nReferences: <first@client> <middle@client>\r\n"));

        assertThat(reason(service.captureRound(List.of(last)).get(0))).isEqualTo(ReasonCode.THREAD);
    }

    private void assertOneLeadWithBothMails() {
        assertThat(crm.leads()).singleElement().satisfies(lead -> assertThat(lead.returnCustomer()).isFalse());
        assertThat(crm.contacts()).isEmpty();
        String leadId = crm.leads().get(0).id();
        assertThat(crm.activities()).hasSize(2).allSatisfy(activity ->
            assertThat(activity.bindings()).extracting(item -> item.id()).contains(leadId));
    }

    private static ReasonCode reason(RoundOutcome outcome) {
        assertThat(outcome).isInstanceOf(RoundOutcome.Decided.class);
        return ((RoundOutcome.Decided) outcome).record().reason();
    }

    /** The in-memory CRM, unreachable while {@code down}. */
    static final class SwitchableCrm implements CrmConnector {
        private final CrmConnector crm;
        volatile boolean down;

        SwitchableCrm(CrmConnector crm) {
            this.crm = crm;
        }

        @Override
        public String name() {
            return crm.name();
        }

        @Override
        public CrmCapabilities capabilities() {
            return crm.capabilities();
        }

        @Override
        public void checkConnection() throws CrmException {
            crm.checkConnection();
        }

        @Override
        public CrmLookupResult lookUp(CrmLookup lookup) throws CrmException {
            if (down) {
                throw new CrmUnavailableException("the CRM is down");
            }
            return crm.lookUp(lookup);
        }

        @Override
        public List<WriteResult> write(List<WritePlan> plans) {
            return crm.write(plans);
        }
    }
}

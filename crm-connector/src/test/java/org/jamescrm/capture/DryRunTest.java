package org.jamescrm.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jamescrm.capture.CaptureHarness.message;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.jamescrm.memory.MemoryRecords;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.model.Envelope;
import org.jamescrm.rules.Direction;
import org.jamescrm.rules.ReasonCode;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.ItemType;
import org.jamescrm.spi.NewLead;
import org.junit.jupiter.api.Test;
import org.jamescrm.store.InMemoryRoundRobinPositions;

/** The dry-run: the decision the settings in force would make, touching nothing. */
class DryRunTest {
    static final String CAROL = "Carol Client <carol@client.example>";
    static final String SALES = "<mailbox address=\"sales@company.example\" group=\"true\"><distribution>round-robin</distribution>"
        + "<queue>alice@company.example, bob@company.example, carl@company.example</queue></mailbox>";

    @Test
    void aNewClientShouldGetANewLeadThatIsNeitherWrittenNorRecorded() throws Exception {
        CaptureHarness harness = new CaptureHarness("");

        DryRun dryRun = dryRun(harness, "carol@client.example", "alice@company.example", "<1@client.example>", true);

        assertThat(dryRun.decision().reason()).isEqualTo(ReasonCode.NEW_LEAD);
        assertThat(dryRun.request().classification().direction()).isEqualTo(Direction.INBOUND);
        assertThat(dryRun.decision().creations()).singleElement().isInstanceOfSatisfying(NewLead.class, lead -> {
            assertThat(lead.email()).isEqualTo(EmailAddress.of("carol@client.example"));
            assertThat(lead.responsibleId()).contains(harness.alice.id());
        });
        assertThat(dryRun.settings()).containsEntry("mailbox", "defaults").containsEntry("createLeadForIncoming", "true");
        assertThat(dryRun.lookedUp()).isTrue();
        assertThat(harness.crm.leads()).isEmpty();
        assertThat(harness.crm.activities()).isEmpty();
        assertThat(harness.decisions.recent(10)).isEmpty();
    }

    @Test
    void mailAmongEmployeesShouldBeInternal() throws Exception {
        CaptureHarness harness = new CaptureHarness("");

        DryRun dryRun = dryRun(harness, "alice@company.example", "bob@company.example", "<lunch@company.example>", true);

        assertThat(dryRun.decision().reason()).isEqualTo(ReasonCode.INTERNAL);
        assertThat(harness.decisions.recent(10)).isEmpty();
    }

    @Test
    void aKnownClientWithADealShouldBeBoundToTheDeal() throws Exception {
        CaptureHarness harness = new CaptureHarness("");
        MemoryRecords.Contact contact = harness.crm.addContact("Carol Client", EmailAddress.of("carol@client.example"), Optional.empty(),
            Optional.of(harness.bob.id()));
        MemoryRecords.Deal deal = harness.crm.addDeal("Chairs", Optional.of(contact.id()), Optional.empty(), Optional.of(harness.bob.id()));

        DryRun dryRun = dryRun(harness, "carol@client.example", "alice@company.example", "<2@client.example>", true);

        assertThat(dryRun.decision().reason()).isEqualTo(ReasonCode.ACTIVE_DEAL);
        assertThat(dryRun.decision().bindings()).contains(new ItemRef(ItemType.DEAL, deal.id()));
        assertThat(dryRun.decision().responsibleId()).contains(harness.bob.id());
    }

    @Test
    void withoutLookupsTheCrmShouldBeTakenAsKnowingNobodyAndNotBeAsked() throws Exception {
        CaptureHarness harness = new CaptureHarness("");
        harness.crm.addContact("Carol Client", EmailAddress.of("carol@client.example"), Optional.empty(), Optional.of(harness.bob.id()));
        CaptureMetricsTest.Recording metrics = new CaptureMetricsTest.Recording();
        CaptureService service = new CaptureService(harness.crm.connector(), () -> harness.settings, harness.decisions,
            harness.missingUsers, new InMemoryRoundRobinPositions(), metrics, harness.clock);

        DryRun dryRun = service.dryRun(raw("carol@client.example", "alice@company.example", "<3@client.example>"),
            envelope("carol@client.example", "alice@company.example"), CaptureHarness.SERVER_DOMAIN::equals, false);

        assertThat(dryRun.decision().reason()).isEqualTo(ReasonCode.NEW_LEAD);
        assertThat(dryRun.lookedUp()).isFalse();
        assertThat(metrics.requests).isEmpty();
    }

    @Test
    void aDryRunShouldTakeNoRoundRobinTurnAndAgreeWithTheCaptureThatFollows() throws Exception {
        CaptureHarness harness = new CaptureHarness(SALES);

        DryRun first = dryRun(harness, "x@client.example", "sales@company.example", "<x@client.example>", true);
        DryRun second = dryRun(harness, "x@client.example", "sales@company.example", "<x@client.example>", true);
        var captured = harness.deliver("x@client.example", List.of("sales@company.example"),
            message("x@client.example", "sales@company.example", "<x@client.example>", "Price?", ""));

        assertThat(first.decision().responsibleId()).contains(harness.alice.id());
        assertThat(second.decision().responsibleId()).isEqualTo(first.decision().responsibleId());
        assertThat(captured.reason()).isEqualTo(first.decision().reason());
        assertThat(captured.responsibleId()).isEqualTo(first.decision().responsibleId());
    }

    @Test
    void aCapturedMessageShouldBeADuplicate() throws Exception {
        CaptureHarness harness = new CaptureHarness("");
        harness.deliver("carol@client.example", List.of("alice@company.example"),
            message(CAROL, "alice@company.example", "<4@client.example>", "Order", ""));

        DryRun dryRun = dryRun(harness, "carol@client.example", "alice@company.example", "<4@client.example>", true);

        assertThat(dryRun.decision().reason()).isEqualTo(ReasonCode.DUPLICATE);
        assertThat(harness.decisions.recent(10)).hasSize(1);
    }

    private static DryRun dryRun(CaptureHarness harness, String sender, String recipient, String messageId, boolean lookups)
            throws java.io.IOException, CrmException {
        return harness.service.dryRun(raw(sender, recipient, messageId), envelope(sender, recipient), CaptureHarness.SERVER_DOMAIN::equals,
            lookups);
    }

    private static byte[] raw(String sender, String recipient, String messageId) {
        return message(sender.startsWith("carol") ? CAROL : sender, recipient, messageId, "Order", "").getBytes(StandardCharsets.UTF_8);
    }

    private static Envelope envelope(String sender, String recipient) {
        return new Envelope(Optional.of(EmailAddress.of(sender)), List.of(EmailAddress.of(recipient)));
    }
}

package org.jamescrm.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jamescrm.model.EmailAddress;
import org.junit.jupiter.api.Test;

/**
 * The contract every connector keeps, whatever the CRM, through the narrow SPI the capture uses
 * ({@link CrmConnector#lookUp} and {@link CrmConnector#write}): run by each connector/CRM pair (the
 * in-memory CRM, each CRM's connector against its emulator over every auth mode). Implementations give
 * the connector and a fixture over the same, empty CRM.
 */
public interface CrmConnectorContract {
    EmailAddress CAROL = ContractMail.CAROL;
    EmailAddress DAVE = EmailAddress.of("dave@other.example");
    EmailAddress ALICE = ContractMail.ALICE;

    /** The connector under test, over an empty CRM. */
    CrmConnector connector();

    /** The administration of the same CRM. */
    CrmFixture fixture();

    private CrmLookupResult lookUp(Set<String> originKeys, Set<String> threads, Set<EmailAddress> clients,
                                   Set<EmailAddress> employees) throws CrmException {
        return connector().lookUp(new CrmLookup(originKeys, threads, clients, employees, employees));
    }

    private WriteResult.Written written(WriteResult result) {
        assertThat(result).isInstanceOf(WriteResult.Written.class);
        return (WriteResult.Written) result;
    }

    @Test
    default void theConnectionCheckShouldPassWithTheConfiguredCredentials() throws CrmException {
        connector().checkConnection();

        assertThat(connector().name()).isNotBlank();
    }

    @Test
    default void theCapabilitiesShouldAllowAtLeastOneOperationARequest() {
        assertThat(connector().capabilities().largestBatch()).isGreaterThanOrEqualTo(1);
    }

    @Test
    default void anEmptyLookupShouldFindNothing() throws CrmException {
        CrmLookupResult found = lookUp(Set.of("<none@x>"), Set.of("<none@x>"), Set.of(CAROL), Set.of(ALICE));

        assertThat(found.activity("<none@x>")).isEmpty();
        assertThat(found.threadItems(List.of("<none@x>"))).isEmpty();
        assertThat(found.clients().getOrDefault(CAROL, ClientRecord.unknown(CAROL)).isUnknown()).isTrue();
        assertThat(found.users()).doesNotContainKey(ALICE);
    }

    @Test
    default void aRoundLookupShouldAnswerEveryPartInOneCall() throws CrmException {
        String alice = fixture().addUser(ALICE, "Alice Adams");
        String lead = fixture().addLeadOfInterruptedCapture(new NewLead("Quote", "Carol", CAROL, "EMAIL", Optional.of(alice), false,
            "<k1@x>"));
        String contact = fixture().addContact("Dave", DAVE, Optional.of(alice));
        String deal = fixture().addDeal("Chairs", contact, Optional.of(alice));
        String activity = written(connector().write(List.of(new WritePlan("<k2@x>", List.of(), ContractMail.activity(ActivityDirection.INCOMING,
            List.of(new ItemRef(ItemType.DEAL, deal)), Optional.of(alice), "<k2@x>", false)))).get(0)).activityId();

        CrmLookupResult found = lookUp(Set.of("<k1@x>", "<k2@x>", "<k3@x>"), Set.of("<k2@x>", "<old@x>"),
            Set.of(CAROL, DAVE, EmailAddress.of("nobody@nowhere.example")), Set.of(ALICE));

        assertThat(found.activity("<k2@x>")).contains(activity);
        assertThat(found.activity("<k1@x>")).as("a lead without its activity: an interrupted capture").isEmpty();
        assertThat(found.created("<k1@x>", ItemType.LEAD)).contains(new ItemRef(ItemType.LEAD, lead));
        assertThat(found.activity("<k3@x>")).isEmpty();
        assertThat(found.threadItems(List.of("<old@x>", "<k2@x>"))).containsExactly(new ItemRef(ItemType.DEAL, deal));
        assertThat(found.clients().get(CAROL).leads()).extracting(ClientRecord.Lead::id).containsExactly(lead);
        assertThat(found.clients().get(CAROL).leads()).extracting(ClientRecord.Lead::status).containsExactly(LeadStatus.OPEN);
        assertThat(found.clients().get(DAVE).deals()).extracting(ClientRecord.Deal::id).containsExactly(deal);
        assertThat(found.clients().getOrDefault(EmailAddress.of("nobody@nowhere.example"),
            ClientRecord.unknown(EmailAddress.of("nobody@nowhere.example"))).isUnknown()).isTrue();
        assertThat(found.users().get(ALICE).id()).isEqualTo(alice);
        assertThat(found.openItems()).containsEntry(alice, 2);
    }

    @Test
    default void closedLeadsAndDealsShouldBeFoundClosedAndNotCountedOpen() throws CrmException {
        String alice = fixture().addUser(ALICE, "Alice Adams");
        String lead = fixture().addLeadOfInterruptedCapture(new NewLead("Quote", "Carol", CAROL, "EMAIL", Optional.of(alice), false,
            "<j@x>"));
        fixture().junkLead(lead);
        String contact = fixture().addContact("Dave", DAVE, Optional.of(alice));
        fixture().winDeal(fixture().addDeal("won", contact, Optional.of(alice)));

        CrmLookupResult found = lookUp(Set.of(), Set.of(), Set.of(CAROL, DAVE), Set.of(ALICE));

        assertThat(found.clients().get(CAROL).leads()).extracting(ClientRecord.Lead::status).containsExactly(LeadStatus.JUNK);
        assertThat(found.clients().get(DAVE).deals()).extracting(ClientRecord.Deal::stage).containsExactly(DealStage.WON);
        assertThat(found.openItems()).containsEntry(alice, 0);
    }

    @Test
    default void writePlansShouldCreateTheirItemsAndBindEachActivityToThem() throws CrmException {
        String alice = fixture().addUser(ALICE, "Alice Adams");
        WritePlan newLead = new WritePlan("<p1@x>",
            List.of(new NewLead("Quote", "Carol", CAROL, "EMAIL", Optional.of(alice), false, "<p1@x>")),
            ContractMail.activity(ActivityDirection.INCOMING, List.of(), Optional.of(alice), "<p1@x>", false));
        WritePlan newContactAndDeal = new WritePlan("<p2@x>",
            List.of(new NewContact("Dave", DAVE, Optional.of(alice), "<p2@x>"),
                new NewDeal("Offer", Optional.empty(), Optional.empty(), Optional.of(alice), false, "<p2@x>")),
            ContractMail.activity(ActivityDirection.OUTGOING, List.of(), Optional.of(alice), "<p2@x>", true));

        List<WriteResult> results = connector().write(List.of(newLead, newContactAndDeal));

        WriteResult.Written lead = written(results.get(0));
        WriteResult.Written contactAndDeal = written(results.get(1));
        assertThat(lead.created()).extracting(ItemRef::type).containsExactly(ItemType.LEAD);
        assertThat(contactAndDeal.created()).extracting(ItemRef::type).containsExactly(ItemType.CONTACT, ItemType.DEAL);
        CrmLookupResult found = lookUp(Set.of("<p1@x>", "<p2@x>"), Set.of("<p1@x>", "<p2@x>"), Set.of(CAROL, DAVE), Set.of());
        assertThat(found.threadItems(List.of("<p1@x>"))).containsExactlyElementsOf(lead.created());
        assertThat(found.threadItems(List.of("<p2@x>"))).containsExactlyInAnyOrderElementsOf(contactAndDeal.created());
        assertThat(found.activity("<p1@x>")).contains(lead.activityId());
        assertThat(found.created("<p1@x>", ItemType.LEAD)).contains(lead.created().get(0));
        assertThat(fixture().activityCompleted(lead.activityId())).as("incoming stays open").isFalse();
        assertThat(fixture().activityCompleted(contactAndDeal.activityId())).as("outgoing is completed").isTrue();
        assertThat(found.clients().get(DAVE).deals()).extracting(ClientRecord.Deal::id)
            .as("the deal belongs to the contact created before it").containsExactly(contactAndDeal.created().get(1).id());
        assertThat(found.clients().get(CAROL).leads()).extracting(ClientRecord.Lead::responsibleId).containsExactly(Optional.of(alice));
    }

    @Test
    default void aPlanTheCrmRefusesShouldFailAloneAndLeaveTheOthersWritten() throws CrmException {
        String contact = fixture().addContact("Carol Client", CAROL, Optional.empty());
        WritePlan good = new WritePlan("<g@x>", List.of(),
            ContractMail.activity(ActivityDirection.INCOMING, List.of(new ItemRef(ItemType.CONTACT, contact)), Optional.empty(), "<g@x>", false));
        WritePlan unbound = new WritePlan("<u@x>", List.of(),
            ContractMail.activity(ActivityDirection.INCOMING, List.of(), Optional.empty(), "<u@x>", false));

        List<WriteResult> results = connector().write(List.of(unbound, good));

        assertThat(results.get(0)).isInstanceOfSatisfying(WriteResult.Failed.class,
            failed -> assertThat(failed.cause()).isInstanceOf(CrmRejectedException.class));
        written(results.get(1));
        CrmLookupResult found = lookUp(Set.of("<g@x>", "<u@x>"), Set.of(), Set.of(), Set.of());
        assertThat(found.activity("<g@x>")).isPresent();
        assertThat(found.activity("<u@x>")).isEmpty();
    }
}

package org.jamescrm.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.model.MailParty;
import org.junit.jupiter.api.Test;

/**
 * The contract every connector keeps, whatever the CRM: run by each connector/CRM pair (the in-memory
 * CRM, each CRM's connector against its emulator). Implementations give the connector and a fixture
 * over the same, empty CRM.
 */
public interface CrmConnectorContract {
    EmailAddress CAROL = EmailAddress.of("carol@client.example");
    EmailAddress ALICE = EmailAddress.of("alice@company.example");

    /** The connector under test, over an empty CRM. */
    CrmConnector connector();

    /** The administration of the same CRM. */
    CrmFixture fixture();

    private NewEmailActivity activity(ActivityDirection direction, List<ItemRef> bindings, Optional<String> responsible, String key,
                                      boolean completed) {
        return new NewEmailActivity(direction, "Quote", MailParty.of("carol@client.example", "Carol Client"),
            List.of(MailParty.of(ALICE)), List.of(), "Hello", Optional.of("<p>Hello</p>"), List.of(), bindings, responsible,
            completed, Optional.of(Instant.parse("2026-11-22T07:15:00Z")), Instant.parse("2026-11-22T09:00:00Z"),
            Instant.parse("2026-11-22T09:00:02Z"), Optional.of(key), key, List.of(CAROL));
    }

    @Test
    default void usersShouldBeFoundByEmailAddress() throws CrmException {
        String alice = fixture().addUser(ALICE, "Alice Adams");

        Map<EmailAddress, CrmUser> users = connector().findUsers(Set.of(ALICE, EmailAddress.of("nobody@company.example")));

        assertThat(users).containsOnlyKeys(ALICE);
        assertThat(users.get(ALICE).id()).isEqualTo(alice);
    }

    @Test
    default void anUnknownAddressShouldHaveAnEmptyRecord() throws CrmException {
        assertThat(connector().findClients(Set.of(CAROL)).get(CAROL).isUnknown()).isTrue();
    }

    @Test
    default void aCreatedLeadShouldBeFoundOpenByAddressAndByOriginKey() throws CrmException {
        String alice = fixture().addUser(ALICE, "Alice Adams");

        ItemRef lead = connector().createLead(new NewLead("Quote", "Carol Client", CAROL, "EMAIL", Optional.of(alice), false, "<k1@x>"));

        ClientRecord carol = connector().findClients(Set.of(CAROL)).get(CAROL);
        assertThat(carol.leads()).singleElement().satisfies(found -> {
            assertThat(found.id()).isEqualTo(lead.id());
            assertThat(found.status()).isEqualTo(LeadStatus.OPEN);
            assertThat(found.responsibleId()).contains(alice);
        });
        assertThat(connector().findLeadByOriginKey("<k1@x>")).contains(lead);
        assertThat(connector().findLeadByOriginKey("<other@x>")).isEmpty();
    }

    @Test
    default void aJunkLeadShouldBeFoundClosed() throws CrmException {
        ItemRef lead = connector().createLead(new NewLead("Quote", "Carol", CAROL, "EMAIL", Optional.empty(), false, "<k2@x>"));

        fixture().junkLead(lead.id());

        assertThat(connector().findClients(Set.of(CAROL)).get(CAROL).leads()).extracting(ClientRecord.Lead::status)
            .containsExactly(LeadStatus.JUNK);
    }

    @Test
    default void aCreatedContactAndDealShouldBeFoundByAddressAndOriginKey() throws CrmException {
        ItemRef contact = connector().createContact(new NewContact("Carol Client", CAROL, Optional.empty(), "<k3@x>"));
        ItemRef deal = connector().createDeal(new NewDeal("Chairs", Optional.of(contact), Optional.empty(), Optional.empty(), true, "<k3@x>"));

        ClientRecord carol = connector().findClients(Set.of(CAROL)).get(CAROL);
        assertThat(carol.contacts()).extracting(ClientRecord.Contact::id).containsExactly(contact.id());
        assertThat(carol.deals()).singleElement().satisfies(found -> {
            assertThat(found.id()).isEqualTo(deal.id());
            assertThat(found.stage()).isEqualTo(DealStage.IN_PROGRESS);
        });
        assertThat(connector().findContactByOriginKey("<k3@x>")).contains(contact);
        assertThat(connector().findDealByOriginKey("<k3@x>")).contains(deal);
    }

    @Test
    default void aWonDealShouldNotBeActive() throws CrmException {
        String contact = fixture().addContact("Carol Client", CAROL, Optional.empty());
        String deal = fixture().addDeal("Chairs", contact, Optional.empty());

        fixture().winDeal(deal);

        assertThat(connector().findClients(Set.of(CAROL)).get(CAROL).deals()).extracting(ClientRecord.Deal::stage)
            .containsExactly(DealStage.WON);
    }

    @Test
    default void anIncomingActivityShouldStayOpenAndBeFoundByOriginKeyAndThread() throws CrmException {
        String alice = fixture().addUser(ALICE, "Alice Adams");
        ItemRef lead = connector().createLead(new NewLead("Quote", "Carol", CAROL, "EMAIL", Optional.of(alice), false, "<m1@x>"));

        String id = connector().createEmailActivity(activity(ActivityDirection.INCOMING, List.of(lead), Optional.of(alice), "<m1@x>", false));

        assertThat(connector().findActivityByOriginKey("<m1@x>")).contains(id);
        assertThat(connector().findThreadItems(List.of("<unknown@x>", "<m1@x>"))).containsExactly(lead);
        assertThat(fixture().activityCompleted(id)).isFalse();
    }

    @Test
    default void anOutgoingActivityShouldEndCompletedAndBeBoundToEveryItem() throws CrmException {
        String contact = fixture().addContact("Carol Client", CAROL, Optional.empty());
        String deal = fixture().addDeal("Chairs", contact, Optional.empty());
        List<ItemRef> bindings = List.of(new ItemRef(ItemType.DEAL, deal), new ItemRef(ItemType.CONTACT, contact));

        String id = connector().createEmailActivity(activity(ActivityDirection.OUTGOING, bindings, Optional.empty(), "<m2@x>", true));

        assertThat(fixture().activityCompleted(id)).isTrue();
        assertThat(connector().findThreadItems(List.of("<m2@x>"))).containsExactlyInAnyOrderElementsOf(bindings);
    }

    @Test
    default void openItemsShouldCountOpenLeadsAndDealsInProgressOnly() throws CrmException {
        String alice = fixture().addUser(ALICE, "Alice Adams");
        connector().createLead(new NewLead("a", "a", EmailAddress.of("a@client.example"), "EMAIL", Optional.of(alice), false, "a"));
        ItemRef junk = connector().createLead(new NewLead("b", "b", EmailAddress.of("b@client.example"), "EMAIL", Optional.of(alice), false, "b"));
        fixture().junkLead(junk.id());
        String contact = fixture().addContact("C", EmailAddress.of("c@client.example"), Optional.of(alice));
        fixture().addDeal("open", contact, Optional.of(alice));
        fixture().winDeal(fixture().addDeal("won", contact, Optional.of(alice)));

        assertThat(connector().countOpenItems(Set.of(alice))).containsEntry(alice, 2);
    }

    @Test
    default void aRoundLookupShouldAnswerEveryPartInOneCall() throws CrmException {
        String alice = fixture().addUser(ALICE, "Alice Adams");
        EmailAddress dave = EmailAddress.of("dave@other.example");
        ItemRef lead = connector().createLead(new NewLead("Quote", "Carol", CAROL, "EMAIL", Optional.of(alice), false, "<k1@x>"));
        String contact = fixture().addContact("Dave", dave, Optional.of(alice));
        String deal = fixture().addDeal("Chairs", contact, Optional.of(alice));
        String activity = connector().createEmailActivity(activity(ActivityDirection.INCOMING,
            List.of(new ItemRef(ItemType.DEAL, deal)), Optional.of(alice), "<k2@x>", false));

        CrmLookupResult found = connector().lookUp(new CrmLookup(Set.of("<k1@x>", "<k2@x>", "<k3@x>"), Set.of("<k2@x>", "<old@x>"),
            Set.of(CAROL, dave, EmailAddress.of("nobody@nowhere.example")), Set.of(ALICE), Set.of(ALICE)));

        assertThat(found.activity("<k2@x>")).contains(activity);
        assertThat(found.activity("<k1@x>")).as("a lead without its activity: an interrupted capture").isEmpty();
        assertThat(found.created("<k1@x>", ItemType.LEAD)).contains(lead);
        assertThat(found.activity("<k3@x>")).isEmpty();
        assertThat(found.threadItems(List.of("<old@x>", "<k2@x>"))).containsExactly(new ItemRef(ItemType.DEAL, deal));
        assertThat(found.clients().get(CAROL).leads()).extracting(ClientRecord.Lead::id).containsExactly(lead.id());
        assertThat(found.clients().get(dave).deals()).extracting(ClientRecord.Deal::id).containsExactly(deal);
        assertThat(found.clients().getOrDefault(EmailAddress.of("nobody@nowhere.example"),
            ClientRecord.unknown(EmailAddress.of("nobody@nowhere.example"))).isUnknown()).isTrue();
        assertThat(found.users().get(ALICE).id()).isEqualTo(alice);
        assertThat(found.openItems()).containsEntry(alice, 2);
    }

    @Test
    default void writePlansShouldCreateTheirItemsAndBindEachActivityToThem() throws CrmException {
        String alice = fixture().addUser(ALICE, "Alice Adams");
        EmailAddress dave = EmailAddress.of("dave@other.example");
        WritePlan newLead = new WritePlan("<p1@x>",
            List.of(new NewLead("Quote", "Carol", CAROL, "EMAIL", Optional.of(alice), false, "<p1@x>")),
            activity(ActivityDirection.INCOMING, List.of(), Optional.of(alice), "<p1@x>", false));
        WritePlan newContactAndDeal = new WritePlan("<p2@x>",
            List.of(new NewContact("Dave", dave, Optional.of(alice), "<p2@x>"),
                new NewDeal("Offer", Optional.empty(), Optional.empty(), Optional.of(alice), false, "<p2@x>")),
            activity(ActivityDirection.OUTGOING, List.of(), Optional.of(alice), "<p2@x>", true));

        List<WriteResult> results = connector().write(List.of(newLead, newContactAndDeal));

        WriteResult.Written lead = (WriteResult.Written) results.get(0);
        WriteResult.Written contactAndDeal = (WriteResult.Written) results.get(1);
        assertThat(lead.created()).extracting(ItemRef::type).containsExactly(ItemType.LEAD);
        assertThat(contactAndDeal.created()).extracting(ItemRef::type).containsExactly(ItemType.CONTACT, ItemType.DEAL);
        assertThat(connector().findThreadItems(List.of("<p1@x>"))).containsExactlyElementsOf(lead.created());
        assertThat(connector().findThreadItems(List.of("<p2@x>"))).containsExactlyInAnyOrderElementsOf(contactAndDeal.created());
        assertThat(fixture().activityCompleted(lead.activityId())).isFalse();
        assertThat(fixture().activityCompleted(contactAndDeal.activityId())).isTrue();
        assertThat(connector().findClients(Set.of(dave)).get(dave).deals()).extracting(ClientRecord.Deal::id)
            .as("the deal belongs to the contact created before it").containsExactly(contactAndDeal.created().get(1).id());
    }

    @Test
    default void aPlanTheCrmRefusesShouldFailAloneAndLeaveTheOthersWritten() throws CrmException {
        String contact = fixture().addContact("Carol Client", CAROL, Optional.empty());
        WritePlan good = new WritePlan("<g@x>", List.of(),
            activity(ActivityDirection.INCOMING, List.of(new ItemRef(ItemType.CONTACT, contact)), Optional.empty(), "<g@x>", false));
        WritePlan unbound = new WritePlan("<u@x>", List.of(),
            activity(ActivityDirection.INCOMING, List.of(), Optional.empty(), "<u@x>", false));

        List<WriteResult> results = connector().write(List.of(unbound, good));

        assertThat(results.get(0)).isInstanceOfSatisfying(WriteResult.Failed.class,
            failed -> assertThat(failed.cause()).isInstanceOf(CrmRejectedException.class));
        assertThat(results.get(1)).isInstanceOf(WriteResult.Written.class);
        assertThat(connector().findActivityByOriginKey("<g@x>")).isPresent();
        assertThat(connector().findActivityByOriginKey("<u@x>")).isEmpty();
    }
}

package org.jamescrm.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jamescrm.model.EmailAddress;
import org.junit.jupiter.api.Test;

/**
 * The contract of the one-by-one operations ({@link OneByOneCrm}), kept by every connector that offers
 * them (the in-memory CRM, the Bitrix24 connector against its emulator), beside
 * {@link CrmConnectorContract}. Implementations give the operations and a fixture over the same,
 * empty CRM.
 */
public interface OneByOneCrmContract {
    EmailAddress CAROL = ContractMail.CAROL;
    EmailAddress ALICE = ContractMail.ALICE;

    /** The operations under test, over an empty CRM. */
    OneByOneCrm crm();

    /** The administration of the same CRM. */
    CrmFixture fixture();

    @Test
    default void usersShouldBeFoundByEmailAddress() throws CrmException {
        String alice = fixture().addUser(ALICE, "Alice Adams");

        Map<EmailAddress, CrmUser> users = crm().findUsers(Set.of(ALICE, EmailAddress.of("nobody@company.example")));

        assertThat(users).containsOnlyKeys(ALICE);
        assertThat(users.get(ALICE).id()).isEqualTo(alice);
    }

    @Test
    default void anUnknownAddressShouldHaveAnEmptyRecord() throws CrmException {
        assertThat(crm().findClients(Set.of(CAROL)).get(CAROL).isUnknown()).isTrue();
    }

    @Test
    default void aCreatedLeadShouldBeFoundOpenByAddressAndByOriginKey() throws CrmException {
        String alice = fixture().addUser(ALICE, "Alice Adams");

        ItemRef lead = crm().createLead(new NewLead("Quote", "Carol Client", CAROL, "EMAIL", Optional.of(alice), false, "<k1@x>"));

        ClientRecord carol = crm().findClients(Set.of(CAROL)).get(CAROL);
        assertThat(carol.leads()).singleElement().satisfies(found -> {
            assertThat(found.id()).isEqualTo(lead.id());
            assertThat(found.status()).isEqualTo(LeadStatus.OPEN);
            assertThat(found.responsibleId()).contains(alice);
        });
        assertThat(crm().findLeadByOriginKey("<k1@x>")).contains(lead);
        assertThat(crm().findLeadByOriginKey("<other@x>")).isEmpty();
    }

    @Test
    default void aJunkLeadShouldBeFoundClosed() throws CrmException {
        ItemRef lead = crm().createLead(new NewLead("Quote", "Carol", CAROL, "EMAIL", Optional.empty(), false, "<k2@x>"));

        fixture().junkLead(lead.id());

        assertThat(crm().findClients(Set.of(CAROL)).get(CAROL).leads()).extracting(ClientRecord.Lead::status)
            .containsExactly(LeadStatus.JUNK);
    }

    @Test
    default void aCreatedContactAndDealShouldBeFoundByAddressAndOriginKey() throws CrmException {
        ItemRef contact = crm().createContact(new NewContact("Carol Client", CAROL, Optional.empty(), "<k3@x>"));
        ItemRef deal = crm().createDeal(new NewDeal("Chairs", Optional.of(contact), Optional.empty(), Optional.empty(), true, "<k3@x>"));

        ClientRecord carol = crm().findClients(Set.of(CAROL)).get(CAROL);
        assertThat(carol.contacts()).extracting(ClientRecord.Contact::id).containsExactly(contact.id());
        assertThat(carol.deals()).singleElement().satisfies(found -> {
            assertThat(found.id()).isEqualTo(deal.id());
            assertThat(found.stage()).isEqualTo(DealStage.IN_PROGRESS);
        });
        assertThat(crm().findContactByOriginKey("<k3@x>")).contains(contact);
        assertThat(crm().findDealByOriginKey("<k3@x>")).contains(deal);
    }

    @Test
    default void aWonDealShouldNotBeActive() throws CrmException {
        String contact = fixture().addContact("Carol Client", CAROL, Optional.empty());
        String deal = fixture().addDeal("Chairs", contact, Optional.empty());

        fixture().winDeal(deal);

        assertThat(crm().findClients(Set.of(CAROL)).get(CAROL).deals()).extracting(ClientRecord.Deal::stage)
            .containsExactly(DealStage.WON);
    }

    @Test
    default void anIncomingActivityShouldStayOpenAndBeFoundByOriginKeyAndThread() throws CrmException {
        String alice = fixture().addUser(ALICE, "Alice Adams");
        ItemRef lead = crm().createLead(new NewLead("Quote", "Carol", CAROL, "EMAIL", Optional.of(alice), false, "<m1@x>"));

        String id = crm().createEmailActivity(ContractMail.activity(ActivityDirection.INCOMING, List.of(lead), Optional.of(alice), "<m1@x>", false));

        assertThat(crm().findActivityByOriginKey("<m1@x>")).contains(id);
        assertThat(crm().findThreadItems(List.of("<unknown@x>", "<m1@x>"))).containsExactly(lead);
        assertThat(fixture().activityCompleted(id)).isFalse();
    }

    @Test
    default void anOutgoingActivityShouldEndCompletedAndBeBoundToEveryItem() throws CrmException {
        String contact = fixture().addContact("Carol Client", CAROL, Optional.empty());
        String deal = fixture().addDeal("Chairs", contact, Optional.empty());
        List<ItemRef> bindings = List.of(new ItemRef(ItemType.DEAL, deal), new ItemRef(ItemType.CONTACT, contact));

        String id = crm().createEmailActivity(ContractMail.activity(ActivityDirection.OUTGOING, bindings, Optional.empty(), "<m2@x>", true));

        assertThat(fixture().activityCompleted(id)).isTrue();
        assertThat(crm().findThreadItems(List.of("<m2@x>"))).containsExactlyInAnyOrderElementsOf(bindings);
    }

    @Test
    default void openItemsShouldCountOpenLeadsAndDealsInProgressOnly() throws CrmException {
        String alice = fixture().addUser(ALICE, "Alice Adams");
        crm().createLead(new NewLead("a", "a", EmailAddress.of("a@client.example"), "EMAIL", Optional.of(alice), false, "a"));
        ItemRef junk = crm().createLead(new NewLead("b", "b", EmailAddress.of("b@client.example"), "EMAIL", Optional.of(alice), false, "b"));
        fixture().junkLead(junk.id());
        String contact = fixture().addContact("C", EmailAddress.of("c@client.example"), Optional.of(alice));
        fixture().addDeal("open", contact, Optional.of(alice));
        fixture().winDeal(fixture().addDeal("won", contact, Optional.of(alice)));

        assertThat(crm().countOpenItems(Set.of(alice))).containsEntry(alice, 2);
    }
}

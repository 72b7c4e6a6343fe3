package org.jamescrm.espocrm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jamescrm.emulator.Call;
import org.jamescrm.emulator.Fault;
import org.jamescrm.emulator.FaultPlan;
import org.jamescrm.emulator.espocrm.EspoCrmEmulator;
import org.jamescrm.emulator.espocrm.EspoCrmEmulatorExtension;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.spi.CaseRecord;
import org.jamescrm.spi.CrmLookup;
import org.jamescrm.spi.CrmLookupResult;
import org.jamescrm.spi.CrmRejectedException;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.ItemType;
import org.jamescrm.spi.NewCase;
import org.jamescrm.spi.NewItem;
import org.jamescrm.spi.NewLead;
import org.jamescrm.spi.OneCallAtATime;
import org.jamescrm.spi.WritePlan;
import org.jamescrm.spi.WriteResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A group mailbox's cases and teams on EspoCRM (capture-rules §8, espocrm-api §6 and §8.1), against the
 * strict emulator over HTTP: a new case with the number of its acknowledgement, a thread joining the case
 * by Message-ID and by case number, a retry after an interrupted case creation, teams on every record.
 * No test may leave a violation (a second case of one capture, an e-mail sent by the CRM).
 */
class EspoCrmCasesContractTest {
    static final EmailAddress CAROL = ContractActivity.CAROL;

    @RegisterExtension
    static EspoCrmEmulatorExtension espo = new EspoCrmEmulatorExtension();

    private String alice;
    private String support;

    @BeforeEach
    void site() {
        alice = espo.emulator().addUser(ContractActivity.ALICE.value(), "Alice Adams");
        support = espo.emulator().addTeam("Support");
        espo.emulator().addTeam("Sales");
    }

    @AfterEach
    void noViolation() {
        espo.emulator().violations().assertNone();
    }

    private static EspoCrmConnector connector() {
        EspoCrmEmulator site = espo.emulator();
        return new EspoCrmConnector(new EspoCrmClient(EspoCrmConfiguration.apiKey(site.baseUrl().toString(), site.apiKey())), Clock.systemUTC());
    }

    private NewCase newCase(String key, ItemRef... clientItems) {
        return new NewCase("Printer broken", "It jams on every page.", CAROL, List.of(clientItems), Optional.of(alice), key);
    }

    private static WritePlan plan(String key, List<NewItem> creations, List<String> teams, ItemRef... bindings) {
        return new WritePlan(key, creations, ContractActivity.incoming(key, bindings), Optional.empty(), teams);
    }

    @Test
    void aNewCaseShouldBeOpenedForTheClientWithItsNumberForTheAcknowledgementAndTheEmailInItsStream() {
        String account = espo.emulator().add("Account", Map.of("name", "Client Ltd", "emailAddress", "office@client.example"));
        String contact = espo.emulator().add("Contact", Map.of("lastName", "Carol", "emailAddress", CAROL.value(), "accountId", account));
        espo.emulator().add("Case", Map.of("name", "An older case"));
        ItemRef[] client = {new ItemRef(ItemType.CONTACT, contact), new ItemRef(ItemType.COMPANY, account)};

        WriteResult result = connector().write(List.of(plan("<t1@client.example>", List.of(newCase("<t1@client.example>", client)),
            List.of("Support"), client))).get(0);

        JsonNode opened = espo.emulator().records("Case").get(1);
        assertThat(result).isInstanceOfSatisfying(WriteResult.Written.class, written -> {
            assertThat(written.created()).containsExactly(new ItemRef(ItemType.CASE, opened.path("id").asText()));
            assertThat(written.caseNumber()).as("EspoCRM's number, for the case token").contains("2");
        });
        assertThat(opened.path("name").asText()).isEqualTo("Printer broken");
        assertThat(opened.path("description").asText()).isEqualTo("It jams on every page.");
        assertThat(opened.path("status").asText()).isEqualTo("New");
        assertThat(opened.path("contactId").asText()).isEqualTo(contact);
        assertThat(opened.path("contactsIds").toString()).isEqualTo("[\"" + contact + "\"]");
        assertThat(opened.path("accountId").asText()).isEqualTo(account);
        assertThat(opened.path("assignedUserId").asText()).isEqualTo(alice);
        assertThat(opened.path("teamsIds").toString()).isEqualTo("[\"" + support + "\"]");
        assertThat(opened.path("cCaptureKey").asText()).isEqualTo("<t1@client.example>");
        assertThat(espo.emulator().emailsWithCaptureKey("<t1@client.example>")).singleElement().satisfies(email -> {
            assertThat(email.path("parentType").asText()).as("the most specific parent: in the case's stream").isEqualTo("Case");
            assertThat(email.path("parentId").asText()).isEqualTo(opened.path("id").asText());
            assertThat(email.path("teamsIds").toString()).isEqualTo("[\"" + support + "\"]");
        });
    }

    @Test
    void anUnknownClientsCaseShouldBeBoundToTheLeadThePlanCreatedBeforeItAndBothAssignedToTheTeams() {
        NewLead lead = new NewLead("Printer broken", "Carol Client", CAROL, "EMAIL", Optional.of(alice), false, "<t2@client.example>");

        WriteResult result = connector().write(List.of(plan("<t2@client.example>", List.of(lead, newCase("<t2@client.example>")),
            List.of("support", support)))).get(0);

        JsonNode created = espo.emulator().records("Lead").get(0);
        JsonNode opened = espo.emulator().records("Case").get(0);
        assertThat(result).isInstanceOfSatisfying(WriteResult.Written.class, written -> assertThat(written.created())
            .containsExactly(new ItemRef(ItemType.LEAD, created.path("id").asText()), new ItemRef(ItemType.CASE, opened.path("id").asText())));
        assertThat(opened.path("leadId").asText()).isEqualTo(created.path("id").asText());
        assertThat(created.path("teamsIds").toString()).as("a name and an id of one team: once").isEqualTo("[\"" + support + "\"]");
        assertThat(opened.path("teamsIds").toString()).isEqualTo("[\"" + support + "\"]");
    }

    @Test
    void aThreadShouldJoinTheCaseByMessageIdAndByNumberAndKnowWhetherItIsOpen() throws Exception {
        String contact = espo.emulator().add("Contact", Map.of("lastName", "Carol", "emailAddress", CAROL.value()));
        ItemRef client = new ItemRef(ItemType.CONTACT, contact);
        EspoCrmConnector connector = connector();
        WriteResult.Written written = (WriteResult.Written) connector.write(List.of(plan("<t3@client.example>",
            List.of(newCase("<t3@client.example>", client)), List.of(), client))).get(0);
        String caseId = written.created().get(0).id();
        ItemRef opened = new ItemRef(ItemType.CASE, caseId);
        // a mail of the thread that EspoCRM's own group mailbox fetched: its parent is the case, nothing of ours on it
        espo.emulator().add("Email", Map.of("name", "Re: Printer broken", "from", CAROL.value(), "to", "support@company.example",
            "messageId", "<fetched@client.example>", "status", "Archived", "parentType", "Case", "parentId", caseId));

        CrmLookupResult found = connector.lookUp(new CrmLookup(Set.of("<t4@client.example>"),
            Set.of("<t3@client.example>", "<fetched@client.example>"), Set.of(CAROL), Set.of(), Set.of(), Set.of("1", "99")));

        assertThat(found.threadItems(List.of("<t3@client.example>"))).as("by Message-ID").containsExactlyInAnyOrder(client, opened);
        assertThat(found.threadItems(List.of("<fetched@client.example>"))).containsExactly(opened);
        assertThat(found.cases()).as("by number, and as a thread item; no case 99").containsOnlyKeys("1")
            .containsEntry("1", new CaseRecord(caseId, "1", Optional.of(alice), true));

        espo.emulator().update("Case", caseId, Map.of("status", "Closed"));
        assertThat(connector.findCases(Set.of("1"), Set.of()).get("1").open()).isFalse();
        assertThat(connector.findCases(Set.of(), Set.of(caseId))).containsOnlyKeys("1");
    }

    @Test
    void aRetryAfterAnInterruptedCaseCreationShouldFindTheCaseByItsCaptureKeyAndOpenNoSecond() throws Exception {
        String contact = espo.emulator().add("Contact", Map.of("lastName", "Carol", "emailAddress", CAROL.value()));
        ItemRef client = new ItemRef(ItemType.CONTACT, contact);
        espo.emulator().faults().nextMatching(1, FaultPlan.operation("POST Email"), Fault.status(503));
        EspoCrmConnector connector = connector();

        WriteResult interrupted = connector.write(List.of(plan("<t5@client.example>", List.of(newCase("<t5@client.example>", client)),
            List.of("Support"), client))).get(0);
        CrmLookupResult found = connector.lookUp(new CrmLookup(Set.of("<t5@client.example>"), Set.of(), Set.of(CAROL), Set.of(), Set.of()));
        Optional<ItemRef> earlier = found.created("<t5@client.example>", ItemType.CASE);
        // the capture core leaves out of the retry's plan what the lookup found, and binds the e-mail to it
        WriteResult retried = connector.write(List.of(plan("<t5@client.example>", List.of(), List.of("Support"), client,
            earlier.orElseThrow()))).get(0);

        assertThat(interrupted).isInstanceOf(WriteResult.Failed.class);
        assertThat(espo.emulator().records("Case")).singleElement()
            .satisfies(opened -> assertThat(opened.path("id").asText()).isEqualTo(earlier.get().id()));
        assertThat(retried).isInstanceOf(WriteResult.Written.class);
        assertThat(espo.emulator().emailsWithCaptureKey("<t5@client.example>")).singleElement()
            .satisfies(email -> assertThat(email.path("parentType").asText()).isEqualTo("Case"));
    }

    @Test
    void teamsShouldBeReadOnceAndAnUnknownTeamRefusedByNameBeforeAnythingIsWritten() {
        EspoCrmConnector connector = connector();
        String contact = espo.emulator().add("Contact", Map.of("lastName", "Carol", "emailAddress", CAROL.value()));
        ItemRef client = new ItemRef(ItemType.CONTACT, contact);

        connector.write(List.of(plan("<t6@client.example>", List.of(), List.of("Support"), client),
            plan("<t7@client.example>", List.of(), List.of("Sales"), client)));
        WriteResult unknown = connector.write(List.of(plan("<t8@client.example>", List.of(newCase("<t8@client.example>", client)),
            List.of("Helpdesk"), client))).get(0);

        assertThat(espo.emulator().calls().all()).extracting(Call::operation).filteredOn("GET Team"::equals)
            .as("read once for all plans; a name not among them is not read again within a minute").hasSize(1);
        assertThat(unknown).isInstanceOfSatisfying(WriteResult.Failed.class, failed -> assertThat(failed.cause())
            .isInstanceOf(CrmRejectedException.class).hasMessageContaining("'Helpdesk'").hasMessageContaining("Support, Sales"));
        assertThat(espo.emulator().records("Case")).isEmpty();
        assertThat(espo.emulator().emailsWithCaptureKey("<t8@client.example>")).isEmpty();
    }

    @Test
    void aNameTwoTeamsShareShouldAskForTheIdAndTheIdBeTaken() {
        String first = espo.emulator().addTeam("Billing");
        String second = espo.emulator().addTeam("Billing");
        String contact = espo.emulator().add("Contact", Map.of("lastName", "Carol", "emailAddress", CAROL.value()));
        ItemRef client = new ItemRef(ItemType.CONTACT, contact);

        WriteResult byName = connector().write(List.of(plan("<t11@client.example>", List.of(), List.of("Billing"), client))).get(0);
        WriteResult byId = connector().write(List.of(plan("<t12@client.example>", List.of(), List.of(second), client))).get(0);

        assertThat(byName).isInstanceOfSatisfying(WriteResult.Failed.class, failed -> assertThat(failed.cause())
            .hasMessageContaining("'Billing'").hasMessageContaining(first).hasMessageContaining(second));
        assertThat(byId).isInstanceOf(WriteResult.Written.class);
        assertThat(espo.emulator().emailsWithCaptureKey("<t12@client.example>").get(0).path("teamsIds").toString())
            .isEqualTo("[\"" + second + "\"]");
    }

    @Test
    void mailEspoCrmFetchedWithTeamsOfItsOwnShouldGetTheGroupsTeamsAdded() {
        String own = espo.emulator().addTeam("Mailroom");
        String contact = espo.emulator().add("Contact", Map.of("lastName", "Carol", "emailAddress", CAROL.value()));
        String fetched = espo.emulator().add("Email", Map.of("name", "Quote", "from", CAROL.value(), "to", "support@company.example",
            "messageId", "<t9@client.example>", "status", "Archived", "teamsIds", List.of(own)));

        connector().write(List.of(plan("<t9@client.example>", List.of(), List.of("Support"), new ItemRef(ItemType.CONTACT, contact))));

        assertThat(espo.emulator().record("Email", fetched).path("teamsIds").toString()).isEqualTo("[\"" + own + "\",\"" + support + "\"]");
    }

    @Test
    void theOneByOneOperationsShouldOpenFindAndAssignACaseToo() throws Exception {
        String contact = espo.emulator().add("Contact", Map.of("lastName", "Carol", "emailAddress", CAROL.value()));
        ItemRef client = new ItemRef(ItemType.CONTACT, contact);
        OneCallAtATime rounds = new OneCallAtATime(connector());

        WriteResult result = rounds.write(List.of(plan("<t10@client.example>", List.of(newCase("<t10@client.example>", client)),
            List.of("Sales"), client))).get(0);
        CrmLookupResult found = rounds.lookUp(new CrmLookup(Set.of("<t10@client.example>"), Set.of("<t10@client.example>"), Set.of(),
            Set.of(), Set.of(), Set.of("1")));

        JsonNode opened = espo.emulator().records("Case").get(0);
        assertThat(result).isInstanceOfSatisfying(WriteResult.Written.class, written -> assertThat(written.caseNumber()).contains("1"));
        assertThat(opened.path("teamsIds")).extracting(JsonNode::asText).containsExactly(espo.emulator().records("Team").get(1).path("id").asText());
        assertThat(found.created("<t10@client.example>", ItemType.CASE)).contains(new ItemRef(ItemType.CASE, opened.path("id").asText()));
        assertThat(found.cases()).containsOnlyKeys("1");
    }

    @Test
    void leastBusyShouldCountTheOpenCasesOfEachUser() throws Exception {
        List<String> statuses = new ArrayList<>(List.of("New", "Assigned", "Pending", "Closed", "Rejected", "Duplicate"));
        statuses.forEach(status -> espo.emulator().add("Case", Map.of("name", status, "status", status, "assignedUserId", alice)));

        assertThat(connector().countOpenItems(Set.of(alice))).containsEntry(alice, 3);
    }
}

package org.jamescrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.jamescrm.it.ClientMailCaptureEndToEndTest.message;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.james.GuiceJamesServer;
import org.apache.james.JamesServerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * How group mailboxes spread new threads and acknowledge them (capture-rules §5, §8), through a real
 * James 3.8.1 server with the in-memory CRM: ten new threads to a round-robin group, new threads to a
 * least-busy group as the open items say, and the acknowledgements' throttle per client.
 */
class GroupDistributionEndToEndTest {
    static final String ALICE = "alice@company.example";
    static final String BOB = "bob@company.example";
    static final String SUPPORT = "support@company.example";
    static final String HELP = "help@company.example";
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String SETTINGS = """
        <crmcapture>
          <connector>memory</connector>
          <memory>
            <user email="alice@company.example" name="Alice Adams"/>
            <user email="bob@company.example" name="Bob Brown"/>
          </memory>
          <group address="support@company.example">
            <distribution>round-robin</distribution>
            <queue>alice@company.example, bob@company.example</queue>
            <newThread>case</newThread>
            <acknowledgement>
              <perSender>3</perSender>
              <window>2 hours</window>
            </acknowledgement>
          </group>
          <group address="help@company.example">
            <distribution>least-busy</distribution>
            <queue>alice@company.example, bob@company.example</queue>
            <newThread>case</newThread>
          </group>
        </crmcapture>
        """;

    @RegisterExtension
    static GreenMailExtension clientMailServer = new GreenMailExtension(new ServerSetup(3042, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
        .withPerMethodLifecycle(false);

    @RegisterExtension
    static JamesServerExtension james = InstalledJames.withProductConfiguration().smarthost(3042).captureSettings(SETTINGS).extension();

    static ClientInbox inbox = new ClientInbox(clientMailServer, WAIT);
    static MailClient mail;
    static WebAdminClient webAdmin;

    @BeforeAll
    static void createMailboxes(GuiceJamesServer server) throws Exception {
        InstalledJames.Clients clients = InstalledJames.connect(server, ALICE, BOB, SUPPORT, HELP);
        mail = clients.mail();
        webAdmin = clients.webAdmin();
    }

    @Test
    void tenNewThreadsShouldBeSpreadOverTheQueueInTurn() throws Exception {
        List<String> responsibles = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            String client = "rr" + i + "@client.example";
            String id = "<rr" + i + "@client.example>";
            mail.send(client, List.of(SUPPORT), message(client, SUPPORT, id, "", "Question " + i, "?"));
            JsonNode decision = webAdmin.awaitDecision(id);
            assertThat(decision.path("reason").asText()).isEqualTo("NEW_CASE");
            responsibles.add(decision.path("responsibleId").asText());
        }

        String alice = webAdmin.userId(ALICE);
        String bob = webAdmin.userId(BOB);
        String first = responsibles.get(0);
        String second = first.equals(alice) ? bob : alice;
        assertThat(responsibles).containsExactly(first, second, first, second, first, second, first, second, first, second);
        for (int i = 1; i <= 10; i++) {
            String client = "rr" + i + "@client.example";
            assertThat(webAdmin.memory("cases", found -> found.path("email").asText().equals(client)))
                .singleElement().satisfies(opened -> assertThat(opened.path("responsibleId").asText())
                    .isEqualTo(responsibles.get(Integer.parseInt(client.substring(2, client.indexOf('@'))) - 1)));
        }
    }

    @Test
    void newThreadsToALeastBusyGroupShouldGoToTheMemberWithFewestOpenItems() throws Exception {
        String alice = webAdmin.userId(ALICE);
        String bob = webAdmin.userId(BOB);
        Map<String, Integer> open = openItems(List.of(alice, bob));
        List<String> expected = new ArrayList<>();
        List<String> actual = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            // the rule: the member with the fewest open items (open leads, deals in progress, open cases), the first on a tie
            String pick = open.get(bob) < open.get(alice) ? bob : alice;
            expected.add(pick);
            open.merge(pick, 2, Integer::sum); // the new client's lead and its case
            String client = "lb" + i + "@client.example";
            String id = "<lb" + i + "@client.example>";
            mail.send(client, List.of(HELP), message(client, HELP, id, "", "Help " + i, "?"));
            actual.add(webAdmin.awaitDecision(id).path("responsibleId").asText());
            Map<String, Integer> now = openItems(List.of(alice, bob));
            assertThat(now).as("the CRM's open items after thread " + i).isEqualTo(open);
        }

        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void aClientShouldGetNoMoreAcknowledgementsThanTheThrottleAllows() throws Exception {
        String client = "many@client.example";
        for (int i = 1; i <= 5; i++) {
            String id = "<many" + i + "@client.example>";
            mail.send(client, List.of(SUPPORT), message(client, SUPPORT, id, "", "Topic " + i, "?"));
            assertThat(webAdmin.awaitDecision(id).path("reason").asText()).isEqualTo("NEW_CASE");
        }

        assertThat(webAdmin.memory("cases", found -> found.path("email").asText().equals(client))).hasSize(5);
        await().atMost(WAIT).untilAsserted(() -> assertThat(inbox.received(client)).hasSize(3));
        await().during(Duration.ofSeconds(2)).atMost(WAIT).untilAsserted(() -> assertThat(inbox.received(client)).hasSize(3));
    }

    /** The open items of each user as the in-memory CRM holds them: open leads, deals in progress and open cases. */
    private static Map<String, Integer> openItems(List<String> users) {
        JsonNode crm = webAdmin.memory();
        Map<String, Integer> open = new LinkedHashMap<>();
        users.forEach(user -> open.put(user, 0));
        crm.path("leads").forEach(lead -> count(open, lead, lead.path("status").asText().equals("OPEN")));
        crm.path("deals").forEach(deal -> count(open, deal, deal.path("stage").asText().equals("IN_PROGRESS")));
        crm.path("cases").forEach(opened -> count(open, opened, opened.path("open").asBoolean()));
        return open;
    }

    private static void count(Map<String, Integer> open, JsonNode item, boolean isOpen) {
        String responsible = item.path("responsibleId").asText();
        if (isOpen && open.containsKey(responsible)) {
            open.merge(responsible, 1, Integer::sum);
        }
    }
}

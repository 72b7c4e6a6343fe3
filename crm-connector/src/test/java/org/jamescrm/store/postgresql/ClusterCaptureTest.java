package org.jamescrm.store.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jamescrm.capture.CaptureMetrics;
import org.jamescrm.capture.CaptureRequest;
import org.jamescrm.capture.CaptureService;
import org.jamescrm.capture.MissingCrmUsers;
import org.jamescrm.capture.RoundOutcome;
import org.jamescrm.decisions.DecisionLog;
import org.jamescrm.decisions.DecisionRecord;
import org.jamescrm.decisions.JsonViews;
import org.jamescrm.memory.MemoryCrmAdmin;
import org.jamescrm.memory.MemoryRecords;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.rules.ReasonCode;
import org.jamescrm.settings.CaptureSettings;
import org.jamescrm.settings.SettingsParser;
import org.jamescrm.spi.ConnectorProviders;
import org.jamescrm.spi.CrmUser;
import org.jamescrm.testing.CaptureRequests;
import org.jamescrm.testing.TestMessages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The capture core on two servers sharing one PostgreSQL store and one CRM (in memory), without
 * James: the same message captured on both at once is written once, a group's round robin hands out
 * its turns as on one server, and one server answers for the other's decisions.
 */
class ClusterCaptureTest {
    private static final String DOMAIN = "company.example";
    private static TestDatabases databases;

    private final Clock clock = Clock.systemUTC();
    private final MemoryCrmAdmin crm = MemoryCrmAdmin.create(clock);
    private final CaptureSettings settings = new SettingsParser(ConnectorProviders.load()).parse(new ByteArrayInputStream((
        "<crmcapture><mailbox address=\"sales@company.example\" group=\"true\"><distribution>round-robin</distribution>"
            + "<queue>alice@company.example, bob@company.example, carl@company.example</queue></mailbox></crmcapture>")
        .getBytes(StandardCharsets.UTF_8)), "crm-capture.xml");
    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private final List<CrmUser> queue = List.of(crm.addUser(EmailAddress.of("alice@company.example"), "Alice Adams"),
        crm.addUser(EmailAddress.of("bob@company.example"), "Bob Brown"), crm.addUser(EmailAddress.of("carl@company.example"), "Carl Clark"));
    private PostgresCaptureStore storeA;
    private PostgresCaptureStore storeB;
    private Node nodeA;
    private Node nodeB;

    /** One server: its store, its decision log, its capture. */
    private record Node(DecisionLog decisions, CaptureService capture) {
    }

    @BeforeAll
    static void startPostgres() {
        databases = new TestDatabases();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        databases.close();
    }

    @BeforeEach
    void twoServers() {
        var database = databases.fresh();
        storeA = TestDatabases.open(database, clock);
        storeB = TestDatabases.open(database, clock);
        nodeA = node(storeA);
        nodeB = node(storeB);
    }

    private Node node(PostgresCaptureStore store) {
        DecisionLog decisions = new DecisionLog(1000, new JsonViews(), store.decisions());
        return new Node(decisions, new CaptureService(crm.connector(), () -> settings, decisions, new MissingCrmUsers(), store,
            CaptureMetrics.NONE, clock, mail -> { }));
    }

    @AfterEach
    void close() {
        threads.shutdownNow();
        storeA.close();
        storeB.close();
    }

    private CaptureRequest request(String client, String to, String messageId) throws IOException {
        return CaptureRequests.of(client, List.of(to), TestMessages.plain(client, to, messageId, "", "Quote " + messageId, "Hello."),
            DOMAIN, settings, clock.instant());
    }

    /** Captures the request on a node until it is decided, as the capture queue retries a capture that must wait. */
    private static DecisionRecord captured(Node node, CaptureRequest request) throws InterruptedException {
        for (int attempt = 0; attempt < 50; attempt++) {
            RoundOutcome outcome = node.capture().captureRound(List.of(request)).get(0);
            if (outcome instanceof RoundOutcome.Decided decided) {
                return decided.record();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("never decided: " + request.facts().captureKey());
    }

    @Test
    void theSameMessageDeliveredOnBothServersAtOnceShouldBeCapturedOnce() throws Exception {
        List<DecisionRecord> decisions = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            CaptureRequest request = request("client" + i + "@client.example", "alice@company.example", "<same-" + i + "@client.example>");
            CyclicBarrier start = new CyclicBarrier(2);
            Future<DecisionRecord> onA = threads.submit(() -> {
                start.await();
                return captured(nodeA, request);
            });
            Future<DecisionRecord> onB = threads.submit(() -> {
                start.await();
                return captured(nodeB, request);
            });
            decisions.add(onA.get());
            decisions.add(onB.get());
        }

        assertThat(crm.activities()).hasSize(20);
        Map<ReasonCode, Long> reasons = decisions.stream().collect(Collectors.groupingBy(DecisionRecord::reason, Collectors.counting()));
        assertThat(reasons).containsOnly(Map.entry(ReasonCode.NEW_LEAD, 20L), Map.entry(ReasonCode.DUPLICATE, 20L));
    }

    @Test
    void aGroupsRoundRobinShouldHandOutItsTurnsAcrossServersAsOnOne() throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        List<Future<?>> servers = new ArrayList<>();
        for (Node node : List.of(nodeA, nodeB)) {
            int first = node == nodeA ? 0 : 1;
            servers.add(threads.submit(() -> {
                start.await();
                for (int i = first; i < 30; i += 2) {
                    captured(node, request("client" + i + "@client.example", "sales@company.example", "<rr-" + i + "@client.example>"));
                }
                return null;
            }));
        }
        for (Future<?> server : servers) {
            server.get();
        }

        List<MemoryRecords.Lead> leads = crm.leads();
        assertThat(leads).hasSize(30);
        Map<String, Long> perEmployee = leads.stream().collect(Collectors.groupingBy(lead -> lead.responsibleId().orElseThrow(),
            Collectors.counting()));
        assertThat(perEmployee).isEqualTo(queue.stream().collect(Collectors.toMap(CrmUser::id, user -> 10L)));
        assertThat(storeB.roundRobin().current(EmailAddress.of("sales@company.example"))).isEqualTo(30);
    }

    @Test
    void oneServerShouldAnswerForTheOthersDecisions() throws Exception {
        DecisionRecord onA = captured(nodeA, request("carol@client.example", "alice@company.example", "<why@client.example>"));
        PostgresCaptureStoreTest.written(storeA);

        assertThat(nodeB.decisions().latest("why@client.example")).contains(onA);
        assertThat(nodeB.decisions().recent(10)).containsExactly(onA);
        assertThat(nodeB.decisions().find("<why@client.example>")).extracting(Function.identity()).containsExactly(onA);
        assertThat(Optional.of(onA.reason())).contains(ReasonCode.NEW_LEAD);
    }
}

package org.jamescrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.jamescrm.it.ClientMailCaptureEndToEndTest.message;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.james.JamesServerExtension;
import org.jamescrm.emulator.bitrix24.Bitrix24Emulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Two real James 3.8.1 servers in one run, each with its own working directory and ports, with the
 * same {@code crm-capture.xml}: {@code <store>postgresql</store>} on one PostgreSQL, Bitrix24 through
 * OAuth on one emulator whose rate limit is small enough for two servers to overrun it together.
 * What a cluster must keep: one capture per message whichever servers receive it, one round robin,
 * one request budget, one OAuth refresh, one decision search.
 */
class ClusterEndToEndTest {
    static final String ALICE = "alice@company.example";
    static final String BOB = "bob@company.example";
    static final String CARL = "carl@company.example";
    static final String SALES = "sales@company.example";
    /** The portal's limit: a burst of 10, then 2 requests a second; each server alone could spend 8 of the burst. */
    static final int BURST = 10;

    /** Started before the servers, whose settings name them. */
    static final EmbeddedPostgres DATABASE = startDatabase();
    static final Bitrix24Emulator PORTAL = Bitrix24Emulator.builder().rateLimit(BURST, 2)
        .oauth("local.capture", "app-secret", "refresh-0").start();

    @RegisterExtension
    static JamesServerExtension nodeA = node("a");

    @RegisterExtension
    static JamesServerExtension nodeB = node("b");

    static InstalledJames.Clients onA;
    static InstalledJames.Clients onB;
    static final Map<String, Long> USERS = new java.util.HashMap<>();

    /** An embedded PostgreSQL for the servers' store. */
    static EmbeddedPostgres startDatabase() {
        try {
            return EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server of the cluster; {@code name} tells its MBeans apart from the other's, in the one process of the test. */
    private static JamesServerExtension node(String name) {
        return clusterNode(name, PORTAL, BURST, DATABASE, "").extension();
    }

    /**
     * A server of a cluster on {@code database} capturing into {@code portal} through OAuth, the group
     * sales@ in round robin between Alice, Bob and Carl; {@code moreSettings} goes into its
     * {@code crm-capture.xml}. {@code name} tells its MBeans apart from the other servers' in the one
     * process of the test.
     */
    static InstalledJames clusterNode(String name, Bitrix24Emulator portal, int burst, EmbeddedPostgres database, String moreSettings) {
        InstalledJames node = InstalledJames.withProductConfiguration()
            .edit("mailetcontainer.xml", xml -> xml.replace("<processors>", "<processors enableJmx=\"false\">"));
        for (String server : List.of("smtpserver.xml", "imapserver.xml", "lmtpserver.xml", "pop3server.xml", "managesieveserver.xml")) {
            node.edit(server, xml -> xml.replaceAll("<jmxName>([^<]+)</jmxName>", "<jmxName>$1-" + name + "</jmxName>"));
        }
        return node
            .captureSettings("""
            <crmcapture>
              <connector>bitrix24</connector>
              <bitrix24>
                <portal>%s</portal>
                <oauth clientId="local.capture" clientSecret="app-secret" refreshToken="refresh-0" tokenEndpoint="%s"/>
                <rate perSecond="2" burst="%d"/>
              </bitrix24>
              <store>
                <postgresql>
                  <url>%s</url>
                  <user>postgres</user>
                </postgresql>
              </store>
              <mailbox address="sales@company.example" group="true">
                <distribution>round-robin</distribution>
                <queue>alice@company.example, bob@company.example, carl@company.example</queue>
              </mailbox>
            %s</crmcapture>
            """.formatted(portal.portalUrl(), portal.tokenEndpoint(), burst, database.getJdbcUrl("postgres", "postgres"), moreSettings));
    }

    @BeforeAll
    static void mailboxesAndCrmUsers() throws Exception {
        for (String[] user : List.of(new String[] {ALICE, "Alice"}, new String[] {BOB, "Bob"}, new String[] {CARL, "Carl"})) {
            USERS.put(user[0], PORTAL.addUser(Map.of("NAME", user[1], "LAST_NAME", "Staff", "EMAIL", user[0], "ACTIVE", "Y")));
        }
        onA = InstalledJames.connect(nodeA.getGuiceJamesServer(), ALICE, BOB, CARL, SALES);
        onB = InstalledJames.connect(nodeB.getGuiceJamesServer(), ALICE, BOB, CARL, SALES);
    }

    @AfterAll
    static void stop() throws IOException {
        PORTAL.close();
        DATABASE.close();
    }

    @Test
    void theSameMessageDeliveredOnBothServersShouldBeCapturedOnce() throws Exception {
        for (int i = 0; i < 5; i++) {
            String id = "<both-" + i + "@client.example>";
            String client = "client" + i + "@client.example";
            String mail = message(client, ALICE + ", " + BOB, id, "", "Quote " + i, "Chairs?");
            // one MX hands the mail to server A for Alice, another to server B for Bob
            Thread sendOnB = new Thread(() -> send(onB, client, BOB, mail));
            sendOnB.start();
            onA.mail().send(client, List.of(ALICE), mail);
            sendOnB.join();
        }

        for (int i = 0; i < 5; i++) {
            String id = "<both-" + i + "@client.example>";
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(reasons(onB, id)).hasSize(2));
            assertThat(reasons(onA, id)).containsExactlyInAnyOrder("NEW_LEAD", "DUPLICATE");
            assertThat(PORTAL.activitiesWithOrigin(id)).hasSize(1);
            assertThat(PORTAL.leadsWithOrigin(id)).hasSize(1);
        }
    }

    @Test
    void aGroupsRoundRobinShouldGoOnFromServerToServerAsOnOne() throws Exception {
        List<String> responsibles = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String id = "<rr-" + i + "@client.example>";
            InstalledJames.Clients server = i % 2 == 0 ? onA : onB;
            server.mail().send("lead" + i + "@client.example", List.of(SALES), message("lead" + i + "@client.example", SALES, id, "",
                "Offer " + i, "Price?"));
            assertThat(server.webAdmin().awaitDecision(id).path("reason").asText()).isEqualTo("NEW_LEAD");
            responsibles.add(String.valueOf(PORTAL.leadsWithOrigin(id).get(0).get("ASSIGNED_BY_ID")));
        }

        List<String> queue = List.of(ALICE, BOB, CARL).stream().map(user -> String.valueOf(USERS.get(user))).toList();
        int first = queue.indexOf(responsibles.get(0));
        assertThat(responsibles).isEqualTo(List.of(0, 1, 2, 3, 4, 5).stream().map(i -> queue.get((first + i) % 3)).toList());
    }

    @Test
    void aDecisionOfOneServerShouldBeAnsweredOnTheOther() throws Exception {
        onA.mail().send("why@client.example", List.of(ALICE), message("why@client.example", ALICE, "<why@client.example>", "",
            "Question", "Why?"));

        JsonNode onServerB = onB.webAdmin().awaitDecision("<why@client.example>");
        assertThat(onServerB.path("reason").asText()).isEqualTo("NEW_LEAD");
    }

    @Test
    void anOAuthRefreshOnOneServerShouldServeTheOtherAndSpendTheRefreshTokenOnce() throws Exception {
        onA.mail().send("warm@client.example", List.of(ALICE), message("warm@client.example", ALICE, "<warm@client.example>", "", "Hi", "."));
        onB.mail().send("warm2@client.example", List.of(BOB), message("warm2@client.example", BOB, "<warm2@client.example>", "", "Hi", "."));
        onA.webAdmin().awaitDecision("<warm@client.example>");
        onB.webAdmin().awaitDecision("<warm2@client.example>");
        long refreshesBefore = tokenRequests();

        PORTAL.expireAccessTokens();
        onA.mail().send("after@client.example", List.of(ALICE), message("after@client.example", ALICE, "<after@client.example>", "", "Hi", "."));
        onB.mail().send("after2@client.example", List.of(BOB), message("after2@client.example", BOB, "<after2@client.example>", "", "Hi", "."));

        assertThat(onA.webAdmin().awaitDecision("<after@client.example>").path("captured").asBoolean()).isTrue();
        assertThat(onB.webAdmin().awaitDecision("<after2@client.example>").path("captured").asBoolean()).isTrue();
        assertThat(tokenRequests() - refreshesBefore).as("one refresh for both servers").isEqualTo(1);
        assertThat(PORTAL.requests()).noneMatch(request -> "invalid_grant".equals(request.errorCode()));
    }

    @Test
    void bothServersTogetherShouldStayWithinThePortalsRateLimit() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String id = "<load-" + i + "@client.example>";
            ids.add(id);
            InstalledJames.Clients server = i % 2 == 0 ? onA : onB;
            String client = "load" + i + "@client.example";
            server.mail().send(client, List.of(i % 4 < 2 ? ALICE : BOB), message(client, ALICE, id, "", "Load " + i, "."));
        }
        for (String id : ids) {
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(reasons(onA, id)).isNotEmpty());
        }

        assertThat(PORTAL.refusedCount("QUERY_LIMIT_EXCEEDED")).isZero();
    }

    private static List<String> reasons(InstalledJames.Clients server, String messageId) {
        List<String> reasons = new ArrayList<>();
        server.webAdmin().decisions(messageId).forEach(decision -> reasons.add(decision.path("reason").asText()));
        return reasons;
    }

    private static long tokenRequests() {
        return PORTAL.requests().stream().filter(request -> request.method().equals("oauth/token")).count();
    }

    private static void send(InstalledJames.Clients server, String sender, String recipient, String mail) {
        try {
            server.mail().send(sender, List.of(recipient), mail);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

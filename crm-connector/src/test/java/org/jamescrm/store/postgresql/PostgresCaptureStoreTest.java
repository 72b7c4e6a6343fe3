package org.jamescrm.store.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;

import org.jamescrm.decisions.DecisionQuery;
import org.jamescrm.decisions.DecisionRecord;
import org.jamescrm.decisions.SharedDecisionStore;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.rules.Direction;
import org.jamescrm.rules.ReasonCode;
import org.jamescrm.settings.FloodLimit;
import org.jamescrm.settings.StoreSettings;
import org.jamescrm.spi.CrmRejectedException;
import org.jamescrm.store.CaptureLedger;
import org.jamescrm.store.FloodCounters;
import org.jamescrm.spi.RequestBudget;
import org.jamescrm.spi.TokenStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL store as two servers see it: two stores (each its own pool) on one real database,
 * racing from two threads where a cluster would race.
 */
class PostgresCaptureStoreTest {
    private static final EmailAddress GROUP = EmailAddress.of("sales@company.example");
    private static final EmailAddress CLIENT = EmailAddress.of("carol@client.example");
    private static TestDatabases databases;

    private final Clock clock = Clock.systemUTC();
    private StoreSettings.PostgreSql database;
    private PostgresCaptureStore nodeA;
    private PostgresCaptureStore nodeB;
    private final ExecutorService threads = Executors.newFixedThreadPool(2);

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
        database = databases.fresh();
        nodeA = TestDatabases.open(database, clock);
        nodeB = TestDatabases.open(database, clock);
    }

    @AfterEach
    void close() {
        threads.shutdownNow();
        nodeA.close();
        nodeB.close();
    }

    /** Runs {@code onA} and {@code onB} at the same moment on two threads; their results. */
    private <T> List<T> together(Callable<T> onA, Callable<T> onB) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        Future<T> a = threads.submit(() -> {
            start.await();
            return onA.call();
        });
        Future<T> b = threads.submit(() -> {
            start.await();
            return onB.call();
        });
        return List.of(a.get(), b.get());
    }

    @Test
    void twoServersClaimingTheSameKeysShouldNeverBothWinOne() throws Exception {
        int keys = 200;
        List<List<String>> won = together(() -> claimAll(nodeA, keys), () -> claimAll(nodeB, keys));

        List<String> all = new ArrayList<>(won.get(0));
        all.addAll(won.get(1));
        assertThat(all).hasSize(keys).doesNotHaveDuplicates();
    }

    private static List<String> claimAll(PostgresCaptureStore node, int keys) {
        List<String> won = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            if (node.ledger().claim("<m" + i + "@client.example>", "bitrix24") instanceof CaptureLedger.Claimed) {
                won.add("<m" + i + "@client.example>");
            }
        }
        return won;
    }

    @Test
    void aKeyWrittenUnansweredOnOneServerShouldBeResumedOnceByWhicheverServerRetriesIt() {
        nodeA.ledger().claim("<u@client.example>", "bitrix24");
        nodeA.ledger().unanswered("<u@client.example>", "bitrix24");

        assertThat(nodeB.ledger().claim("<u@client.example>", "bitrix24")).isInstanceOf(CaptureLedger.Resumed.class);
        assertThat(nodeA.ledger().claim("<u@client.example>", "bitrix24")).as("resumed once: it is claimed now")
            .isInstanceOfSatisfying(CaptureLedger.Busy.class, busy -> assertThat(busy.node()).isEqualTo(nodeB.node()));
        nodeB.ledger().release("<u@client.example>", "bitrix24");
        assertThat(nodeA.ledger().claim("<u@client.example>", "bitrix24")).isInstanceOf(CaptureLedger.Claimed.class);

        nodeA.ledger().unanswered("<v@client.example>", "bitrix24");
        assertThat(nodeB.ledger().claim("<v@client.example>", "bitrix24")).as("only a claimed key is marked unanswered")
            .isInstanceOf(CaptureLedger.Claimed.class);
    }

    @Test
    void aKeyCapturedOnOneServerShouldBeADuplicateOnTheOtherAndAReleasedOneFreeAgain() {
        assertThat(nodeA.ledger().claim("<a@client.example>", "bitrix24")).isInstanceOf(CaptureLedger.Claimed.class);
        assertThat(nodeB.ledger().claim("<a@client.example>", "bitrix24")).isInstanceOfSatisfying(CaptureLedger.Busy.class,
            busy -> assertThat(busy.node()).isEqualTo(nodeA.node()));
        assertThat(nodeB.ledger().claim("<a@client.example>", "espocrm")).as("another CRM is another capture")
            .isInstanceOf(CaptureLedger.Claimed.class);

        nodeA.ledger().captured("<a@client.example>", "bitrix24", "activity-7");
        assertThat(nodeB.ledger().claim("<a@client.example>", "bitrix24"))
            .isEqualTo(new CaptureLedger.AlreadyCaptured("activity-7", nodeA.node()));

        nodeA.ledger().claim("<b@client.example>", "bitrix24");
        nodeA.ledger().release("<b@client.example>", "bitrix24");
        assertThat(nodeB.ledger().claim("<b@client.example>", "bitrix24")).isInstanceOf(CaptureLedger.Claimed.class);
    }

    @Test
    void aClaimLeftByAStoppedServerShouldBeTakenOverOnceExpired() throws SQLException {
        nodeA.ledger().claim("<c@client.example>", "bitrix24");
        execute("UPDATE crm_capture.capture_ledger SET claimed_at = now() - interval '11 minutes'");

        assertThat(nodeB.ledger().claim("<c@client.example>", "bitrix24")).isInstanceOf(CaptureLedger.Claimed.class);
        nodeA.ledger().release("<c@client.example>", "bitrix24");
        assertThat(nodeA.ledger().claim("<c@client.example>", "bitrix24")).as("the release of the old owner frees nothing")
            .isInstanceOf(CaptureLedger.Busy.class);
    }

    @Test
    void theRoundRobinOfTwoServersShouldHandOutEveryTurnExactlyOnce() throws Exception {
        int turns = 150;
        List<List<Long>> taken = together(() -> takeTurns(nodeA, turns), () -> takeTurns(nodeB, turns));

        List<Long> all = new ArrayList<>(taken.get(0));
        all.addAll(taken.get(1));
        Collections.sort(all);
        assertThat(all).isEqualTo(LongStream.range(0, 2L * turns).boxed().toList());
        assertThat(nodeA.roundRobin().current(GROUP)).isEqualTo(2L * turns);
    }

    /** Takes {@code turns} turns as the capture does: read the position, take it unless another server did. */
    private static List<Long> takeTurns(PostgresCaptureStore node, int turns) {
        List<Long> taken = new ArrayList<>();
        while (taken.size() < turns) {
            long turn = node.roundRobin().current(GROUP);
            if (node.roundRobin().advance(GROUP, turn)) {
                taken.add(turn);
            }
        }
        return taken;
    }

    @Test
    void twoServersShouldNotCountPastTheFloodLimitTogether() throws Exception {
        FloodLimit limit = new FloodLimit(5, Duration.ofHours(1));
        List<List<FloodCounters.Reservation>> granted = together(() -> reserve(nodeA, limit, 10), () -> reserve(nodeB, limit, 10));

        assertThat(granted.get(0).size() + granted.get(1).size()).isEqualTo(5);
        assertThat(nodeB.flood().over(CLIENT, limit)).isTrue();
        assertThat(nodeB.flood().over(EmailAddress.of("dave@client.example"), limit)).isFalse();

        List<FloodCounters.Reservation> some = granted.get(0).isEmpty() ? granted.get(1) : granted.get(0);
        nodeA.flood().release(some.get(0));
        assertThat(nodeB.flood().over(CLIENT, limit)).isFalse();
        assertThat(nodeB.flood().tryReserve(CLIENT, limit)).isPresent();
        assertThat(nodeA.flood().tryReserve(CLIENT, limit)).isEmpty();
    }

    private static List<FloodCounters.Reservation> reserve(PostgresCaptureStore node, FloodLimit limit, int times) {
        List<FloodCounters.Reservation> granted = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            node.flood().tryReserve(CLIENT, limit).ifPresent(granted::add);
        }
        return granted;
    }

    @Test
    void theFloodWindowShouldForgetOldCaptures() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-22T09:00:00Z"));
        Clock moving = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        try (PostgresCaptureStore node = TestDatabases.open(database, moving)) {
            FloodLimit limit = new FloodLimit(2, Duration.ofMinutes(10));
            node.flood().tryReserve(CLIENT, limit);
            node.flood().tryReserve(CLIENT, limit);
            assertThat(node.flood().tryReserve(CLIENT, limit)).isEmpty();

            now.set(now.get().plus(Duration.ofMinutes(11)));
            assertThat(node.flood().tryReserve(CLIENT, limit)).isPresent();
        }
    }

    @Test
    void decisionsOfOneServerShouldBeFoundOnTheOtherByEveryCriterion() throws InterruptedException {
        Instant morning = Instant.parse("2026-11-22T09:00:00Z");
        nodeA.decisions().append(decision("<q1@client.example>", "carol@client.example", ReasonCode.NEW_LEAD, morning));
        nodeA.decisions().append(decision("<q2@client.example>", "dave@client.example", ReasonCode.INTERNAL, morning.plusSeconds(60)));
        nodeB.decisions().append(decision("<q3@client.example>", "carol@client.example", ReasonCode.FLOOD, morning.plusSeconds(120)));
        written(nodeA);
        written(nodeB);
        SharedDecisionStore onB = (SharedDecisionStore) nodeB.decisions();

        assertThat(messageIds(onB.search(query(q -> q.messageId = Optional.of("q1@client.example"))))).containsExactly("<q1@client.example>");
        assertThat(messageIds(onB.search(query(q -> q.sender = Optional.of(CLIENT))))).containsExactly("<q3@client.example>", "<q1@client.example>");
        assertThat(messageIds(onB.search(query(q -> q.recipient = Optional.of(EmailAddress.of("alice@company.example"))))))
            .containsExactly("<q3@client.example>", "<q2@client.example>", "<q1@client.example>");
        assertThat(messageIds(onB.search(query(q -> q.reason = Optional.of("internal"))))).containsExactly("<q2@client.example>");
        assertThat(messageIds(onB.search(query(q -> q.captured = Optional.of(true))))).containsExactly("<q1@client.example>");
        assertThat(messageIds(onB.search(query(q -> q.mailbox = Optional.of(EmailAddress.of("alice@company.example")))))).hasSize(3);
        assertThat(messageIds(onB.search(query(q -> {
            q.from = Optional.of(morning.plusSeconds(60));
            q.to = Optional.of(morning.plusSeconds(120));
        })))).containsExactly("<q2@client.example>");

        DecisionQuery.Page second = onB.search(new DecisionQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 2, 2));
        assertThat(messageIds(second)).containsExactly("<q1@client.example>");
        assertThat(second.total()).isEqualTo(3);
        DecisionQuery.Page past = onB.search(new DecisionQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 2, 10));
        assertThat(past.decisions()).isEmpty();
        assertThat(past.total()).isEqualTo(3);
        assertThat(onB.search(query(q -> q.messageId = Optional.of("q1@client.example"))).decisions().get(0))
            .isEqualTo(decision("<q1@client.example>", "carol@client.example", ReasonCode.NEW_LEAD, morning));
    }

    @Test
    void theDecisionsKeptShouldBeBoundedByCountAndAge() throws InterruptedException {
        StoreSettings.PostgreSql small = new StoreSettings.PostgreSql(database.url(), database.user(), "", 2, 150, Duration.ofDays(7));
        try (PostgresCaptureStore node = TestDatabases.open(small, clock)) {
            node.decisions().append(decision("<old@client.example>", "carol@client.example", ReasonCode.INTERNAL,
                Instant.now().minus(Duration.ofDays(8))));
            for (int i = 1; i < 2 * PostgresDecisionStore.PRUNE_EVERY; i++) {
                node.decisions().append(decision("<n" + i + "@client.example>", "carol@client.example", ReasonCode.INTERNAL, Instant.now()));
            }
            written(node);
            DecisionQuery.Page all = ((SharedDecisionStore) node.decisions()).search(DecisionQuery.newest(1000));
            assertThat(all.total()).isEqualTo(150);
            assertThat(messageIds(all)).doesNotContain("<old@client.example>", "<n1@client.example>")
                .contains("<n" + (2 * PostgresDecisionStore.PRUNE_EVERY - 1) + "@client.example>");
        }
    }

    @Test
    void oneRefreshShouldServeBothServersAndSpendTheRotatingRefreshTokenOnce() throws Exception {
        AtomicReference<String> valid = new AtomicReference<>("refresh-0");
        AtomicInteger refreshes = new AtomicInteger();
        TokenStore.Refresher rotatingServer = refreshToken -> {
            // as Bitrix24: an old refresh token is refused, a new one is handed out each time
            synchronized (valid) {
                if (!valid.get().equals(refreshToken)) {
                    throw new CrmRejectedException("invalid_grant: refresh token " + refreshToken + " was rotated away");
                }
                valid.set("refresh-" + (refreshes.get() + 1));
            }
            sleep(200); // long enough for the other server to arrive while the row is locked
            return new TokenStore.OAuthTokens(Optional.of("access-" + refreshes.incrementAndGet()), valid.get());
        };
        List<TokenStore.OAuthTokens> got = together(
            () -> nodeA.tokens().refresh("portal app", Optional.empty(), "refresh-0", rotatingServer),
            () -> nodeB.tokens().refresh("portal app", Optional.empty(), "refresh-0", rotatingServer));

        assertThat(refreshes).hasValue(1);
        assertThat(got.get(0)).isEqualTo(got.get(1));
        assertThat(nodeB.tokens().current("portal app", "refresh-0")).contains(got.get(0));

        TokenStore.OAuthTokens again = nodeB.tokens().refresh("portal app", got.get(0).accessToken(), "refresh-0", rotatingServer);
        assertThat(again.accessToken()).contains("access-2");
        assertThat(nodeA.tokens().refresh("portal app", got.get(0).accessToken(), "refresh-0", rotatingServer))
            .as("the access token A had expired was replaced by B: A takes B's").isEqualTo(again);
        assertThat(refreshes).hasValue(2);
        assertThat(nodeA.tokens().current("portal app", "a-newly-configured-token")).as("a new configured token wins").isEmpty();
    }

    @Test
    void twoServersShouldSpendOneRequestBudget() throws Exception {
        // a bucket that all but never drains: what each request finds is what the servers spent together
        RequestBudget onA = nodeA.requestBudgets().budget("bitrix24 portal", 0.001, 5, () -> null);
        RequestBudget onB = nodeB.requestBudgets().budget("bitrix24 portal", 0.001, 5, () -> null);
        List<List<Duration>> waits = together(() -> reserve(onA, 4), () -> reserve(onB, 4));

        List<Duration> all = new ArrayList<>(waits.get(0));
        all.addAll(waits.get(1));
        assertThat(all.stream().filter(Duration::isZero)).hasSize(5);
        assertThat(all.stream().filter(wait -> wait.compareTo(Duration.ofSeconds(900)) > 0)).hasSize(3);
        assertThat(onB.untilAffordable(1, Duration.ofSeconds(1), 1)).isPositive();
        assertThat(nodeA.requestBudgets().budget("another portal", 0.001, 5, () -> null).untilAffordable(1, Duration.ofSeconds(1), 1))
            .isZero();
    }

    @Test
    void eachServerShouldSeeTheOthersArrivalPaceAndNoLongerOnceTheyStop() throws Exception {
        assertThat(nodeB.arrivals().others()).isZero();

        nodeA.arrivals().publish(12.5);
        nodeB.arrivals().publish(3.0);

        awaitOthers(nodeB, 12.5);
        awaitOthers(nodeA, 3.0);
        assertThat(nodeA.arrivals().otherServers()).isEqualTo(1);
        try (PostgresCaptureStore nodeC = TestDatabases.open(database, clock)) {
            nodeC.arrivals().publish(1.0);
            awaitOthers(nodeC, 15.5);
            awaitOthers(nodeA, 4.0);
            assertThat(nodeC.arrivals().otherServers()).isEqualTo(2);
        }
        awaitOthers(nodeA, 3.0); // a stopped server counts for nothing at once
    }

    /** Waits (the paces are shared once a second) until {@code node} sees the others at {@code pace}. */
    private static void awaitOthers(PostgresCaptureStore node, double pace) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (node.arrivals().others() != pace && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(node.arrivals().others()).as("the others' pace seen by " + node.node()).isEqualTo(pace);
    }

    private static List<Duration> reserve(RequestBudget budget, int times) {
        List<Duration> waits = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            waits.add(budget.reserve());
        }
        return waits;
    }

    @Test
    void anUnreachableDatabaseShouldStopTheStartSayingWhatToCheck() {
        StoreSettings.PostgreSql nowhere = new StoreSettings.PostgreSql("jdbc:postgresql://127.0.0.1:1/james?password=hidden", "james",
            "secret", 2, 10, Duration.ofDays(1));

        assertThatThrownBy(() -> TestDatabases.open(nowhere, clock))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("jdbc:postgresql://127.0.0.1:1/james")
            .hasMessageContaining("cannot be reached")
            .hasMessageContaining("<store><postgresql>")
            .hasMessageNotContaining("hidden")
            .hasMessageNotContaining("secret");
    }

    @Test
    void migrationsShouldCreateTheSchemaOnAnEmptyDatabaseAndUpgradeThePreviousVersionKeepingItsRows() throws SQLException {
        StoreSettings.PostgreSql empty = databases.fresh();
        PGSimpleDataSource direct = dataSource(empty);
        PostgresCaptureStore.flyway(direct).target("1").load().migrate();
        try (Connection connection = direct.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO crm_capture.round_robin (mailbox, position) VALUES ('sales@company.example', 41)");
            statement.execute("INSERT INTO crm_capture.capture_ledger (capture_key, crm, state, node, activity_id, claimed_at) "
                + "VALUES ('<old@client.example>', 'bitrix24', 'captured', 'old-node', '12', now())");
        }

        try (PostgresCaptureStore upgraded = TestDatabases.open(empty, clock)) {
            assertThat(upgraded.roundRobin().current(GROUP)).isEqualTo(41);
            assertThat(upgraded.ledger().claim("<old@client.example>", "bitrix24"))
                .isEqualTo(new CaptureLedger.AlreadyCaptured("12", "old-node"));
            assertThat(upgraded.flood().tryReserve(CLIENT, FloodLimit.defaults())).isPresent();
        }
        assertThat(versions(direct)).containsExactly("1", "2", "3", "4");
        assertThat(versions(dataSource(database))).as("a first start on an empty database").containsExactly("1", "2", "3", "4");
    }

    /** Waits until the decisions {@code node} was handed are written: they are written in the background. */
    static void written(PostgresCaptureStore node) throws InterruptedException {
        assertThat(((PostgresDecisionStore) node.decisions()).flush(Duration.ofSeconds(30))).as("decisions written").isTrue();
    }

    private static List<String> versions(PGSimpleDataSource source) throws SQLException {
        List<String> versions = new ArrayList<>();
        try (Connection connection = source.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT version FROM crm_capture.flyway_schema_history "
                 + "WHERE success AND version IS NOT NULL ORDER BY installed_rank")) {
            while (rows.next()) {
                versions.add(rows.getString(1));
            }
        }
        return versions;
    }

    private static PGSimpleDataSource dataSource(StoreSettings.PostgreSql settings) {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setURL(settings.url());
        source.setUser(settings.user());
        return source;
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = dataSource(database).getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static DecisionRecord decision(String messageId, String sender, ReasonCode reason, Instant at) {
        return new DecisionRecord(Optional.of(messageId), messageId, Direction.INBOUND, Optional.of(EmailAddress.of(sender)),
            List.of(EmailAddress.of(sender)), List.of(EmailAddress.of("alice@company.example")),
            Optional.of(EmailAddress.of("alice@company.example")), reason, reason.name(), "why", List.of(), Optional.empty(),
            Optional.empty(), Map.of("mailbox", "alice@company.example"), at);
    }

    private static List<String> messageIds(DecisionQuery.Page page) {
        return page.decisions().stream().map(record -> record.messageId().orElseThrow()).toList();
    }

    /** The criteria of a query, to set a few of. */
    private static final class Criteria {
        Optional<String> messageId = Optional.empty();
        Optional<EmailAddress> sender = Optional.empty();
        Optional<EmailAddress> recipient = Optional.empty();
        Optional<EmailAddress> mailbox = Optional.empty();
        Optional<String> reason = Optional.empty();
        Optional<Boolean> captured = Optional.empty();
        Optional<Instant> from = Optional.empty();
        Optional<Instant> to = Optional.empty();
    }

    private static DecisionQuery query(java.util.function.Consumer<Criteria> set) {
        Criteria criteria = new Criteria();
        set.accept(criteria);
        return new DecisionQuery(criteria.messageId, criteria.sender, criteria.recipient, criteria.mailbox, criteria.reason,
            criteria.captured, criteria.from, criteria.to, 100, 0);
    }
}

package org.jamescrm.store.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.jamescrm.model.EmailAddress;
import org.jamescrm.rules.ReasonCode;
import org.jamescrm.settings.CaptureSettings;
import org.jamescrm.settings.SettingsParser;
import org.jamescrm.settings.StoreSettings;
import org.jamescrm.spi.ConnectorProviders;
import org.jamescrm.spi.CrmUnavailableException;
import org.jamescrm.testing.CaptureRequests;
import org.jamescrm.testing.TestMessages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The shared store going away while two servers capture: what needs it waits (a failure the capture
 * queue retries, never a defect that parks), nothing is written meanwhile, and once it is back every
 * mail is captured once, whichever server and however many times it is tried.
 */
class StoreOutageTest {
    private final Clock clock = Clock.systemUTC();
    private final MemoryCrmAdmin crm = MemoryCrmAdmin.create(clock);
    private final CaptureSettings settings = new SettingsParser(ConnectorProviders.load()).parse(
        new ByteArrayInputStream("<crmcapture/>".getBytes(StandardCharsets.UTF_8)), "crm-capture.xml");

    @Test
    void capturesShouldWaitWhileTheStoreIsDownAndBeCapturedOnceWhenItIsBack(@TempDir Path data) throws Exception {
        crm.addUser(EmailAddress.of("alice@company.example"), "Alice Adams");
        int port = freePort();
        EmbeddedPostgres database = start(data, port);
        StoreSettings.PostgreSql store = new StoreSettings.PostgreSql(database.getJdbcUrl("postgres", "postgres"), "postgres", "", 2, 1000,
            StoreSettings.PostgreSql.DEFAULT_KEEP_DECISIONS_FOR);
        try (PostgresCaptureStore storeA = TestDatabases.open(store, clock); PostgresCaptureStore storeB = TestDatabases.open(store, clock)) {
            List<CaptureService> servers = List.of(server(storeA), server(storeB));
            assertThat(decide(servers.get(0), request(0))).isInstanceOf(RoundOutcome.Decided.class);

            database.close();
            List<RoundOutcome> whileDown = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                whileDown.add(decide(servers.get(i % 2), request(i)));
            }
            assertThat(whileDown).allSatisfy(outcome -> assertThat(outcome).isInstanceOfSatisfying(RoundOutcome.Failed.class,
                failed -> assertThat(failed.cause()).isInstanceOf(CrmUnavailableException.class)
                    .hasMessageContaining("the capture store is unavailable")));
            assertThat(crm.activities()).as("nothing written without its claim").hasSize(1);

            database = start(data, port);
            List<DecisionRecord> afterwards = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                for (CaptureService server : servers) { // the queue tries again; RabbitMQ may hand it to either server
                    afterwards.add(((RoundOutcome.Decided) decide(server, request(i))).record());
                }
            }
            assertThat(crm.activities()).hasSize(5);
            assertThat(afterwards.stream().collect(Collectors.groupingBy(DecisionRecord::reason, Collectors.counting())))
                .containsOnly(Map.entry(ReasonCode.NEW_LEAD, 4L), Map.entry(ReasonCode.DUPLICATE, 4L));
        } finally {
            database.close();
        }
    }

    private CaptureService server(PostgresCaptureStore store) {
        return new CaptureService(crm.connector(), () -> settings, new DecisionLog(100, new JsonViews(), store.decisions()),
            new MissingCrmUsers(), store, CaptureMetrics.NONE, clock, mail -> { });
    }

    private static RoundOutcome decide(CaptureService server, CaptureRequest request) {
        return server.captureRound(List.of(request)).get(0);
    }

    private CaptureRequest request(int i) throws IOException {
        String client = "client" + i + "@client.example";
        return CaptureRequests.of(client, List.of("alice@company.example"), TestMessages.plain(client, "alice@company.example",
            "<outage-" + i + "@client.example>", "", "Quote " + i, "Hello."), "company.example", settings, clock.instant());
    }

    private static EmbeddedPostgres start(Path data, int port) throws IOException {
        Files.createDirectories(data);
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

package org.jamescrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.jamescrm.it.ClientMailCaptureEndToEndTest.message;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.james.GuiceJamesServer;
import org.apache.james.JamesServerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * Operating the capture without reading logs, on a real James 3.8.1 server with the product's demo
 * configuration: the capture's metrics on James's {@code GET /metrics}, its health on
 * {@code GET /healthcheck}.
 */
class OperationsEndToEndTest {
    static final String ALICE = "alice@company.example";
    static final String BOB = "bob@company.example";
    static final Duration CAPTURE = Duration.ofSeconds(30);

    @RegisterExtension
    static GreenMailExtension clientMailServer = new GreenMailExtension(new ServerSetup(3027, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
        .withPerMethodLifecycle(false);

    @RegisterExtension
    static JamesServerExtension james = InstalledJames.withProductConfiguration().smarthost(3027).extension();

    static MailClient mail;
    static WebAdminClient webAdmin;

    @BeforeAll
    static void createMailboxes(GuiceJamesServer server) throws Exception {
        InstalledJames.Clients clients = InstalledJames.connect(server, ALICE, BOB);
        mail = clients.mail();
        webAdmin = clients.webAdmin();
    }

    @Test
    void theCaptureCountersShouldMoveOnJamesMetricsRoute() throws Exception {
        double newLeads = metric("crm_capture_captured_new_lead_total");
        double internal = metric("crm_capture_not_captured_internal_total");
        double lookups = metric("crm_capture_crm_requests_memory_lookup_total");

        mail.send("mia@client.example", List.of(ALICE), message("Mia Client <mia@client.example>", ALICE, "<metrics-1@client.example>", "",
            "Chairs", "40 chairs."));
        mail.send(ALICE, List.of(BOB), message(ALICE, BOB, "<metrics-2@company.example>", "", "Lunch", "At noon?"));
        webAdmin.awaitDecision("<metrics-1@client.example>");
        webAdmin.awaitDecision("<metrics-2@company.example>");

        await().atMost(CAPTURE).untilAsserted(() -> {
            assertThat(metric("crm_capture_captured_new_lead_total")).isEqualTo(newLeads + 1);
            assertThat(metric("crm_capture_not_captured_internal_total")).isEqualTo(internal + 1);
            assertThat(metric("crm_capture_crm_requests_memory_lookup_total")).isGreaterThan(lookups);
            assertThat(metric("crm_capture_crm_latency_memory_lookup_count")).isGreaterThan(0);
            assertThat(metric("crm_capture_rounds_total")).isGreaterThan(0);
            assertThat(metric("crm_capture_queue_depth_crm_capture")).isZero();
        });
    }

    @Test
    void everyMetricTheGrafanaDashboardNamesShouldBeShown() throws Exception {
        String dashboard = java.nio.file.Files.readString(java.nio.file.Path.of("../james-config/src/main/grafana/james-crm-capture-dashboard.json"));
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(dashboard);
        String shown = webAdmin.raw("/metrics").body();
        Matcher named = Pattern.compile("crm_capture_[a-z_]+(?![a-z_.(|+])").matcher(dashboard);
        List<String> names = new java.util.ArrayList<>();
        while (named.find()) {
            names.add(named.group());
        }

        assertThat(names).contains("crm_capture_retries_total", "crm_capture_parked_total", "crm_capture_round_size_last");
        assertThat(names).allSatisfy(name -> assertThat(shown).as(name).containsPattern("(?m)^" + name + " "));
    }

    @Test
    void theCaptureShouldBeHealthyOnJamesHealthCheckRoute() throws Exception {
        var response = webAdmin.raw("/healthcheck");
        JsonNode health = new ObjectMapper().readTree(response.body());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(health.path("status").asText()).isEqualTo("healthy");
        assertThat(health.path("checks").findValuesAsText("componentName")).contains("CRM capture");
        assertThat(webAdmin.raw("/healthcheck/checks/CRM%20capture").body()).contains("\"status\":\"healthy\"");
    }

    /** A sample of {@code GET /metrics} (Prometheus text); 0 when James does not show it yet. */
    static double metric(String name) {
        var response = webAdmin.raw("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        Matcher sample = Pattern.compile("(?m)^" + Pattern.quote(name) + " ([0-9.eE+-]+)$").matcher(response.body());
        if (sample.find()) {
            return Double.parseDouble(sample.group(1));
        }
        return 0;
    }
}

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

    static final InstalledJames INSTALLATION = InstalledJames.withProductConfiguration().smarthost(3027)
        .edit("crm-capture.xml", xml -> xml.replace("</crmcapture>", """
              <mailbox address="bob@company.example">
                <leadless>true</leadless>
              </mailbox>
            </crmcapture>"""));

    @RegisterExtension
    static JamesServerExtension james = INSTALLATION.extension();

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
        double newLeads = webAdmin.metric("crm_capture_captured_new_lead_total");
        double internal = webAdmin.metric("crm_capture_not_captured_internal_total");
        double lookups = webAdmin.metric("crm_capture_crm_requests_memory_lookup_total");

        mail.send("mia@client.example", List.of(ALICE), message("Mia Client <mia@client.example>", ALICE, "<metrics-1@client.example>", "",
            "Chairs", "40 chairs."));
        mail.send(ALICE, List.of(BOB), message(ALICE, BOB, "<metrics-2@company.example>", "", "Lunch", "At noon?"));
        webAdmin.awaitDecision("<metrics-1@client.example>");
        webAdmin.awaitDecision("<metrics-2@company.example>");

        await().atMost(CAPTURE).untilAsserted(() -> {
            assertThat(webAdmin.metric("crm_capture_captured_new_lead_total")).isEqualTo(newLeads + 1);
            assertThat(webAdmin.metric("crm_capture_not_captured_internal_total")).isEqualTo(internal + 1);
            assertThat(webAdmin.metric("crm_capture_crm_requests_memory_lookup_total")).isGreaterThan(lookups);
            assertThat(webAdmin.metric("crm_capture_crm_latency_memory_lookup_count")).isGreaterThan(0);
            assertThat(webAdmin.metric("crm_capture_rounds_total")).isGreaterThan(0);
            assertThat(webAdmin.metric("crm_capture_queue_depth_crm_capture")).isZero();
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

    @Test
    void theDryRunShouldAgreeWithTheCaptureOfANewClientAndWriteNothing() throws Exception {
        String first = message("Eve Client <eve@client.example>", ALICE, "<dry-1@client.example>", "", "Desks", "20 desks.");

        JsonNode dryRun = webAdmin.dryRun("eve@client.example", List.of(ALICE), first);

        assertThat(dryRun.path("reason").asText()).isEqualTo("NEW_LEAD");
        assertThat(dryRun.path("explanation").asText()).isEqualTo("saved on a new lead: the CRM does not know the client");
        assertThat(dryRun.path("direction").asText()).isEqualTo("INBOUND");
        assertThat(dryRun.path("create").get(0).path("type").asText()).isEqualTo("LEAD");
        assertThat(dryRun.path("create").get(0).path("email").asText()).isEqualTo("eve@client.example");
        assertThat(dryRun.path("settings").path("createLeadForIncoming").asText()).isEqualTo("true");
        assertThat(webAdmin.decisions("<dry-1@client.example>")).as("no decision recorded").isEmpty();
        assertThat(webAdmin.memory("leads", lead -> lead.path("email").asText().equals("eve@client.example"))).as("nothing written").isEmpty();

        mail.send("eve@client.example", List.of(ALICE), first);
        JsonNode captured = webAdmin.awaitDecision("<dry-1@client.example>");

        assertThat(captured.path("reason").asText()).isEqualTo("NEW_LEAD");
        assertThat(captured.path("responsibleId")).isEqualTo(dryRun.path("responsibleId"));
        assertThat(captured.path("settings")).isEqualTo(dryRun.path("settings"));
    }

    @Test
    void theDryRunShouldAgreeWithTheCaptureOfMailAmongEmployees() throws Exception {
        String memo = message(ALICE, BOB, "<dry-2@company.example>", "", "Memo", "Internal.");

        JsonNode dryRun = webAdmin.dryRun(ALICE, List.of(BOB), memo);
        mail.send(ALICE, List.of(BOB), memo);

        assertThat(dryRun.path("reason").asText()).isEqualTo("INTERNAL");
        assertThat(dryRun.path("explanation").asText()).isEqualTo("not saved: every party is a company address");
        assertThat(webAdmin.awaitDecision("<dry-2@company.example>").path("reason").asText()).isEqualTo("INTERNAL");
    }

    @Test
    void theDryRunShouldAgreeWithTheCaptureOfAKnownClientWithADeal() throws Exception {
        mail.send("dan@client.example", List.of(BOB), message("Dan Client <dan@client.example>", BOB, "<dry-3@client.example>", "",
            "Chairs", "40 chairs."));
        assertThat(webAdmin.awaitDecision("<dry-3@client.example>").path("reason").asText()).isEqualTo("NEW_CONTACT_AND_DEAL");
        String next = message("Dan Client <dan@client.example>", BOB, "<dry-4@client.example>", "", "Delivery", "When?");

        JsonNode dryRun = webAdmin.dryRun("dan@client.example", List.of(BOB), next);
        mail.send("dan@client.example", List.of(BOB), next);
        JsonNode captured = webAdmin.awaitDecision("<dry-4@client.example>");

        assertThat(dryRun.path("reason").asText()).isEqualTo("ACTIVE_DEAL");
        assertThat(dryRun.path("bind").findValuesAsText("type")).contains("DEAL");
        assertThat(dryRun.path("create")).isEmpty();
        assertThat(captured.path("reason").asText()).isEqualTo("ACTIVE_DEAL");
        assertThat(captured.path("items")).isEqualTo(dryRun.path("bind"));
        assertThat(captured.path("responsibleId")).isEqualTo(dryRun.path("responsibleId"));
    }

    @Test
    void theDryRunRouteShouldAnswerJsonNoBrowserSniffsAndEchoNoRawInput() throws Exception {
        String hostile = message("<script>alert(1)</script> <mallory@client.example>", ALICE, "<dry-5@client.example>", "",
            "<img src=x onerror=alert(1)>" + "A".repeat(500), "Hi.");

        var answered = webAdmin.post("/crm/dry-run?sender=mallory%40client.example&recipient=alice%40company.example&lookups=false", hostile);
        var refused = webAdmin.post("/crm/dry-run?sender=%3Cscript%3E", hostile);

        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(answered.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(answered.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(answered.body()).doesNotContain("<").doesNotContain("A".repeat(201)).contains("\\u003Cimg");
        JsonNode dryRun = new ObjectMapper().readTree(answered.body());
        assertThat(dryRun.path("lookups").asBoolean()).isFalse();
        assertThat(dryRun.path("create").get(0).path("title").asText()).startsWith("<img src=x onerror=alert(1)>").endsWith("…");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(refused.body()).doesNotContain("<script>").contains("Invalid 'sender' query parameter");
        assertThat(webAdmin.decisions("<dry-5@client.example>")).isEmpty();
    }

    @Test
    void decisionsShouldBeFoundBySenderRecipientReasonAndPagedNewestFirstWithTheirExplanation() throws Exception {
        for (int i = 1; i <= 3; i++) {
            mail.send("zed@client.example", List.of(ALICE), message("zed@client.example", ALICE, "<search-" + i + "@client.example>", "",
                "Order " + i, "Item " + i));
            webAdmin.awaitDecision("<search-" + i + "@client.example>");
        }
        mail.send("zed@client.example", List.of(ALICE), message("zed@client.example", ALICE, "<search-4@client.example>",
            "Auto-Submitted: auto-replied\r\n", "Out of office", "Away."));
        webAdmin.awaitDecision("<search-4@client.example>");

        var page = webAdmin.raw("/crm/decisions?sender=zed%40client.example&limit=2&offset=1");
        JsonNode decisions = new ObjectMapper().readTree(page.body());

        assertThat(page.headers().firstValue("X-Total-Count")).contains("4");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(decisions.findValuesAsText("messageId")).containsExactly("<search-3@client.example>", "<search-2@client.example>");
        assertThat(decisions.get(0).path("explanation").asText()).isEqualTo("saved on the client's lead");
        JsonNode skipped = new ObjectMapper().readTree(webAdmin.raw("/crm/decisions?recipient=alice%40company.example&captured=false"
            + "&reason=AUTOMATED&from=2020-01-01").body());
        assertThat(skipped.findValuesAsText("messageId")).containsExactly("<search-4@client.example>");
        assertThat(skipped.get(0).path("explanation").asText()).startsWith("not saved: it is automated mail");
        assertThat(webAdmin.raw("/crm/decisions?reason=%3Cb%3E").body()).contains("Invalid 'reason' query parameter").doesNotContain("<b>");
    }

    @Test
    void theEffectiveSettingsOfAMailboxShouldMergeItsElementWithTheDefaults() throws Exception {
        var response = webAdmin.raw("/crm/settings?mailbox=bob%40company.example");
        JsonNode bob = new ObjectMapper().readTree(response.body());
        JsonNode alice = new ObjectMapper().readTree(webAdmin.raw("/crm/settings?mailbox=alice%40company.example").body());

        assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(bob.path("source").asText()).isEqualTo("mailbox");
        assertThat(bob.path("settings").path("leadless").asBoolean()).isTrue();
        assertThat(bob.path("settings").path("createLeadForIncoming").asBoolean()).as("from the defaults").isTrue();
        assertThat(bob.path("differsFromDefaults").toString()).isEqualTo("[\"leadless\"]");
        assertThat(alice.path("source").asText()).isEqualTo("defaults");
        assertThat(alice.path("global").path("captureAddress").asText()).isEqualTo("crm@company.example");
        assertThat(webAdmin.raw("/crm/settings?mailbox=%3Cb%3E").statusCode()).isEqualTo(400);
    }

    @Test
    void aRefusedSettingsChangeShouldShowOnTheStatusAndHealthWithoutAnyMail() throws Exception {
        java.nio.file.Path file = INSTALLATION.confFile("crm-capture.xml");
        String good = java.nio.file.Files.readString(file);
        try {
            java.nio.file.Files.writeString(file, good.replace("<integration>on</integration>", "<integration>maybe</integration>"));

            await().atMost(CAPTURE).untilAsserted(() -> assertThat(webAdmin.status().path("refusedSettingsChange").asText())
                .contains("key 'defaults.integration' has value 'maybe'"));
            assertThat(webAdmin.raw("/healthcheck/checks/CRM%20capture").body()).contains("\"status\":\"degraded\"")
                .contains("the last change of the capture settings was refused");
        } finally {
            java.nio.file.Files.writeString(file, good);
            java.nio.file.Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(java.time.Instant.now().plusSeconds(1)));
            await().atMost(CAPTURE).untilAsserted(() -> assertThat(webAdmin.status().path("refusedSettingsChange").isNull()).isTrue());
        }
    }
}

package org.jamescrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.apache.james.GuiceJamesServer;
import org.apache.james.JamesServerExtension;
import org.jamescrm.testing.TestMessages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;

/**
 * The product slice on a real James 3.8.1 server with the installed extension: client mail becomes a
 * lead with the mail attached, the employee's reply an outgoing activity on it, mail among employees
 * never reaches the CRM, and every message is delivered exactly as it was sent.
 */
class ClientMailCaptureEndToEndTest {
    static final String ALICE = "alice@company.example";
    static final String BOB = "bob@company.example";
    static final Duration CAPTURE = Duration.ofSeconds(30);

    @RegisterExtension
    static GreenMailExtension clientMailServer = new GreenMailExtension(ServerSetupTest.SMTP).withPerMethodLifecycle(false);

    @RegisterExtension
    static JamesServerExtension james = InstalledJames.withProductConfiguration().smarthost(ServerSetupTest.SMTP.getPort()).extension();

    static MailClient mail;
    static WebAdminClient webAdmin;

    @BeforeAll
    static void createMailboxes(GuiceJamesServer server) throws Exception {
        InstalledJames.Clients clients = InstalledJames.connect(server, ALICE, BOB);
        mail = clients.mail();
        webAdmin = clients.webAdmin();
    }

    @Test
    void clientMailShouldCreateLeadAssignedToRecipientWithTheMailAsIncomingActivity() throws Exception {
        String message = message("Carol Client <carol@client.example>", "Alice Adams <" + ALICE + ">",
            "<first-contact@client.example>", "", "Quote for 40 chairs", "Could you send us a quote?");

        mail.send("carol@client.example", List.of(ALICE), message);

        await().atMost(CAPTURE).untilAsserted(() -> assertThat(activities("<first-contact@client.example>")).hasSize(1));
        List<JsonNode> leads = webAdmin.memory("leads", lead -> lead.path("email").asText().equals("carol@client.example"));
        assertThat(leads).hasSize(1);
        JsonNode lead = leads.get(0);
        assertThat(lead.path("status").asText()).isEqualTo("OPEN");
        assertThat(lead.path("title").asText()).isEqualTo("Quote for 40 chairs");
        assertThat(lead.path("name").asText()).isEqualTo("Carol Client");
        assertThat(lead.path("responsibleId").asText()).isEqualTo(webAdmin.userId(ALICE));
        JsonNode activity = activities("<first-contact@client.example>").get(0);
        assertThat(activity.path("direction").asText()).isEqualTo("INCOMING");
        assertThat(activity.path("completed").asBoolean()).isFalse();
        assertThat(activity.path("responsibleId").asText()).isEqualTo(webAdmin.userId(ALICE));
        assertThat(activity.path("bindings").toString()).isEqualTo("[{\"type\":\"LEAD\",\"id\":\"" + lead.path("id").asText() + "\"}]");
    }

    @Test
    void clientMailShouldBeDeliveredUnchanged() throws Exception {
        String message = message("Dora Client <dora@client.example>", ALICE, "<unchanged@client.example>", "",
            "Delivery check", "Body line one\r\nBody line two");

        mail.send("dora@client.example", List.of(ALICE), message);

        await().atMost(CAPTURE).untilAsserted(() -> assertThat(mail.inbox(ALICE)).contains(message));
        assertThat(mail.inbox(ALICE)).doesNotContainIgnoringCase("X-CRM");
    }

    @Test
    void employeeReplyShouldBeACompletedOutgoingActivityOnTheSameLeadAndReachTheClientUnchanged() throws Exception {
        mail.send("erin@client.example", List.of(ALICE), message("Erin Client <erin@client.example>", ALICE,
            "<question@client.example>", "", "Opening hours", "When are you open?"));
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(activities("<question@client.example>")).hasSize(1));
        String reply = message("Alice Adams <" + ALICE + ">", "Erin Client <erin@client.example>", "<answer@company.example>",
            "Cc: Bob Brown <" + BOB + ">\r\nIn-Reply-To: <question@client.example>\r\nReferences: <question@client.example>\r\n",
            "Re: Opening hours", "From 9 to 5.");

        mail.send(ALICE, List.of("erin@client.example", BOB), reply);

        await().atMost(CAPTURE).untilAsserted(() -> assertThat(activities("<answer@company.example>")).hasSize(1));
        JsonNode lead = webAdmin.memory("leads", node -> node.path("email").asText().equals("erin@client.example")).get(0);
        assertThat(webAdmin.memory("leads", node -> node.path("email").asText().equals("erin@client.example"))).hasSize(1);
        JsonNode outgoing = activities("<answer@company.example>").get(0);
        assertThat(outgoing.path("direction").asText()).isEqualTo("OUTGOING");
        assertThat(outgoing.path("completed").asBoolean()).isTrue();
        assertThat(outgoing.path("bindings").toString()).isEqualTo("[{\"type\":\"LEAD\",\"id\":\"" + lead.path("id").asText() + "\"}]");
        assertThat(outgoing.path("responsibleId").asText()).isEqualTo(webAdmin.userId(ALICE));
        assertThat(activities("<question@client.example>").get(0).path("completed").asBoolean())
            .as("an incoming activity stays open when it is answered").isFalse();
        assertThat(webAdmin.memory("contacts", contact -> contact.path("email").asText().equals(BOB)))
            .as("a local recipient never becomes a contact").isEmpty();
        // James's own relay path moves MIME-Version on mail that also has remote recipients (it does so
        // without the extension too), so this copy is compared field by field and body byte for byte
        await().atMost(CAPTURE).untilAsserted(() -> assertSameFieldsAndBody(mail.inbox(BOB), reply));
        // the client's server gets the message as RemoteDelivery re-serializes it: same fields and body
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(clientMailServer.getReceivedMessages())
            .anySatisfy(received -> {
                assertThat(received.getMessageID()).isEqualTo("<answer@company.example>");
                assertThat(received.getHeader("In-Reply-To", null)).isEqualTo("<question@client.example>");
                assertThat(GreenMailUtil.getBody(received).strip()).isEqualTo("From 9 to 5.");
                assertThat(GreenMailUtil.getHeaders(received)).doesNotContainIgnoringCase("X-CRM");
            }));
    }

    @Test
    void mailBetweenEmployeesShouldNeverReachTheCrm() throws Exception {
        String message = message("Alice Adams <" + ALICE + ">", "Bob Brown <" + BOB + ">", "<lunch@company.example>", "",
            "Lunch?", "Shall we have lunch at noon?");
        int activitiesBefore = webAdmin.memory().path("activities").size();

        mail.send(ALICE, List.of(BOB), message);

        await().atMost(CAPTURE).untilAsserted(() -> assertThat(mail.inbox(BOB)).contains(message));
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(webAdmin.decisions("<lunch@company.example>")).hasSize(1));
        JsonNode decision = webAdmin.decisions("<lunch@company.example>").get(0);
        assertThat(decision.path("reason").asText()).isEqualTo("INTERNAL");
        assertThat(decision.path("captured").asBoolean()).isFalse();
        assertThat(decision.path("direction").asText()).isEqualTo("INTERNAL");
        assertThat(webAdmin.memory().path("activities").size()).isEqualTo(activitiesBefore);
        assertThat(webAdmin.memory("contacts", contact -> contact.path("email").asText().endsWith("@company.example"))).isEmpty();
        assertThat(webAdmin.memory("leads", lead -> lead.path("email").asText().endsWith("@company.example"))).isEmpty();
    }

    @Test
    void theExtensionShouldBeLoadedFromExtensionsJarsOnly() {
        assertThatThrownBy(() -> Class.forName("org.jamescrm.james.CaptureToCrm"))
            .isInstanceOf(ClassNotFoundException.class);
        assertThat(webAdmin.status().path("connector").asText()).isEqualTo("memory");
    }

    private static void assertSameFieldsAndBody(String delivered, String sent) {
        int endOfHeader = sent.indexOf("\r\n\r\n");
        for (String field : sent.substring(0, endOfHeader).split("\r\n")) {
            assertThat(delivered).contains("\r\n" + field + "\r\n");
        }
        assertThat(delivered).contains(sent.substring(endOfHeader));
        assertThat(delivered).doesNotContainIgnoringCase("X-CRM");
    }

    private static List<JsonNode> activities(String messageId) {
        return webAdmin.memory("activities", activity -> activity.path("messageId").asText().equals(messageId));
    }

    static String message(String from, String to, String messageId, String extraHeaders, String subject, String body) {
        return TestMessages.plain(from, to, messageId, extraHeaders, subject, body);
    }

    @Test
    void theCaptureRoutesShouldAnswerJsonNoBrowserSniffsAndEchoNoRawInput() {
        for (String path : List.of("/crm/status", "/crm/memory", "/crm/decisions", "/crm/decisions?messageId=%3Cx%40y%3E")) {
            java.net.http.HttpResponse<String> response = webAdmin.raw(path);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.headers().firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
            assertThat(response.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        }

        String hostile = "<script>alert(1)</script>" + "A".repeat(500);
        java.net.http.HttpResponse<String> refused = webAdmin.raw("/crm/decisions?limit="
            + java.net.URLEncoder.encode(hostile, java.nio.charset.StandardCharsets.UTF_8));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(refused.body()).doesNotContain("<script>").contains("\\\\u003cscript").doesNotContain("A".repeat(100))
            .contains("allowed values: a whole number of at least 1");
    }

    /** Every WebAdmin URL the README and the docs give a reader answers on the installed server. */
    @Test
    void everyWebAdminUrlOfTheDocumentationShouldAnswer() throws Exception {
        java.util.regex.Pattern documented = java.util.regex.Pattern.compile("http://127\\.0\\.0\\.1:8000(/[^'\"\\s)`]*)");
        List<String> paths = new java.util.ArrayList<>();
        for (String document : List.of("README.md", "docs/configuration.md", "docs/connectors.md", "docs/BENCHMARKS.md",
            "docs/operations.md")) {
            java.util.regex.Matcher url = documented.matcher(java.nio.file.Files.readString(java.nio.file.Path.of("..", document)));
            while (url.find()) {
                paths.add(url.group(1));
            }
        }

        assertThat(paths).isNotEmpty();
        for (String path : paths) {
            // a PATCH's path is read with GET: the route exists and the repository is found
            String get = path.replaceAll("\\?action=.*$", "").replace("<", "%3C").replace(">", "%3E").replace("@", "%40");
            if (get.startsWith("/crm/dry-run")) {
                // a dry-run is a POST of a message: the documented sample
                String sample = java.nio.file.Files.readString(java.nio.file.Path.of("../james-config/src/main/samples/client-mail.eml"));
                assertThat(webAdmin.post(get, sample).statusCode()).as(path).isEqualTo(200);
            } else {
                assertThat(webAdmin.raw(get).statusCode()).as(path).isEqualTo(200);
            }
        }
    }
}

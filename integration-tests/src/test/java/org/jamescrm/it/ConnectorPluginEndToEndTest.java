package org.jamescrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
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
import com.icegreen.greenmail.util.ServerSetupTest;

/**
 * A CRM added as a plug-in, with no change to the product: the recording CRM's jar ({@link RecordingCrmJar})
 * beside the product's in {@code extensions-jars/}, selected by {@code <connector>recording</connector>}
 * and configured by its own element. Client mail through a real James 3.8.1 is delivered, and the
 * connector is asked for what a CRM without leads gets: a contact, a deal and the e-mail activity.
 */
class ConnectorPluginEndToEndTest {
    static final String ALICE = "alice@company.example";
    static final Duration CAPTURE = Duration.ofSeconds(30);
    static final Path WRITES = RecordingCrmJar.writesOf(ConnectorPluginEndToEndTest.class);

    @RegisterExtension
    static GreenMailExtension clientMailServer = new GreenMailExtension(ServerSetupTest.SMTP).withPerMethodLifecycle(false);

    @RegisterExtension
    static JamesServerExtension james = InstalledJames.withProductConfiguration().smarthost(ServerSetupTest.SMTP.getPort())
        .recordingCrm(WRITES).extension();

    static MailClient mail;
    static WebAdminClient webAdmin;
    static final RecordedWrites RECORDED = new RecordedWrites(WRITES);

    @BeforeAll
    static void createMailboxes(GuiceJamesServer server) throws Exception {
        InstalledJames.Clients clients = InstalledJames.connect(server, ALICE);
        mail = clients.mail();
        webAdmin = clients.webAdmin();
    }

    @Test
    void clientMailShouldBeWrittenByThePluginAsContactDealAndIncomingActivity() throws Exception {
        mail.send("carol@client.example", List.of(ALICE), TestMessages.plain("Carol Client <carol@client.example>",
            "Alice Adams <" + ALICE + ">", "<chairs@client.example>", "", "Quote for 40 chairs", "Could you send us a quote?"));

        JsonNode activity = awaitActivity("<chairs@client.example>");
        String originKey = activity.path("originKey").asText();
        assertThat(RECORDED.kindsOf(originKey)).as("the writes of the capture, in order").containsExactly("contact", "deal", "activity");
        assertThat(RECORDED.of("contact", originKey)).singleElement().satisfies(contact -> {
            assertThat(contact.path("email").asText()).isEqualTo("carol@client.example");
            assertThat(contact.path("name").asText()).isEqualTo("Carol Client");
            assertThat(contact.path("responsibleId").asText()).isEqualTo("u-alice");
        });
        String contact = "CONTACT:" + RECORDED.of("contact", originKey).get(0).path("id").asText();
        assertThat(RECORDED.of("deal", originKey)).singleElement().satisfies(deal -> {
            assertThat(deal.path("title").asText()).isEqualTo("Quote for 40 chairs");
            assertThat(deal.path("contact").asText()).isEqualTo(contact);
            assertThat(deal.path("responsibleId").asText()).isEqualTo("u-alice");
            assertThat(deal.path("returnCustomer").asBoolean()).isFalse();
        });
        String deal = "DEAL:" + RECORDED.of("deal", originKey).get(0).path("id").asText();
        assertThat(activity.path("direction").asText()).isEqualTo("INCOMING");
        assertThat(activity.path("from").asText()).isEqualTo("carol@client.example");
        assertThat(activity.path("clients").toString()).isEqualTo("[\"carol@client.example\"]");
        assertThat(activity.path("bindings").toString()).isEqualTo("[\"" + contact + "\",\"" + deal + "\"]");
        assertThat(activity.path("responsibleId").asText()).isEqualTo("u-alice");
        assertThat(activity.path("completed").asBoolean()).isFalse();
    }

    @Test
    void decisionRecordShouldSayCapturedWithThePluginsActivity() throws Exception {
        mail.send("dora@client.example", List.of(ALICE), TestMessages.plain("Dora Client <dora@client.example>", ALICE,
            "<decided@client.example>", "", "Opening hours", "When are you open?"));

        JsonNode activity = awaitActivity("<decided@client.example>");
        JsonNode decision = webAdmin.awaitDecision("<decided@client.example>");
        assertThat(decision.path("captured").asBoolean()).isTrue();
        assertThat(decision.path("reason").asText()).isEqualTo("NEW_CONTACT_AND_DEAL");
        assertThat(decision.path("captureKey").asText()).isEqualTo(activity.path("originKey").asText());
        assertThat(decision.path("activityId").asText()).isEqualTo(activity.path("id").asText());
        assertThat(decision.path("responsibleId").asText()).isEqualTo("u-alice");
    }

    @Test
    void clientMailShouldBeDeliveredUnchanged() throws Exception {
        String message = TestMessages.plain("Erin Client <erin@client.example>", ALICE, "<delivered@client.example>", "",
            "Delivery check", "Body line one\r\nBody line two");

        mail.send("erin@client.example", List.of(ALICE), message);

        await().atMost(CAPTURE).untilAsserted(() -> assertThat(mail.inbox(ALICE)).contains(message));
        assertThat(mail.inbox(ALICE)).doesNotContainIgnoringCase("X-CRM");
        awaitActivity("<delivered@client.example>");
    }

    @Test
    void employeeReplyShouldBeAnOutgoingActivityOnTheDealThePluginFoundForItsThread() throws Exception {
        mail.send("finn@client.example", List.of(ALICE), TestMessages.plain("Finn Client <finn@client.example>", ALICE,
            "<question@client.example>", "", "Delivery dates", "When can you deliver?"));
        String bindings = awaitActivity("<question@client.example>").path("bindings").toString();

        mail.send(ALICE, List.of("finn@client.example"), TestMessages.plain("Alice Adams <" + ALICE + ">",
            "Finn Client <finn@client.example>", "<answer@company.example>",
            "In-Reply-To: <question@client.example>\r\nReferences: <question@client.example>\r\n", "Re: Delivery dates", "Next week."));

        JsonNode reply = awaitActivity("<answer@company.example>");
        assertThat(reply.path("direction").asText()).isEqualTo("OUTGOING");
        assertThat(reply.path("completed").asBoolean()).isTrue();
        assertThat(reply.path("bindings").toString()).isEqualTo(bindings);
        assertThat(webAdmin.awaitDecision("<answer@company.example>").path("reason").asText()).isEqualTo("THREAD");
        assertThat(RECORDED.kindsOf(reply.path("originKey").asText())).as("a reply in a known thread creates nothing")
            .containsExactly("activity");
    }

    @Test
    void statusShouldNameThePluginConnectorAndItsHealth() {
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(webAdmin.status().path("connectorReachable").asBoolean()).isTrue());
        assertThat(webAdmin.status().path("connector").asText()).isEqualTo("recording");
    }

    @Test
    void thePluginShouldBeLoadedFromExtensionsJarsOnly() {
        assertThatThrownBy(() -> Class.forName("org.jamescrm.it.plugin.RecordingCrmProvider"))
            .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("org.jamescrm.spi.CrmConnectorProvider"))
            .isInstanceOf(ClassNotFoundException.class);
    }

    private static JsonNode awaitActivity(String messageId) {
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(RECORDED.activities(messageId)).hasSize(1));
        return RECORDED.activities(messageId).get(0);
    }
}

package org.jamescrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.jamescrm.it.ClientMailCaptureEndToEndTest.message;

import java.time.Duration;
import java.util.List;

import org.apache.james.GuiceJamesServer;
import org.apache.james.JamesServerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * A representative set of capture rules on a real James 3.8.1 server, with capture settings a CRM
 * administrator wrote: repeat-sale mode with lead creation off, a filter, a group mailbox with round
 * robin, and the exclusions of spam and auto-replies. Every message is still delivered.
 */
class CaptureRulesEndToEndTest {
    static final String ALICE = "alice@company.example";
    static final String BOB = "bob@company.example";
    static final String SALES = "sales@company.example";
    static final String CRM = "crm@company.example";
    static final Duration CAPTURE = Duration.ofSeconds(30);
    static final String SETTINGS = """
        <crmcapture>
          <connector>memory</connector>
          <memory>
            <user email="alice@company.example" name="Alice Adams"/>
            <user email="bob@company.example" name="Bob Brown"/>
          </memory>
          <captureAddress>crm@company.example</captureAddress>
          <filter name="app-notifications" field="sender" pattern="^noreply@app\\.example$"/>
          <defaults>
            <createLeadForIncoming>false</createLeadForIncoming>
            <repeatSale>lead</repeatSale>
          </defaults>
          <mailbox address="sales@company.example" group="true">
            <createLeadForIncoming>true</createLeadForIncoming>
            <distribution>round-robin</distribution>
            <queue>alice@company.example, bob@company.example</queue>
          </mailbox>
        </crmcapture>
        """;

    /** The clients' mail server: outgoing mail goes there through the smarthost option, never to the network. */
    @RegisterExtension
    static GreenMailExtension clientMailServer = new GreenMailExtension(new ServerSetup(3026, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
        .withPerMethodLifecycle(false);

    @RegisterExtension
    static JamesServerExtension james = InstalledJames.withProductConfiguration().smarthost(3026).captureSettings(SETTINGS).extension();

    static MailClient mail;
    static WebAdminClient webAdmin;

    @BeforeAll
    static void createMailboxes(GuiceJamesServer server) throws Exception {
        InstalledJames.Clients clients = InstalledJames.connect(server, ALICE, BOB, SALES, CRM);
        mail = clients.mail();
        webAdmin = clients.webAdmin();
    }


    @Test
    void aLeadShouldBeCreatedForAKnownClientAlthoughLeadCreationIsOffInRepeatMode() throws Exception {
        mail.send(ALICE, List.of("frank@client.example"), message("Alice Adams <" + ALICE + ">", "Frank Client <frank@client.example>",
            "<offer@company.example>", "", "Our offer", "Here it is."));
        assertThat(webAdmin.awaitDecision("<offer@company.example>").path("reason").asText()).isEqualTo("NEW_CONTACT");

        mail.send("frank@client.example", List.of(ALICE), message("Frank Client <frank@client.example>", ALICE,
            "<new-order@client.example>", "", "Another order", "We need more."));

        JsonNode record = webAdmin.awaitDecision("<new-order@client.example>");
        assertThat(record.path("reason").asText()).isEqualTo("REPEAT_LEAD");
        assertThat(record.path("settings").path("createLeadForIncoming").asText()).isEqualTo("false");
        assertThat(webAdmin.memory("leads", lead -> lead.path("email").asText().equals("frank@client.example")))
            .singleElement().satisfies(lead -> {
                assertThat(lead.path("returnCustomer").asBoolean()).isTrue();
                assertThat(lead.path("responsibleId").asText()).isEqualTo(webAdmin.userId(ALICE));
            });
    }

    @Test
    void aManualSaveOfMailAmongEmployeesShouldBeRefusedWithAnAnswerAndTheCaptureAddressNeverDelivered() throws Exception {
        String memo = message("Alice Adams <" + ALICE + ">", "Bob Brown <" + BOB + ">", "<memo@company.example>", "", "Memo", "Internal.");

        mail.sendAuthenticated(ALICE, List.of(BOB, CRM), memo);

        await().atMost(CAPTURE).untilAsserted(() -> assertThat(mail.inbox(BOB)).contains(memo));
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(mail.inbox(ALICE)).contains("Subject: Not saved to the CRM: Memo")
            .contains("only client e-mails can be saved"));
        assertThat(webAdmin.awaitDecision("<memo@company.example>").path("reason").asText()).isEqualTo("INTERNAL");
        assertThat(mail.inbox(CRM)).doesNotContain("memo@company.example");
    }

    @Test
    void aForgedManualSaveFromOutsideShouldSaveNothingAndAnswerNobody() throws Exception {
        String forged = message("Alice Adams <" + ALICE + ">", CRM, "<forged@evil.example>", "", "Save me", "Credit this to Alice.");

        mail.send("attacker@evil.example", List.of(CRM), forged);

        JsonNode decision = webAdmin.awaitDecision("<forged@evil.example>");
        assertThat(decision.path("reason").asText()).isEqualTo("MANUAL_SAVE_UNAUTHENTICATED");
        assertThat(decision.path("captured").asBoolean()).isFalse();
        assertThat(decision.path("mailbox").isNull()).as("credited to nobody").isTrue();
        assertThat(webAdmin.memory().toString()).doesNotContain("attacker@evil.example").doesNotContain("Save me");
        assertThat(mail.inbox(ALICE)).as("no answer to the forged address").doesNotContain("Save me");
        assertThat(mail.inbox(CRM)).doesNotContain("forged@evil.example");
    }

    @Test
    void anUnknownClientShouldGetNoLeadWhenLeadCreationIsOff() throws Exception {
        mail.send("gina@client.example", List.of(ALICE), message("gina@client.example", ALICE, "<gina@client.example>", "", "Hi", "Hi."));

        assertThat(webAdmin.awaitDecision("<gina@client.example>").path("reason").asText()).isEqualTo("UNKNOWN_CLIENT_NO_CREATE");
        assertThat(webAdmin.memory("leads", lead -> lead.path("email").asText().equals("gina@client.example"))).isEmpty();
    }

    @Test
    void theGroupMailboxShouldHandNewClientsToItsQueueInTurn() throws Exception {
        mail.send("hank@client.example", List.of(SALES), message("hank@client.example", SALES, "<hank@client.example>", "", "Price?", "?"));
        assertThat(webAdmin.awaitDecision("<hank@client.example>").path("reason").asText()).isEqualTo("NEW_LEAD");
        mail.send("ivy@client.example", List.of(SALES), message("ivy@client.example", SALES, "<ivy@client.example>", "", "Price?", "?"));
        assertThat(webAdmin.awaitDecision("<ivy@client.example>").path("reason").asText()).isEqualTo("NEW_LEAD");

        String hanksResponsible = webAdmin.memory("leads", lead -> lead.path("email").asText().equals("hank@client.example")).get(0)
            .path("responsibleId").asText();
        String ivysResponsible = webAdmin.memory("leads", lead -> lead.path("email").asText().equals("ivy@client.example")).get(0)
            .path("responsibleId").asText();
        assertThat(List.of(hanksResponsible, ivysResponsible)).containsExactlyInAnyOrder(webAdmin.userId(ALICE), webAdmin.userId(BOB));
    }

    @Test
    void spamFilteredAndAutomatedMailShouldBeDeliveredButNotCaptured() throws Exception {
        String spam = message("spammer@client.example", SALES, "<spam@client.example>", "X-Spam-Flag: YES\r\n", "Win!", "Prize.");
        String notification = message("noreply@app.example", SALES, "<notify@app.example>", "", "Build failed", "Log.");
        String autoReply = message("jo@client.example", SALES, "<ooo@client.example>", "Auto-Submitted: auto-replied\r\n",
            "Out of office", "Back Monday.");

        mail.send("spammer@client.example", List.of(SALES), spam);
        mail.send("noreply@app.example", List.of(SALES), notification);
        mail.send("jo@client.example", List.of(SALES), autoReply);

        assertThat(webAdmin.awaitDecision("<spam@client.example>").path("reason").asText()).isEqualTo("SPAM");
        assertThat(webAdmin.awaitDecision("<notify@app.example>").path("reason").asText()).isEqualTo("FILTERED:app-notifications");
        assertThat(webAdmin.awaitDecision("<ooo@client.example>").path("reason").asText()).isEqualTo("AUTOMATED");
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(mail.inbox(SALES)).contains(spam).contains(notification).contains(autoReply));
        assertThat(webAdmin.memory("leads", lead -> List.of("spammer@client.example", "noreply@app.example", "jo@client.example")
            .contains(lead.path("email").asText()))).isEmpty();
    }
}

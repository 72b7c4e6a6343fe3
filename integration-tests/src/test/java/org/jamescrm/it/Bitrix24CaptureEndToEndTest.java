package org.jamescrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.jamescrm.it.CaptureScenario.ALICE;
import static org.jamescrm.it.CaptureScenario.BOB;
import static org.jamescrm.it.CaptureScenario.CAPTURE;
import static org.jamescrm.it.ClientMailCaptureEndToEndTest.message;

import java.util.List;
import java.util.Map;

import org.apache.james.GuiceJamesServer;
import org.apache.james.JamesServerExtension;
import org.jamescrm.emulator.bitrix24.Bitrix24Emulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * The capture rules end to end on Bitrix24: a real James 3.8.1 server with the product installed
 * and {@code <connector>bitrix24</connector>}, talking over HTTP to the strict Bitrix24 emulator
 * with the portal's default limits. Every message is delivered whatever the portal does.
 */
class Bitrix24CaptureEndToEndTest {
    static final String ORIGINATOR = "james-crm-capture";

    /** Started before James, whose settings name its URL. */
    static final Bitrix24Emulator PORTAL = Bitrix24Emulator.builder().start();

    @RegisterExtension
    static GreenMailExtension clientMailServer = new GreenMailExtension(new ServerSetup(3027, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
        .withPerMethodLifecycle(false);

    @RegisterExtension
    static JamesServerExtension james = InstalledJames.withProductConfiguration().smarthost(3027)
        .bitrix24(PORTAL.portalUrl(), PORTAL.webhookUserId(), PORTAL.webhookCode()).extension();

    static CaptureScenario scenario;
    static MailClient mail;
    static WebAdminClient webAdmin;
    static long alice;

    @BeforeAll
    static void createMailboxes(GuiceJamesServer server) throws Exception {
        alice = PORTAL.addUser(Map.of("NAME", "Alice", "LAST_NAME", "Adams", "EMAIL", ALICE, "ACTIVE", "Y"));
        PORTAL.addUser(Map.of("NAME", "Bob", "LAST_NAME", "Brown", "EMAIL", BOB, "ACTIVE", "Y"));
        scenario = CaptureScenario.connect(server);
        mail = scenario.mail();
        webAdmin = scenario.webAdmin();
    }

    @AfterEach
    void noOutgoingMailWasSentAgainByThePortal() {
        assertThat(PORTAL.resentOutgoingEmails()).isEmpty();
    }

    @AfterAll
    static void stopPortal() {
        PORTAL.close();
    }

    @Test
    void aNewClientsMailShouldBecomeALeadWithAnOpenIncomingActivity() throws Exception {
        String message = message("Carol Client <carol@client.example>", ALICE, "<quote@client.example>", "", "Quote", "40 chairs?");

        mail.send("carol@client.example", List.of(ALICE), message);

        assertThat(webAdmin.awaitDecision("<quote@client.example>").path("reason").asText()).isEqualTo("NEW_LEAD");
        Map<String, Object> lead = PORTAL.leads().stream().filter(row -> "<quote@client.example>".equals(row.get("ORIGIN_ID")))
            .findFirst().orElseThrow();
        assertThat(lead).containsEntry("ORIGINATOR_ID", ORIGINATOR);
        assertThat(String.valueOf(lead.get("ASSIGNED_BY_ID"))).isEqualTo(String.valueOf(alice));
        assertThat(PORTAL.activitiesWithOrigin("<quote@client.example>")).singleElement().satisfies(activity -> {
            assertThat(String.valueOf(activity.get("OWNER_TYPE_ID"))).isEqualTo("1");
            assertThat(String.valueOf(activity.get("OWNER_ID"))).isEqualTo(String.valueOf(lead.get("ID")));
            assertThat(String.valueOf(activity.get("DIRECTION"))).isEqualTo("1");
            assertThat(activity.get("COMPLETED")).isEqualTo("N");
        });
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(mail.inbox(ALICE)).contains("40 chairs?"));
    }

    @Test
    void anEmployeesReplyShouldJoinTheThreadCompletedAndNeverBeSentAgain() throws Exception {
        mail.send("dave@client.example", List.of(ALICE), message("Dave Client <dave@client.example>", ALICE, "<ask@client.example>", "",
            "Delivery", "When?"));
        assertThat(webAdmin.awaitDecision("<ask@client.example>").path("reason").asText()).isEqualTo("NEW_LEAD");

        mail.send(ALICE, List.of("dave@client.example"), message("Alice Adams <" + ALICE + ">", "dave@client.example",
            "<answer@company.example>", "In-Reply-To: <ask@client.example>\r\n", "Re: Delivery", "Tomorrow."));

        assertThat(webAdmin.awaitDecision("<answer@company.example>").path("captured").asBoolean()).isTrue();
        Object leadId = PORTAL.activitiesWithOrigin("<ask@client.example>").get(0).get("OWNER_ID");
        assertThat(PORTAL.activitiesWithOrigin("<answer@company.example>")).singleElement().satisfies(activity -> {
            assertThat(String.valueOf(activity.get("DIRECTION"))).isEqualTo("2");
            assertThat(activity.get("COMPLETED")).as("completed by an update after its creation").isEqualTo("Y");
            assertThat(String.valueOf(activity.get("OWNER_ID"))).isEqualTo(String.valueOf(leadId));
        });
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(clientMailServer.getReceivedMessages()).isNotEmpty());
    }

    @Test
    void aKnownClientsMailShouldJoinTheDealInProgress() throws Exception {
        long contact = PORTAL.addContact(Map.of("NAME", "Erin", "ASSIGNED_BY_ID", alice,
            "EMAIL", List.of(Map.of("VALUE", "erin@client.example", "VALUE_TYPE", "WORK"))));
        long deal = PORTAL.addDeal(Map.of("TITLE", "Tables", "CONTACT_ID", contact, "ASSIGNED_BY_ID", alice, "STAGE_ID", "NEW"));

        mail.send("erin@client.example", List.of(ALICE), message("erin@client.example", ALICE, "<erin@client.example>", "", "Tables",
            "Any news?"));

        assertThat(webAdmin.awaitDecision("<erin@client.example>").path("captured").asBoolean()).isTrue();
        assertThat(PORTAL.activitiesWithOrigin("<erin@client.example>")).singleElement().satisfies(activity -> {
            assertThat(String.valueOf(activity.get("OWNER_TYPE_ID"))).isEqualTo("2");
            assertThat(String.valueOf(activity.get("OWNER_ID"))).isEqualTo(String.valueOf(deal));
        });
        assertThat(PORTAL.leads()).noneMatch(lead -> "<erin@client.example>".equals(lead.get("ORIGIN_ID")));
    }

    @Test
    void mailAmongEmployeesAndAutoRepliesShouldNotReachThePortal() throws Exception {
        scenario.colleagueAndAutoReplyWrite();

        assertThat(PORTAL.activitiesWithOrigin("<lunch@company.example>")).isEmpty();
        assertThat(PORTAL.activitiesWithOrigin("<ooo@client.example>")).isEmpty();
        assertThat(PORTAL.leads()).noneMatch(lead -> "<ooo@client.example>".equals(lead.get("ORIGIN_ID")));
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(mail.inbox(BOB)).contains("12:30?"));
    }

    @Test
    void aPortalRefusingForAWhileShouldGetTheMailOnceWhenItRecovers() throws Exception {
        long failedBefore = PORTAL.requests().stream().filter(request -> request.status() == 503).count();
        PORTAL.faultNext(1, Bitrix24Emulator.Fault.status(503)); // the capture queue retries after 5 seconds

        mail.send("gina@client.example", List.of(ALICE), message("gina@client.example", ALICE, "<gina@client.example>", "", "Hello",
            "Hi."));

        await().atMost(CAPTURE).untilAsserted(() -> assertThat(mail.inbox(ALICE)).contains("<gina@client.example>"));
        assertThat(webAdmin.awaitDecision("<gina@client.example>").path("reason").asText()).isEqualTo("NEW_LEAD");
        assertThat(PORTAL.activitiesWithOrigin("<gina@client.example>")).hasSize(1);
        assertThat(PORTAL.leads().stream().filter(lead -> "<gina@client.example>".equals(lead.get("ORIGIN_ID")))).hasSize(1);
        assertThat(PORTAL.requests().stream().filter(request -> request.status() == 503).count()).isEqualTo(failedBefore + 1);
    }

    @Test
    void theSameMailDeliveredTwiceShouldBeCapturedOnce() throws Exception {
        String message = message("hank@client.example", ALICE, "<twice@client.example>", "", "Twice", "Sent twice.");

        mail.send("hank@client.example", List.of(ALICE), message);
        assertThat(webAdmin.awaitDecision("<twice@client.example>").path("captured").asBoolean()).isTrue();
        mail.send("hank@client.example", List.of(ALICE), message);

        await().atMost(CAPTURE).untilAsserted(() -> assertThat(webAdmin.decisions("<twice@client.example>")).hasSize(2));
        assertThat(webAdmin.decisions("<twice@client.example>")).extracting(record -> record.path("reason").asText())
            .contains("DUPLICATE");
        assertThat(PORTAL.activitiesWithOrigin("<twice@client.example>")).hasSize(1);
    }

    @Test
    void theStatusRouteShouldShowThePortalReachable() {
        scenario.awaitConnectorReachable("bitrix24");
    }
}

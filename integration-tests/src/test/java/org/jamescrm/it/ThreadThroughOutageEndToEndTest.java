package org.jamescrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jamescrm.it.ClientMailCaptureEndToEndTest.message;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.james.GuiceJamesServer;
import org.apache.james.JamesServerExtension;
import org.jamescrm.emulator.bitrix24.Bitrix24Emulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The outside acceptance run's thread through an outage (issue 16, capture-rules §4.1, §4.3), on a real
 * James 3.8.1 with a Bitrix24 portal in repeat-sale mode: the portal is down for 12 seconds, a client's
 * first mail arrives, and Alice's reply to it 9 seconds later. The retry schedule (4 s, then 20 s) brings
 * the reply back (at about 13 s) before the first mail (at about 24 s), once the portal is up again: the
 * reply must wait for it. Then the first mail makes the lead and the reply joins it: never a contact
 * made by the reply and a repeat lead for the first mail.
 */
class ThreadThroughOutageEndToEndTest {
    static final String ALICE = "alice@company.example";
    static final String CLIENT = "olga@client.example";
    static final Bitrix24Emulator PORTAL = Bitrix24Emulator.builder().start();

    @RegisterExtension
    static JamesServerExtension james = InstalledJames.withProductConfiguration()
        .edit("mailetcontainer.xml", xml -> xml
            .replace("<retryDelays>5 seconds, 30 seconds, 2 minutes, 10 minutes, 1 hour</retryDelays>", "<retryDelays>4 seconds, 20 seconds</retryDelays>")
            // no breaker in the way: the order of the retries is what this test is about
            .replace("<roundWait>3 seconds</roundWait>", "<roundWait>3 seconds</roundWait>\n<breakerFailures>100</breakerFailures>"))
        .captureSettings("""
            <crmcapture>
              <connector>bitrix24</connector>
              <bitrix24>
                <portal>%s</portal>
                <webhook user="%d" code="%s"/>
              </bitrix24>
              <defaults>
                <repeatSale>lead</repeatSale>
              </defaults>
            </crmcapture>
            """.formatted(PORTAL.portalUrl(), PORTAL.webhookUserId(), PORTAL.webhookCode())).extension();

    static MailClient mail;
    static WebAdminClient webAdmin;

    @BeforeAll
    static void createMailboxes(GuiceJamesServer server) throws Exception {
        PORTAL.addUser(Map.of("NAME", "Alice", "LAST_NAME", "Adams", "EMAIL", ALICE, "ACTIVE", "Y"));
        InstalledJames.Clients clients = InstalledJames.connect(server, ALICE);
        mail = clients.mail();
        webAdmin = clients.webAdmin();
    }

    @AfterAll
    static void stopPortal() {
        PORTAL.close();
    }

    @Test
    void aFirstMailAndItsReplyThroughAnOutageShouldMakeOneLeadWithBothMails() throws Exception {
        PORTAL.faults().everyMatching(request -> true, Bitrix24Emulator.Fault.status(503).kitFault());
        long downSince = System.nanoTime();

        mail.send(CLIENT, List.of(ALICE), message("Olga Client <" + CLIENT + ">", ALICE, "<first@client.example>", "",
            "Twenty desks", "Price?"));
        Thread.sleep(9_000);
        mail.sendAuthenticated(ALICE, List.of(CLIENT), message("Alice Adams <" + ALICE + ">", CLIENT, "<reply@company.example>",
            "In-Reply-To: <first@client.example>\r\nReferences: <first@client.example>\r\n", "Re: Twenty desks", "Here it is."));
        Thread.sleep(Math.max(0, Duration.ofSeconds(12).toMillis() - (System.nanoTime() - downSince) / 1_000_000));
        PORTAL.faults().clear();

        assertThat(webAdmin.awaitDecision("<first@client.example>").path("reason").asText()).isEqualTo("NEW_LEAD");
        assertThat(webAdmin.awaitDecision("<reply@company.example>").path("reason").asText()).isEqualTo("THREAD");
        List<Map<String, Object>> leads = PORTAL.leadsWithOrigin("<first@client.example>");
        assertThat(leads).singleElement().satisfies(lead -> assertThat(String.valueOf(lead.get("IS_RETURN_CUSTOMER"))).isNotEqualTo("Y"));
        assertThat(PORTAL.leads()).as("one lead in all").hasSize(1);
        assertThat(PORTAL.contacts()).as("no contact made by the reply").isEmpty();
        assertThat(PORTAL.activitiesWithOrigin("<first@client.example>")).hasSize(1);
        assertThat(PORTAL.activitiesWithOrigin("<reply@company.example>")).hasSize(1);
    }
}

package org.jamescrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.apache.james.GuiceJamesServer;
import org.apache.james.JamesServerExtension;
import org.jamescrm.testing.MimeCorpus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * The shared corpus of real and broken MIME sent out by an employee (SMTP AUTH) to clients through a
 * real James 3.8.1 with the installed extension and a smarthost: each message gets a capture decision,
 * none is parked, no capture waits, and every message either reaches the clients' mail server or is in
 * James's error repository, where James puts those it cannot relay with or without the extension.
 */
class OutgoingMimeCorpusEndToEndTest {
    static final String ALICE = "alice@company.example";

    @RegisterExtension
    static GreenMailExtension clientMailServer = new GreenMailExtension(new ServerSetup(3044, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
        .withPerMethodLifecycle(false);

    @RegisterExtension
    static JamesServerExtension james = InstalledJames.withProductConfiguration().smarthost(3044).extension();

    static MailClient mail;
    static WebAdminClient webAdmin;

    @BeforeAll
    static void createMailbox(GuiceJamesServer server) throws Exception {
        InstalledJames.Clients clients = InstalledJames.connect(server, ALICE);
        mail = clients.mail();
        webAdmin = clients.webAdmin();
    }

    @Test
    void everyCorpusMessageSentToAClientShouldBeDecidedWithNothingParkedOrLost() throws Exception {
        List<Path> corpus = MimeCorpus.messages().toList();
        int n = 0;
        for (Path message : corpus) {
            n++;
            mail.sendAuthenticated(ALICE, List.of("client" + n + "@client" + n + ".example"), MailClient.asSent(message));
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(webAdmin.decisionCount("")).isEqualTo(corpus.size()));
        // James itself cannot relay some of the broken ones: its RemoveMimeHeader rewrites them and RemoteDelivery's
        // copy of a message with a broken Content-Type fails, so they go to its error repository (13 of the 80 here,
        // the same without the extension); every message is in one place or the other, none lost
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
            assertThat(clientMailServer.getReceivedMessages().length + webAdmin.jamesErrors()).isEqualTo(corpus.size()));
        assertThat(webAdmin.decisionCount("reason=PARKED&")).as("decisions parked").isZero();
        assertThat(webAdmin.parked()).as("the capture error repository").isEmpty();
        assertThat(webAdmin.capturesWaiting()).as("captures waiting").isZero();
    }
}

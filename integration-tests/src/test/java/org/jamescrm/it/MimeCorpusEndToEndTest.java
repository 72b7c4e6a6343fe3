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

/**
 * Every message of the shared corpus of real and broken MIME (bad boundaries, broken encodings, 8-bit
 * headers, deep nesting) sent over SMTP to a real James 3.8.1 with the installed extension, as a
 * client's mail to an employee: each is delivered, each gets a capture decision, none is parked and
 * nothing lands in James's error repository. The extension runs on James's own mime4j here, as it does
 * when installed.
 */
class MimeCorpusEndToEndTest {
    static final String ALICE = "alice@company.example";

    @RegisterExtension
    static JamesServerExtension james = InstalledJames.withProductConfiguration().extension();

    static MailClient mail;
    static WebAdminClient webAdmin;

    @BeforeAll
    static void createMailbox(GuiceJamesServer server) throws Exception {
        InstalledJames.Clients clients = InstalledJames.connect(server, ALICE);
        mail = clients.mail();
        webAdmin = clients.webAdmin();
    }

    @Test
    void everyCorpusMessageShouldBeDeliveredAndDecidedWithNothingParkedOrInError() throws Exception {
        List<Path> corpus = MimeCorpus.messages().toList();
        int n = 0;
        for (Path message : corpus) {
            n++;
            mail.send("sender" + n + "@client" + n + ".example", List.of(ALICE), MailClient.asSent(message));
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(mail.inboxSize(ALICE)).isEqualTo(corpus.size()));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(webAdmin.decisionCount("")).isEqualTo(corpus.size()));
        assertThat(webAdmin.decisionCount("reason=PARKED&")).as("decisions parked").isZero();
        assertThat(webAdmin.parked()).as("the capture error repository").isEmpty();
        assertThat(webAdmin.jamesErrors()).as("mails in James's error repository").isZero();
        assertThat(webAdmin.capturesWaiting()).as("captures waiting").isZero();
    }
}

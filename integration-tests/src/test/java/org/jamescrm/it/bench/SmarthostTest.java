package org.jamescrm.it.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Writer;

import org.apache.commons.net.smtp.SMTPClient;
import org.apache.commons.net.smtp.SMTPReply;
import org.junit.jupiter.api.Test;

/**
 * The backlog benchmark's smarthost speaks SMTP as a relay does: it announces 8BITMIME (so that
 * James sends large mails as they are), accepts a mail whatever its size and dot-stuffed lines, and
 * counts each mail once its DATA ends.
 */
class SmarthostTest {

    @Test
    void itShouldAnnounce8BitMimeAndCountEachMailItAccepts() throws Exception {
        try (Smarthost smarthost = Smarthost.start()) {
            SMTPClient smtp = new SMTPClient();
            smtp.connect("127.0.0.1", smarthost.port());
            assertThat(smtp.sendCommand("EHLO", "james.company.example")).isEqualTo(250);
            assertThat(smtp.getReplyString()).contains("8BITMIME");

            for (int mail = 0; mail < 2; mail++) {
                assertThat(smtp.setSender("alice@company.example")).isTrue();
                assertThat(smtp.addRecipient("carol@client.example")).isTrue();
                try (Writer data = smtp.sendMessageData()) {
                    data.write("From: alice@company.example\r\nSubject: large\r\n\r\n");
                    data.write("..a line the client dot-stuffed\r\n");
                    data.write(("x".repeat(998) + "\r\n").repeat(3_000)); // 3 MB
                }
                assertThat(smtp.completePendingCommand()).isTrue();
                assertThat(SMTPReply.isPositiveCompletion(smtp.getReplyCode())).isTrue();
                assertThat(smarthost.received()).isEqualTo(mail + 1);
            }
            smtp.logout();
            smtp.disconnect();
        }
    }
}

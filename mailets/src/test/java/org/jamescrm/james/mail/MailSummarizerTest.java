package org.jamescrm.james.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.jamescrm.mime.MessageParser;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.model.MailParty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The author the mail pipeline classifies is the sender the capture queue's parser stores. */
class MailSummarizerTest {
    private final MailSummarizer summarizer = new MailSummarizer();

    @ParameterizedTest
    @ValueSource(strings = {
        "=?UTF-8?Q?Smith,_John?= <john@client.example>",
        "\"Smith, John\" <john@client.example>",
        "john@client.example (John Smith)",
        "Clients: john@client.example, ann@client.example;",
        "not an address, John <john@client.example>"})
    void theAuthorShouldBeTheFromTheCaptureStores(String from) throws Exception {
        String message = "From: " + from + "\r\nTo: alice@company.example\r\nSubject: offer\r\nMessage-ID: <1@client.example>\r\n\r\nhi\r\n";

        EmailAddress author = summarizer.summarize(mail(message)).author().orElseThrow();

        assertThat(author).isEqualTo(EmailAddress.of("john@client.example"));
        assertThat(new MessageParser().parse(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8))).from().map(MailParty::address))
            .contains(author);
    }

    @Test
    void aFromWithoutAnAddressShouldLeaveTheEnvelopeSenderAsTheAuthor() throws Exception {
        EmailAddress author = summarizer.summarize(mail("From: Mailer Daemon\r\nTo: alice@company.example\r\n\r\nhi\r\n")).author().orElseThrow();

        assertThat(author).isEqualTo(EmailAddress.of("bounce-7@esp.example"));
    }

    @Test
    void theCaptureKeyOfAMessageIdLongerThanACrmKeyFieldShouldBeTheParsersToo() throws Exception {
        String message = "From: carol@client.example\r\nTo: alice@company.example\r\nMessage-ID: <" + "a".repeat(300) + "@client.example>\r\n\r\nhi\r\n";

        String key = summarizer.captureKey(mail(message));

        assertThat(key).hasSizeLessThanOrEqualTo(255)
            .isEqualTo(new MessageParser().parse(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8))).captureKey());
        assertThat(summarizer.messageId(mail(message))).contains(key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTF-8", "ISO-8859-1"})
    void theCaptureKeyOfAMailWithoutMessageIdAndWithRawEightBitFieldsShouldBeTheParsersToo(String sentAs) throws Exception {
        byte[] message = ("From: Jörg Müller <j@client.example>\r\nTo: alice@company.example\r\nSubject: Grüße aus Köln €\r\n"
            + "Date: Sat, 5 Dec 2026 10:00:00 +0100\r\n\r\nhi\r\n").getBytes(java.nio.charset.Charset.forName(sentAs));
        Mail mail = FakeMail.builder().name("m").sender(new MailAddress("j@client.example")).recipient(new MailAddress("alice@company.example"))
            .mimeMessage(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(message))).build();

        assertThat(summarizer.captureKey(mail)).isEqualTo(new MessageParser().parse(new ByteArrayInputStream(message)).captureKey());
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTF-8", "ISO-8859-1"})
    void rawEightBitSubjectsShouldReadAsWrittenForTheRules(String sentAs) throws Exception {
        String subject = sentAs.equals("UTF-8") ? "Автоответ: предложение" : "Grüße aus Köln";
        byte[] message = ("From: carol@client.example\r\nTo: alice@company.example\r\nSubject: " + subject + "\r\n\r\nhi\r\n")
            .getBytes(java.nio.charset.Charset.forName(sentAs));
        Mail mail = FakeMail.builder().name("m").sender(new MailAddress("carol@client.example")).recipient(new MailAddress("alice@company.example"))
            .mimeMessage(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(message))).build();

        assertThat(summarizer.summarize(mail).headers().first("Subject")).contains(subject);
    }

    private static Mail mail(String message) throws Exception {
        return FakeMail.builder().name("m").sender(new MailAddress("bounce-7@esp.example")).recipient(new MailAddress("alice@company.example"))
            .mimeMessage(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8))))
            .build();
    }
}

package org.jamescrm.james;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Properties;
import java.util.Random;
import java.util.stream.LongStream;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.jamescrm.james.queue.CaptureOutcome;
import org.jamescrm.mime.GeneratedMimeTest;
import org.jamescrm.settings.CaptureSettings;
import org.jamescrm.settings.SettingsParser;
import org.jamescrm.spi.ConnectorProviders;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Generated messages (random multipart structure, header encodings, charsets, sizes, damage; the
 * parser's property generator, seeded so a failure replays) through the capture mailet and the capture
 * queue: no exception reaches the mail pipeline, the delivered bytes are unchanged, every mail gets
 * exactly one decision, and no capture is parked.
 */
class GeneratedMimeThroughCaptureTest {
    static final CaptureSettings SETTINGS = new SettingsParser(ConnectorProviders.load()).parse(new ByteArrayInputStream(
        "<crmcapture/>".getBytes(StandardCharsets.UTF_8)), "test.xml");

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 300);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aGeneratedMessageShouldBeDeliveredUnchangedAndDecidedOnce(long seed) throws Exception {
        byte[] raw = GeneratedMimeTest.generate(new Random(seed));
        Mail mail = FakeMail.builder().name("generated-" + seed).state(Mail.DEFAULT)
            .sender(new MailAddress("client@client.example")).recipient(new MailAddress("alice@company.example"))
            .mimeMessage(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw))).build();
        byte[] before = bytes(mail);

        try (CapturePipeline pipeline = new CapturePipeline(SETTINGS, Clock.systemUTC())) {
            assertThatCode(() -> pipeline.mailet.service(mail)).doesNotThrowAnyException();

            assertThat(bytes(mail)).as("delivered unchanged").isEqualTo(before);
            assertThat(mail.getState()).isEqualTo(Mail.DEFAULT);
            assertThat(mail.getRecipients()).containsExactly(new MailAddress("alice@company.example"));
            assertThat(pipeline.captureQueued()).allSatisfy(outcome -> assertThat(outcome).isInstanceOf(CaptureOutcome.Decided.class));
            assertThat(pipeline.decisions.recent(10)).as("one decision for the mail, captured or not").hasSize(1);
            verify(pipeline.errorRepository, never()).store(any());
        }
    }

    private static byte[] bytes(Mail mail) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        mail.getMessage().writeTo(out);
        return out.toByteArray();
    }
}

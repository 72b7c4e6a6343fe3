package org.jamescrm.james;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Properties;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.jamescrm.decisions.DecisionRecord;
import org.jamescrm.james.mail.MailSummarizer;
import org.jamescrm.james.queue.CaptureAttributes;
import org.jamescrm.james.queue.CaptureOutcome;
import org.jamescrm.model.AttachmentInfo;
import org.jamescrm.settings.CaptureSettings;
import org.jamescrm.settings.SettingsParser;
import org.jamescrm.spi.ConnectorProviders;
import org.junit.jupiter.api.Test;

/**
 * A large mail waits in the capture queue as a copy without the attachments the capture will not
 * store: the queue holds kilobytes, not the mail, and the CRM gets what it would have got from the
 * whole mail.
 */
class LargeMailCaptureTest {
    private static final int MB = 1024 * 1024;
    private static final Clock CLOCK = Clock.systemUTC();

    private static CaptureSettings settings(String defaults) {
        return new SettingsParser(ConnectorProviders.load()).parse(new ByteArrayInputStream(
            ("<crmcapture><defaults>" + defaults + "</defaults></crmcapture>").getBytes(StandardCharsets.UTF_8)), "test.xml");
    }

    @Test
    void anAttachmentOverTheLimitShouldBeLeftOutOfTheQueuedCopyAndListedInTheCrm() throws Exception {
        Mail mail = mail("<big@client.example>", 3 * MB, 500_000);
        byte[] delivered = bytes(mail);

        try (CapturePipeline pipeline = new CapturePipeline(settings("<attachmentLimit>1MB</attachmentLimit>"), CLOCK)) {
            pipeline.mailet.service(mail);

            assertThat(pipeline.queued).singleElement().satisfies(queued -> {
                assertThat(queued.getMessage().getSize()).as("the queued copy's size: the small attachment and kilobytes")
                    .isBetween(500_000, 504_000);
                assertThat(CaptureAttributes.copyOf(queued)).contains("<big@client.example>");
                assertThat(queued.getRecipients()).containsExactly(new MailAddress("alice@company.example"));
            });
            assertThat(bytes(mail)).as("the mail delivered unchanged").isEqualTo(delivered);
            assertThat(CaptureAttributes.copyOf(mail)).as("the mail carries no capture attribute on").isEmpty();
            assertThat(pipeline.captureQueued()).singleElement().isInstanceOf(CaptureOutcome.Decided.class);
            assertThat(pipeline.crm.activities()).singleElement().satisfies(activity -> {
                assertThat(activity.email().textBody()).isEqualTo("The plans, attached.");
                assertThat(activity.email().attachments()).extracting(AttachmentInfo::fileName, AttachmentInfo::size, AttachmentInfo::hasContent)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("plans.pdf", 3L * MB, false),
                        org.assertj.core.groups.Tuple.tuple("small.pdf", 500_000L, true));
            });
        }
    }

    @Test
    void aMailWithoutMessageIdShouldKeepItsCaptureKeyThroughTheCopy() throws Exception {
        Mail mail = mail(null, 3 * MB, 1000);
        String key = new MailSummarizer().captureKey(mail);

        try (CapturePipeline pipeline = new CapturePipeline(settings("<attachmentLimit>1MB</attachmentLimit>"), CLOCK)) {
            pipeline.mailet.service(mail);
            assertThat(pipeline.queued).singleElement().satisfies(queued -> assertThat(CaptureAttributes.copyOf(queued)).contains(key));
            pipeline.captureQueued();

            assertThat(pipeline.decisions.recent(1)).extracting(DecisionRecord::captureKey).containsExactly(key);
        }
    }

    @Test
    void aMailboxThatKeepsNoAttachmentShouldQueueALargeMailWithoutAny() throws Exception {
        try (CapturePipeline pipeline = new CapturePipeline(settings("<body>text</body>"), CLOCK)) {
            pipeline.mailet.service(mail("<text@client.example>", 2 * MB, 100_000));

            assertThat(pipeline.queued).singleElement().satisfies(queued -> assertThat(queued.getMessage().getSize()).isLessThan(4000));
            pipeline.captureQueued();
            assertThat(pipeline.crm.activities()).singleElement().satisfies(activity -> assertThat(activity.email().attachments())
                .extracting(AttachmentInfo::size).containsExactly(2L * MB, 100_000L));
        }
    }

    @Test
    void aLargeMailWhoseAttachmentsAreAllStoredShouldBeQueuedWhole() throws Exception {
        Mail mail = mail("<kept@client.example>", 2 * MB, 1000);

        try (CapturePipeline pipeline = new CapturePipeline(settings("<attachmentLimit>24MB</attachmentLimit>"), CLOCK)) {
            pipeline.mailet.service(mail);

            assertThat(pipeline.queued).singleElement().satisfies(queued -> {
                assertThat(CaptureAttributes.copyOf(queued)).isEmpty();
                assertThat(queued.getMessage().getSize()).isEqualTo(mail.getMessage().getSize());
            });
        }
    }

    @Test
    void copyingALargeMailShouldNotHoldItAgainInTheHeap() throws Exception {
        Mail warm = mail("<warm@client.example>", 2 * MB, 1000);
        Mail mail = mail("<huge@client.example>", 40 * MB, 1000);

        try (CapturePipeline pipeline = new CapturePipeline(settings("<attachmentLimit>1MB</attachmentLimit>"), CLOCK)) {
            pipeline.mailet.service(warm); // classes loaded before measuring
            long before = allocatedByThisThread();

            pipeline.mailet.service(mail);

            assertThat(allocatedByThisThread() - before).as("bytes allocated in the pipeline for a 54 MB mail").isLessThan(16L * MB);
            assertThat(pipeline.queued).last().satisfies(queued -> assertThat(queued.getMessage().getSize()).isLessThan(4000));
        }
    }

    /**
     * A client's mail with a text body and two attachments: {@code big} bytes in base64, then
     * {@code small} bytes (a multiple of 4) as they are.
     */
    private static Mail mail(String messageId, int big, int small) throws Exception {
        StringBuilder raw = new StringBuilder("From: carol@client.example\r\nTo: alice@company.example\r\nSubject: Plans\r\n")
            .append("Date: Sun, 22 Nov 2026 10:15:00 +0000\r\n");
        if (messageId != null) {
            raw.append("Message-ID: ").append(messageId).append("\r\n");
        }
        raw.append("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n")
            .append("--b\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nThe plans, attached.\r\n");
        attach(raw, "plans.pdf", big);
        raw.append("\r\n");
        raw.append("--b\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: 7bit\r\n")
            .append("Content-Disposition: attachment; filename=\"small.pdf\"\r\n\r\n").append("abcd".repeat(small / 4)).append("\r\n--b--\r\n");
        return FakeMail.builder().name("large-" + big).state(Mail.DEFAULT)
            .sender(new MailAddress("carol@client.example")).recipient(new MailAddress("alice@company.example"))
            .mimeMessage(new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(raw.toString().getBytes(StandardCharsets.US_ASCII))))
            .build();
    }

    private static void attach(StringBuilder raw, String name, int size) {
        raw.append("--b\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n")
            .append("Content-Disposition: attachment; filename=\"").append(name).append("\"\r\n\r\n");
        String line = Base64.getEncoder().encodeToString(new byte[57]);
        for (int i = 0; i < size / 57; i++) {
            raw.append(line).append("\r\n");
        }
        raw.append(Base64.getEncoder().encodeToString(new byte[size % 57]));
    }

    private static byte[] bytes(Mail mail) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        mail.getMessage().writeTo(out);
        return out.toByteArray();
    }

    private static long allocatedByThisThread() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}

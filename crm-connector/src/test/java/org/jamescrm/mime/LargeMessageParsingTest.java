package org.jamescrm.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import org.jamescrm.model.AttachmentInfo;
import org.jamescrm.model.MessageFacts;
import org.junit.jupiter.api.Test;

/**
 * Large mail streams through the parser: an attachment over the mailbox's limit is counted as it
 * goes by and never held, one within it is kept once, and the capture key does not need the body
 * in memory.
 */
class LargeMessageParsingTest {
    private static final int MB = 1024 * 1024;

    private static String head(String messageId) {
        return "From: carol@client.example\r\nTo: alice@company.example\r\nSubject: Plans\r\nDate: Sun, 22 Nov 2026 10:15:00 +0000\r\n"
            + messageId + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
            + "--b\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nThe plans, attached.\r\n"
            + "--b\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
            + "Content-Disposition: attachment; filename=\"plans.pdf\"\r\n\r\n";
    }

    /** A message with an attachment of {@code size} bytes (value 7), base64 encoded as it is read: never in memory here either. */
    private static InputStream message(String messageId, int size) {
        return new SequenceInputStream(java.util.Collections.enumeration(List.of(
            new ByteArrayInputStream(head(messageId).getBytes(StandardCharsets.US_ASCII)),
            base64Of(size),
            new ByteArrayInputStream("\r\n--b--\r\n".getBytes(StandardCharsets.US_ASCII)))));
    }

    /** The base64 lines (76 characters) of {@code size} bytes of value 7, made as they are read. */
    static InputStream base64Of(int size) {
        byte[] line = (Base64.getEncoder().encodeToString(filled(57)) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        int fullLines = size / 57;
        byte[] last = size % 57 == 0 ? new byte[0]
            : (Base64.getEncoder().encodeToString(filled(size % 57)) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        return new InputStream() {
            private int lines;
            private int at;
            private byte[] current = fullLines > 0 ? line : last;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) == -1 ? -1 : one[0];
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (at == current.length) {
                    lines++;
                    if (lines > fullLines || (lines == fullLines && last.length == 0)) {
                        return -1;
                    }
                    current = lines < fullLines ? line : last;
                    at = 0;
                }
                int n = Math.min(length, current.length - at);
                System.arraycopy(current, at, buffer, offset, n);
                at += n;
                return n;
            }
        };
    }

    private static byte[] filled(int size) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) 7);
        return bytes;
    }

    private static long allocatedByThisThread() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void anAttachmentOverTheLimitShouldBeCountedAndNeverHeld() throws IOException {
        MessageParser parser = new MessageParser();
        parser.parse(message("Message-ID: <warm@client.example>\r\n", 1000), MB); // classes loaded before measuring
        long before = allocatedByThisThread();

        MessageFacts facts = parser.parse(message("Message-ID: <big@client.example>\r\n", 64 * MB), MB);

        long allocated = allocatedByThisThread() - before;
        AttachmentInfo attachment = facts.attachments().get(0);
        assertThat(attachment.fileName()).isEqualTo("plans.pdf");
        assertThat(attachment.size()).isEqualTo(64L * MB);
        assertThat(attachment.hasContent()).isFalse();
        assertThat(facts.textBody()).isEqualTo("The plans, attached.");
        assertThat(allocated).as("bytes allocated to parse a message with a 64 MB attachment over a 1 MB limit")
            .isLessThan(16L * MB);
    }

    @Test
    void anAttachmentWithinTheLimitShouldBeKeptWhole() throws IOException {
        MessageFacts facts = new MessageParser().parse(message("Message-ID: <small@client.example>\r\n", 100_000), MB);

        assertThat(facts.attachments().get(0).content()).isEqualTo(filled(100_000));
        assertThat(facts.attachments().get(0).size()).isEqualTo(100_000);
    }

    @Test
    void anAttachmentOneByteOverTheLimitShouldBeListedWithItsSize() throws IOException {
        MessageFacts facts = new MessageParser().parse(message("Message-ID: <edge@client.example>\r\n", 1001), 1000);

        assertThat(facts.attachments().get(0).size()).isEqualTo(1001);
        assertThat(facts.attachments().get(0).hasContent()).isFalse();
    }

    @Test
    void theCaptureKeyOfAMessageWithoutMessageIdShouldBeTheDigestOfItsFieldsAndBodyWhateverTheLimit() throws IOException {
        byte[] whole = new MessageParser().parse(message("", 300_000)).captureKey().getBytes(StandardCharsets.US_ASCII);
        String streamed = new MessageParser().parse(message("", 300_000), 1000).captureKey();

        byte[] raw = message("", 300_000).readAllBytes();
        String head = head("");
        byte[] body = Arrays.copyOfRange(raw, head.indexOf("\r\n\r\n") + 4, raw.length);
        assertThat(streamed).isEqualTo(new String(whole, StandardCharsets.US_ASCII))
            .isEqualTo(CaptureKeys.of(null, "carol@client.example", "Sun, 22 Nov 2026 10:15:00 +0000", "Plans", body));
    }

    @Test
    void anAttachedMessageOverTheLimitShouldBeListedWithItsSize() throws IOException {
        String inner = "From: dave@other.example\r\nSubject: inner\r\n\r\n" + "x".repeat(5000) + "\r\n";
        String outer = "From: carol@client.example\r\nMessage-ID: <fwd@client.example>\r\nContent-Type: multipart/mixed; boundary=m\r\n\r\n"
            + "--m\r\nContent-Type: text/plain\r\n\r\nforwarded\r\n--m\r\nContent-Type: message/rfc822\r\n\r\n" + inner + "--m--\r\n";

        MessageFacts limited = new MessageParser().parse(new ByteArrayInputStream(outer.getBytes(StandardCharsets.US_ASCII)), 1000);
        MessageFacts whole = new MessageParser().parse(new ByteArrayInputStream(outer.getBytes(StandardCharsets.US_ASCII)));

        assertThat(limited.attachments().get(0).hasContent()).isFalse();
        assertThat(limited.attachments().get(0).size()).isEqualTo(whole.attachments().get(0).size()).isGreaterThan(5000);
    }

    @Test
    void aTextBodyOverTheAttachmentLimitShouldStayWhole() throws IOException {
        String text = "word ".repeat(2000).strip();
        String message = "From: carol@client.example\r\nMessage-ID: <long@client.example>\r\nContent-Type: text/plain\r\n\r\n" + text + "\r\n";

        MessageFacts facts = new MessageParser().parse(new ByteArrayInputStream(message.getBytes(StandardCharsets.US_ASCII)), 100);

        assertThat(facts.textBody().strip()).isEqualTo(text);
    }
}

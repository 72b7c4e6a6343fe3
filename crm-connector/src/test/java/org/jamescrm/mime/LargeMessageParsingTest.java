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

    /** A message whose {@code type} part (not an attachment) is {@code megabytes} of text lines, in memory as its bytes only. */
    private static byte[] longBody(String type, int megabytes, String line) {
        StringBuilder message = new StringBuilder(head("Message-ID: <long@client.example>\r\n").replace(
            "--b\r\nContent-Type: application/pdf", "--b\r\nContent-Type: " + type + "; charset=UTF-8\r\n\r\n" + "PLACEHOLDER\r\n--b\r\nContent-Type: application/pdf"));
        String filler = line.repeat(megabytes * MB / line.length());
        return (message.toString().replace("PLACEHOLDER", filler) + "JVBERi0xLjQK\r\n--b--\r\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aMailOfHundredsOfAttachmentsShouldStoreTheFirstHundredAndListTheRest() throws IOException {
        StringBuilder message = new StringBuilder("From: carol@client.example\r\nMessage-ID: <many@client.example>\r\n"
            + "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nThe scans.\r\n");
        for (int n = 1; n <= 150; n++) {
            message.append("--b\r\nContent-Type: image/png\r\nContent-Disposition: attachment; filename=\"scan").append(n)
                .append(".png\"\r\n\r\npng").append(n).append("\r\n");
        }
        message.append("--b\r\nContent-Type: message/rfc822\r\n\r\nSubject: forwarded\r\n\r\nhi\r\n--b--\r\n");

        List<AttachmentInfo> attachments = new MessageParser().parse(new ByteArrayInputStream(message.toString().getBytes(StandardCharsets.US_ASCII)), MB)
            .attachments();

        assertThat(attachments).hasSize(151);
        assertThat(attachments.subList(0, MessageParser.MAX_STORED_ATTACHMENTS)).allMatch(AttachmentInfo::hasContent);
        assertThat(attachments.subList(MessageParser.MAX_STORED_ATTACHMENTS, 151)).noneMatch(AttachmentInfo::hasContent)
            .allMatch(attachment -> attachment.size() > 0);
        assertThat(attachments.get(150).fileName()).isEqualTo("message.eml");
    }

    @Test
    void aSecondTextPartOverTheBodyLimitShouldBeListedNotCut() throws IOException {
        byte[] raw = longBody("text/plain", 3, "a report line\r\n");

        MessageFacts facts = new MessageParser().parse(new ByteArrayInputStream(raw), 24 * MB);

        assertThat(facts.textBody()).isEqualTo("The plans, attached.");
        assertThat(facts.attachments()).extracting(AttachmentInfo::size, AttachmentInfo::hasContent)
            .contains(org.assertj.core.api.Assertions.tuple((long) (3 * MB / 15 * 15), false));
    }

    @Test
    void aTextBodyOverTheBodyLimitShouldBeCutWithANoteAndNeverHeldWhole() throws IOException {
        byte[] raw = ("From: carol@client.example\r\nMessage-ID: <report@client.example>\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n"
            + "a report line\r\n".repeat(30 * MB / 15)).getBytes(StandardCharsets.UTF_8);

        long before = allocatedByThisThread();
        MessageFacts facts = new MessageParser().parse(new ByteArrayInputStream(raw), MB);
        long allocated = allocatedByThisThread() - before;

        assertThat(facts.textBody()).startsWith("a report line\r\n").endsWith(MessageParser.TEXT_CUT)
            .hasSize(PartBodies.BODY_LIMIT + MessageParser.TEXT_CUT.length());
        assertThat(allocated).isLessThan(64L * MB); // read whole, the 30 MB cost 157 MB
    }

    @Test
    void anHtmlBodyOverTheBodyLimitShouldBeCutBeforeTheTagItEndsInWithANote() throws IOException {
        String row = "<tr><td><a href=\"https://shop.example/item\">Item</a></td></tr>\r\n";
        byte[] raw = ("From: carol@client.example\r\nMessage-ID: <table@client.example>\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n"
            + "<table border=\"0\" cellpadding=\"2\">" + row.repeat(30 * MB / row.length())).getBytes(StandardCharsets.UTF_8);

        long before = allocatedByThisThread();
        MessageFacts facts = new MessageParser().parse(new ByteArrayInputStream(raw), MB);
        long allocated = allocatedByThisThread() - before;

        String html = facts.htmlBody().orElseThrow().html();
        // cut 30 characters into a row, inside the quoted URL of a link, which would have taken the note
        assertThat(html).hasSizeLessThan(2 * PartBodies.BODY_LIMIT)
            .contains("<p>[\u2026] The message's text is longer than 2 MB: the rest is in the mailbox.</p>");
        assertThat(facts.textBody()).endsWith("The message's text is longer than 2 MB: the rest is in the mailbox.");
        assertThat(allocated).isLessThan(256L * MB); // read whole, a 30 MB HTML body cost 644 MB
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

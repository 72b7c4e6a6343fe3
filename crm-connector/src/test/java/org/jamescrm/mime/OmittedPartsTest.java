package org.jamescrm.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import org.jamescrm.model.AttachmentInfo;
import org.jamescrm.model.MessageFacts;
import org.jamescrm.model.ParseScope;
import org.jamescrm.testing.MimeCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The capture queue's copy of a large mail: the attachments the capture will not store are left
 * out, and the copy parses into what the whole message parses into under the same limit.
 */
class OmittedPartsTest {
    private static final int MB = 1024 * 1024;
    private final MessageParser parser = new MessageParser();

    static Stream<Arguments> corpusAndLimits() throws IOException {
        List<Path> messages;
        try (Stream<Path> corpus = MimeCorpus.messages()) {
            messages = corpus.toList();
        }
        return messages.stream().flatMap(message -> Stream.of(0L, 200L, Long.MAX_VALUE).map(limit -> Arguments.of(message, limit)));
    }

    @ParameterizedTest(name = "{0} at {1} bytes")
    @MethodSource("corpusAndLimits")
    void theCopyOfEveryCorpusMessageShouldParseAsTheMessageDoes(Path message, long limit) throws IOException {
        byte[] raw = Files.readAllBytes(message);
        MessageFacts whole = parser.parse(new ByteArrayInputStream(raw), limit);

        OmittedParts omitted = OmittedParts.find(new ByteArrayInputStream(raw), limit);
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        omitted.writeWithout(new ByteArrayInputStream(raw), copy);
        MessageFacts copied = parser.parseCopy(new ByteArrayInputStream(copy.toByteArray()), new ParseScope(limit, true), whole.captureKey());

        assertThat(copied.messageId()).isEqualTo(whole.messageId());
        assertThat(copied.from()).isEqualTo(whole.from());
        assertThat(copied.to()).isEqualTo(whole.to());
        assertThat(copied.subject()).isEqualTo(whole.subject());
        assertThat(copied.headers()).isEqualTo(whole.headers());
        assertThat(copied.textBody()).isEqualTo(whole.textBody());
        assertThat(copied.htmlBody()).isEqualTo(whole.htmlBody());
        assertThat(copied.attachments()).hasSameSizeAs(whole.attachments());
        for (int i = 0; i < whole.attachments().size(); i++) {
            AttachmentInfo expected = whole.attachments().get(i);
            AttachmentInfo actual = copied.attachments().get(i);
            assertThat(actual.fileName()).isEqualTo(expected.fileName());
            assertThat(actual.hasContent()).isEqualTo(expected.hasContent());
            assertThat(actual.content()).isEqualTo(expected.content());
            if (!expected.contentType().equals("message/rfc822")) { // an attached message is counted as written again
                assertThat(actual.size()).isEqualTo(expected.size());
            }
        }
        assertThat((long) copy.size()).isLessThanOrEqualTo(raw.length + 64L * (omitted.count() + 1) + 8L * raw.length / 100);
    }

    @Test
    void aLargeAttachmentShouldBeLeftOutAndListedWithItsSize() throws IOException {
        OmittedParts omitted = OmittedParts.find(message(30 * MB), 24 * MB);
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        omitted.writeWithout(message(30 * MB), copy);

        MessageFacts facts = parser.parseCopy(new ByteArrayInputStream(copy.toByteArray()), new ParseScope(24 * MB, true), "<big@client.example>");

        assertThat(omitted.count()).isEqualTo(1);
        assertThat(omitted.bytes()).isEqualTo(30L * MB);
        assertThat(copy.size()).as("the copy's size").isLessThan(2000);
        assertThat(facts.textBody()).isEqualTo("The plans, attached.");
        assertThat(facts.attachments()).singleElement().satisfies(attachment -> {
            assertThat(attachment.fileName()).isEqualTo("plans.pdf");
            assertThat(attachment.contentType()).isEqualTo("application/pdf");
            assertThat(attachment.size()).isEqualTo(30L * MB);
            assertThat(attachment.hasContent()).isFalse();
        });
        assertThat(facts.headers().first(OmittedParts.FIELD)).isEmpty();
        assertThat(facts.messageId()).contains("<big@client.example>");
    }

    @Test
    void anAttachmentWithinTheLimitShouldStayInTheCopy() throws IOException {
        OmittedParts omitted = OmittedParts.find(message(100_000), MB);

        assertThat(omitted.none()).isTrue();
    }

    @Test
    void findingAndWritingShouldNotHoldTheLargePart() throws IOException {
        OmittedParts.find(message(1000), 100).writeWithout(message(1000), OutputStream.nullOutputStream()); // classes loaded
        long before = allocatedByThisThread();

        OmittedParts omitted = OmittedParts.find(message(64 * MB), MB);
        omitted.writeWithout(message(64 * MB), OutputStream.nullOutputStream());

        assertThat(allocatedByThisThread() - before).as("bytes allocated to copy a message with a 64 MB attachment")
            .isLessThan(16L * MB);
    }

    @Test
    void aLargeTextBodyShouldNeverBeLeftOut() throws IOException {
        String text = "word ".repeat(2000).strip();
        String message = "From: carol@client.example\r\nMessage-ID: <long@client.example>\r\nContent-Type: text/plain\r\n\r\n" + text + "\r\n";

        assertThat(OmittedParts.find(new ByteArrayInputStream(message.getBytes(StandardCharsets.US_ASCII)), 100).none()).isTrue();
    }

    @Test
    void aSingleBinaryBodyOverTheLimitShouldBeLeftOutWithItsHeader() throws IOException {
        String message = "From: carol@client.example\r\nMessage-ID: <pdf@client.example>\r\nContent-Type: application/pdf; name=scan.pdf\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n" + "QUJD".repeat(1000) + "\r\n";
        byte[] raw = message.getBytes(StandardCharsets.US_ASCII);

        OmittedParts omitted = OmittedParts.find(new ByteArrayInputStream(raw), 100);
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        omitted.writeWithout(new ByteArrayInputStream(raw), copy);
        MessageFacts facts = parser.parseCopy(new ByteArrayInputStream(copy.toByteArray()), new ParseScope(100, true), "<pdf@client.example>");

        assertThat(facts.attachments()).singleElement().satisfies(attachment -> {
            assertThat(attachment.fileName()).isEqualTo("scan.pdf");
            assertThat(attachment.size()).isEqualTo(3000);
            assertThat(attachment.hasContent()).isFalse();
        });
        assertThat(facts.headers().first(OmittedParts.FIELD)).isEmpty();
    }

    @Test
    void aSendersOwnMarkShouldNeitherHideAPartNorBeTrusted() throws IOException {
        String message = "From: mallory@client.example\r\nMessage-ID: <mark@client.example>\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
            + "--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
            + "--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=real.bin\r\n"
            + OmittedParts.FIELD + ": 999999\r\n\r\nreal content\r\n--b--\r\n";
        byte[] raw = message.getBytes(StandardCharsets.US_ASCII);

        MessageFacts received = parser.parse(new ByteArrayInputStream(raw), MB);
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        OmittedParts.find(new ByteArrayInputStream(raw), MB).writeWithout(new ByteArrayInputStream(raw), copy);
        MessageFacts copied = parser.parseCopy(new ByteArrayInputStream(copy.toByteArray()), new ParseScope(MB, true), received.captureKey());

        for (MessageFacts facts : List.of(received, copied)) {
            assertThat(facts.attachments()).singleElement().satisfies(attachment -> {
                assertThat(attachment.content()).isEqualTo("real content".getBytes(StandardCharsets.US_ASCII));
                assertThat(attachment.size()).isEqualTo(12);
            });
        }
        assertThat(copy.toString(StandardCharsets.US_ASCII)).doesNotContain(OmittedParts.FIELD);
    }

    private static String head() {
        return "From: carol@client.example\r\nTo: alice@company.example\r\nSubject: Plans\r\nDate: Sun, 22 Nov 2026 10:15:00 +0000\r\n"
            + "Message-ID: <big@client.example>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
            + "--b\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nThe plans, attached.\r\n"
            + "--b\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
            + "Content-Disposition: attachment; filename=\"plans.pdf\"\r\n\r\n";
    }

    /** A message with an attachment of {@code size} bytes, base64-encoded as it is read: never in memory. */
    private static InputStream message(int size) {
        return new SequenceInputStream(Collections.enumeration(List.of(
            new ByteArrayInputStream(head().getBytes(StandardCharsets.US_ASCII)),
            LargeMessageParsingTest.base64Of(size),
            new ByteArrayInputStream("\r\n--b--\r\n".getBytes(StandardCharsets.US_ASCII)))));
    }

    private static long allocatedByThisThread() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}

package org.jamescrm.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.dom.Header;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.jamescrm.model.ParseScope;
import org.jamescrm.testing.MimeCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The capture key the parser gives a message is the one capture-rules §6 defines, computed apart: its
 * Message-ID, or the digest of the raw From, Date and Subject fields of the header parsed on its own
 * and of the body bytes after the header's blank line. The parser reads the header once, as mime4j
 * parses the message; this holds it to the key of a header read on its own, for every corpus message
 * with and without its Message-ID, and for the shapes where the two could part: no blank line, a
 * header larger than mime4j's buffer, repeated and folded fields, bare LF line ends.
 */
class ParsedCaptureKeyTest {
    private final MessageParser parser = new MessageParser();

    static Stream<Path> corpus() throws IOException {
        return MimeCorpus.messages();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void everyCorpusMessageShouldHaveTheKeyOfItsHeaderReadApart(Path message) throws IOException {
        byte[] raw = Files.readAllBytes(message);
        assertKeyIsTheDefinedOne(raw);
        assertKeyIsTheDefinedOne(withoutMessageId(raw));
    }

    @Test
    void aMessageWithoutBlankLineIsAllHeaderAndKeyedOnAnEmptyBody() throws IOException {
        assertKeyIsTheDefinedOne("From: carol@client.example\r\nSubject: no body\r\nDate: Sun, 22 Nov 2026 10:15:00 +0000\r\n".getBytes(StandardCharsets.US_ASCII));
        assertKeyIsTheDefinedOne("From: carol@client.example\r\nSubject: no end".getBytes(StandardCharsets.US_ASCII));
        assertKeyIsTheDefinedOne(new byte[0]);
        assertKeyIsTheDefinedOne("\r\nbody with no header at all\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aHeaderLargerThanMimeBuffersShouldBeReadOnceAndKeyedTheSame() throws IOException {
        StringBuilder message = new StringBuilder();
        for (int hop = 0; hop < 400; hop++) { // about 40 KB of Received fields
            message.append("Received: from relay").append(hop).append(".client.example (relay").append(hop)
                .append(".client.example [192.0.2.").append(hop % 250).append("])\r\n\tby mx.company.example with ESMTPS id ").append(hop).append("\r\n");
        }
        message.append("From: Carol <carol@client.example>\r\nSubject: far down\r\nDate: Sun, 22 Nov 2026 10:15:00 +0000\r\n\r\nThe body.\r\n");
        byte[] raw = message.toString().getBytes(StandardCharsets.US_ASCII);

        assertKeyIsTheDefinedOne(raw);
        assertThat(parser.parse(new ByteArrayInputStream(raw)).captureKey())
            .isEqualTo(CaptureKeys.of(null, "Carol <carol@client.example>", "Sun, 22 Nov 2026 10:15:00 +0000", "far down",
                "The body.\r\n".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void theFirstOfRepeatedFieldsAndFoldedFieldsShouldMakeTheKey() throws IOException {
        assertKeyIsTheDefinedOne(("From: first@client.example\nSubject: a subject\n folded twice\n\tand again\nFrom: second@client.example\n"
            + "Subject: second\nDate: Sun, 22 Nov 2026 10:15:00 +0000\nDate: Mon, 23 Nov 2026 10:15:00 +0000\n\nbody\n")
            .getBytes(StandardCharsets.US_ASCII));
        assertKeyIsTheDefinedOne(("message-id: \r\nfrom: lower@client.example\r\nSUBJECT: =?UTF-8?B?0J/RgNC40LLQtdGC?=\r\n\r\n"
            + "multipart? no\r\n").getBytes(StandardCharsets.US_ASCII));
        assertKeyIsTheDefinedOne("From: caf\u00e9@client.example\r\nSubject: 8-bit \u00fc\r\n\r\n\u00e9t\u00e9\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void aCopyShouldKeepTheKeyItIsGiven() throws IOException {
        byte[] raw = "From: carol@client.example\r\nSubject: copy\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(parser.parseCopy(new ByteArrayInputStream(raw), new ParseScope(Long.MAX_VALUE, true), "digest:given").captureKey())
            .isEqualTo("digest:given");
    }

    private void assertKeyIsTheDefinedOne(byte[] raw) throws IOException {
        assertThat(parser.parse(new ByteArrayInputStream(raw)).captureKey()).isEqualTo(definedKey(raw));
        assertThat(parser.parse(new ByteArrayInputStream(raw), 0).captureKey()).as("attachments counted, not kept").isEqualTo(definedKey(raw));
    }

    /** The key of capture-rules §6, from the header block parsed on its own and the bytes after it. */
    private static String definedKey(byte[] raw) throws IOException {
        int end = headerEnd(raw);
        DefaultMessageBuilder builder = new DefaultMessageBuilder();
        builder.setMimeEntityConfig(MimeConfig.PERMISSIVE);
        builder.setDecodeMonitor(DecodeMonitor.SILENT);
        Header header = builder.parseHeader(new ByteArrayInputStream(raw, 0, end));
        return CaptureKeys.of(field(header, "Message-ID"), field(header, "From"), field(header, "Date"), field(header, "Subject"),
            Arrays.copyOfRange(raw, end, raw.length));
    }

    /** Where the body starts: after the first LF LF or LF CR LF; the end when there is none. */
    private static int headerEnd(byte[] raw) {
        for (int i = 1; i < raw.length; i++) {
            if (raw[i] == '\n' && (raw[i - 1] == '\n' || (raw[i - 1] == '\r' && i >= 2 && raw[i - 2] == '\n'))) {
                return i + 1;
            }
        }
        return raw.length;
    }

    /**
     * A field's value one character a byte, as jakarta.mail reads header lines for the mail pipeline's
     * key, whichever mime4j reads the header (James 3.8's reads 8-bit bytes one way, James 3.9's another).
     */
    private static String field(Header header, String name) {
        Field field = header.getField(name);
        if (field == null) {
            return null;
        }
        String whole = new String(field.getRaw().toByteArray(), StandardCharsets.ISO_8859_1);
        return whole.substring(whole.indexOf(':') + 1);
    }

    /** The message with its Message-ID fields (and their folded lines) taken out of its header. */
    private static byte[] withoutMessageId(byte[] raw) {
        int end = headerEnd(raw);
        String header = new String(raw, 0, end, StandardCharsets.ISO_8859_1);
        String stripped = header.replaceAll("(?im)^message-id:.*(\\r?\\n[ \\t].*)*\\r?\\n", "");
        byte[] head = stripped.getBytes(StandardCharsets.ISO_8859_1);
        byte[] message = Arrays.copyOf(head, head.length + raw.length - end);
        System.arraycopy(raw, end, message, head.length, raw.length - end);
        return message;
    }
}

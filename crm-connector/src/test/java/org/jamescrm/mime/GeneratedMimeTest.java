package org.jamescrm.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.message.BodyPartBuilder;
import org.apache.james.mime4j.message.DefaultMessageWriter;
import org.apache.james.mime4j.message.MultipartBuilder;
import org.apache.james.mime4j.stream.RawField;
import org.jamescrm.model.AttachmentInfo;
import org.jamescrm.model.MailParty;
import org.jamescrm.model.MessageFacts;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jamescrm.model.SafeHtml;

/**
 * The parser over messages built with mime4j from random choices: multiparts nested at random,
 * message/rfc822 parts, headers in Q and B words of valid, unknown and illegal charsets, random
 * bytes in headers and bodies, hostile HTML, then truncated or damaged. Whatever the message, the
 * parser returns complete facts, with clean header text and safe HTML, and does not throw.
 */
public class GeneratedMimeTest {
    private static final Pattern NOT_A_CLEAN_LINE = Pattern.compile("[\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]");
    private static final List<String> CHARSETS = List.of("UTF-8", "utf-8", "ISO-8859-1", "windows-1252", "KOI8-R", "Shift_JIS",
        "UTF-16", "x-no-such-charset", "", "UTF-8*en", "utf-7", "bad charset", "ISO-2022-JP", "GB18030");
    private static final List<String> HTML = HtmlSanitizingTest.vectors().toList();

    @Provide
    Arbitrary<byte[]> messages() {
        return Arbitraries.randoms().map(GeneratedMimeTest::generate);
    }

    @Property(tries = 1000)
    void anyMessageShouldGiveCompleteCleanAndSafeFacts(@ForAll("messages") byte[] raw) throws IOException {
        MessageFacts facts = new MessageParser().parse(new ByteArrayInputStream(raw));

        assertThat(facts.captureKey()).isNotBlank();
        assertThat(facts.textBody()).isNotNull();
        assertClean(facts.subject());
        facts.messageId().ifPresent(GeneratedMimeTest::assertClean);
        facts.threadIds().forEach(GeneratedMimeTest::assertClean);
        for (MailParty party : parties(facts)) {
            assertClean(party.address().value());
            party.displayName().ifPresent(GeneratedMimeTest::assertClean);
        }
        for (AttachmentInfo attachment : facts.attachments()) {
            assertThat(attachment.fileName()).isNotBlank();
            assertClean(attachment.fileName());
            assertClean(attachment.contentType());
            assertThat(attachment.content()).isNotNull();
        }
        facts.headers().names().forEach(name -> facts.headers().all(name).forEach(GeneratedMimeTest::assertClean));
        facts.htmlBody().map(SafeHtml::html).ifPresent(HtmlSanitizingTest::assertSafe);
        assertThat(new MessageParser().parse(new ByteArrayInputStream(raw)).captureKey()).isEqualTo(facts.captureKey());
    }

    private static List<MailParty> parties(MessageFacts facts) {
        List<MailParty> parties = new java.util.ArrayList<>(facts.to());
        parties.addAll(facts.cc());
        facts.from().ifPresent(parties::add);
        return parties;
    }

    private static void assertClean(String text) {
        assertThat(NOT_A_CLEAN_LINE.matcher(text).find()).as("control character in '%s'", text).isFalse();
    }

    /**
     * A random message written by mime4j, then, one time in two, damaged: the generator of this
     * property, also used by other modules' tests of whole pipelines.
     */
    public static byte[] generate(Random random) {
        byte[] written;
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new DefaultMessageWriter().writeMessage(message(random, 0), out);
            written = out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory", e);
        }
        return damaged(random, written);
    }

    private static Message message(Random random, int depth) throws IOException {
        Message.Builder message = Message.Builder.of();
        message.addField(field("From", address(random)));
        message.addField(field("To", address(random) + ", " + address(random)));
        if (random.nextBoolean()) {
            message.addField(field("Cc", address(random)));
        }
        message.addField(field("Subject", headerText(random)));
        if (random.nextBoolean()) {
            message.addField(field("Message-ID", "<" + headerText(random) + "@client.example>"));
        }
        if (random.nextBoolean()) {
            message.addField(field("Date", random.nextBoolean() ? "Sun, 22 Nov 2026 10:15:00 +0300" : headerText(random)));
        }
        if (random.nextInt(4) == 0) {
            message.addField(field("References", "<a@x> " + headerText(random) + " <b@x>"));
        }
        if (random.nextInt(4) == 0) {
            message.addField(field("X-" + random.nextInt(100), headerText(random)));
        }
        BodyPartBuilder body = part(random, depth);
        body.getFields().forEach(message::setField);
        message.setBody(body.getBody());
        return message.build();
    }

    private static BodyPartBuilder part(Random random, int depth) throws IOException {
        int kind = depth >= 4 ? random.nextInt(3) : random.nextInt(5);
        BodyPartBuilder part = BodyPartBuilder.create();
        switch (kind) {
            case 0 -> {
                Charset charset = random.nextBoolean() ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
                part.setBody(text(random), "plain", charset);
                if (random.nextInt(4) == 0) {
                    part.setField(field("Content-Type", "text/plain; charset=\"" + pick(random, CHARSETS) + "\""));
                }
                encoding(random, part);
            }
            case 1 -> {
                part.setBody(pick(random, HTML) + "<p>" + text(random) + "</p>" + pick(random, HTML), "html", StandardCharsets.UTF_8);
                encoding(random, part);
            }
            case 2 -> {
                part.setBody(bytes(random, random.nextInt(3) == 0 ? 5000 : 200), pick(random,
                    List.of("application/pdf", "image/png", "application/octet-stream", "text/plain", "bogus", "text/html")));
                part.setField(field("Content-Disposition", pick(random, List.of("attachment", "inline", "ATTACHMENT", "", "x"))
                    + fileNameParameter(random)));
                if (random.nextBoolean()) {
                    part.setField(field("Content-Type", "application/pdf; name=\"" + headerText(random) + "\""));
                }
                encoding(random, part);
            }
            case 3 -> {
                part.setBody(message(random, depth + 1));
                part.setField(field("Content-Type", "message/rfc822"));
            }
            default -> {
                MultipartBuilder multipart = MultipartBuilder.create(pick(random, List.of("mixed", "alternative", "related", "report")));
                int count = random.nextInt(5);
                for (int i = 0; i < count; i++) {
                    multipart.addBodyPart(part(random, depth + 1).build());
                }
                part.setBody(multipart.build());
            }
        }
        return part;
    }

    /** mime4j writes no raw line break in a field; raw bytes of every kind come in with {@link #damaged}. */
    private static RawField field(String name, String value) {
        return new RawField(name, value.replace('\r', ' ').replace('\n', ' '));
    }

    private static void encoding(Random random, BodyPartBuilder part) {
        if (random.nextInt(3) == 0) {
            part.setContentTransferEncoding(pick(random, List.of("base64", "quoted-printable", "8bit", "7bit", "binary", "x-uuencode", "bogus")));
        }
    }

    private static String fileNameParameter(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> "";
            case 1 -> "; filename=\"" + headerText(random) + "\"";
            case 2 -> "; filename=" + headerText(random);
            case 3 -> "; filename*=" + pick(random, CHARSETS) + "''" + percentEncoded(bytes(random, 20));
            case 4 -> "; filename*0=\"" + headerText(random) + "\"; filename*1*=" + percentEncoded(bytes(random, 10));
            default -> "; filename=\"" + encodedWord(random) + "\"";
        };
    }

    /** A header value: text with raw bytes, or encoded words of every sort, valid or not. */
    private static String headerText(Random random) {
        StringBuilder text = new StringBuilder();
        int pieces = 1 + random.nextInt(4);
        for (int i = 0; i < pieces; i++) {
            text.append(random.nextInt(3) == 0 ? latin1(random, 12) : encodedWord(random)).append(random.nextBoolean() ? " " : "");
        }
        return text.toString();
    }

    private static String encodedWord(Random random) {
        byte[] content = random.nextBoolean() ? bytes(random, 15) : ("x\r\ny:\"<a,b>\"\u0000" + random.nextInt()).getBytes(StandardCharsets.UTF_8);
        String charset = pick(random, CHARSETS);
        String word = random.nextBoolean()
            ? "=?" + charset + "?B?" + Base64.getEncoder().encodeToString(content) + "?="
            : "=?" + charset + "?Q?" + qEncoded(content) + "?=";
        return switch (random.nextInt(6)) {
            case 0 -> word.substring(0, random.nextInt(word.length())); // cut short
            case 1 -> word.replace("?B?", "?B?!"); // broken base64
            default -> word;
        };
    }

    private static String address(Random random) {
        String local = random.nextInt(5) == 0 ? latin1(random, 6) : "user" + random.nextInt(10);
        return switch (random.nextInt(4)) {
            case 0 -> local + "@client.example";
            case 1 -> headerText(random) + " <" + local + "@client.example>";
            case 2 -> "\"" + headerText(random) + "\" <" + local + "@client.example>";
            default -> "group: " + headerText(random) + " <" + local + "@client.example>;";
        };
    }

    private static String text(Random random) {
        return random.nextBoolean() ? "Hello " + random.nextInt() + "\r\nsecond line" : latin1(random, 300);
    }

    private static String latin1(Random random, int max) {
        return new String(bytes(random, max), StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(Random random, int max) {
        byte[] bytes = new byte[random.nextInt(max + 1)];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String qEncoded(byte[] bytes) {
        StringBuilder q = new StringBuilder();
        for (byte b : bytes) {
            q.append(String.format("=%02X", b & 0xFF));
        }
        return q.toString();
    }

    private static String percentEncoded(byte[] bytes) {
        return qEncoded(bytes).replace('=', '%');
    }

    /**
     * One time in two, the written message is cut short, gets random bytes, gets a first field of raw
     * bytes (NUL, bare CR and LF included), or loses its end boundary.
     */
    private static byte[] damaged(Random random, byte[] message) {
        if (message.length == 0 || random.nextBoolean()) {
            return message;
        }
        byte[] damaged = message.clone();
        switch (random.nextInt(4)) {
            case 0 -> damaged = java.util.Arrays.copyOf(damaged, random.nextInt(damaged.length));
            case 1 -> {
                for (int i = 0; i < 1 + random.nextInt(20); i++) {
                    damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
                }
            }
            case 2 -> damaged = ("Subject: " + latin1(random, 60) + "\r\nFrom: " + latin1(random, 30) + " <a@b.example>\r\n"
                + new String(damaged, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
            default -> {
                String text = new String(damaged, StandardCharsets.ISO_8859_1);
                int end = text.lastIndexOf("--\r\n");
                damaged = (end > 0 ? text.substring(0, end) : text).getBytes(StandardCharsets.ISO_8859_1);
            }
        }
        return damaged;
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}

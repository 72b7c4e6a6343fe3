package org.jamescrm.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import org.jamescrm.model.AttachmentInfo;
import org.jamescrm.model.MailParty;
import org.jamescrm.model.MessageFacts;
import org.junit.jupiter.api.Test;

/**
 * Messages built to make a parser work without end: thousands of nested parts, address and
 * Content-Type fields of tens of thousands of entries. Each still gives what it holds, on a thread
 * with a small stack, and costs memory in proportion to its size, where mime4j alone overflowed the
 * stack or spent time and memory growing with the square of a field's length.
 */
class HostileStructureTest {
    private static final String HEADER = "From: Carol <carol@client.example>\r\nTo: alice@company.example\r\nSubject: offer\r\n"
        + "Message-ID: <1@client.example>\r\n";
    /** Far deeper than a 512 KB stack allows mime4j, as deep as a 1 MB message goes. */
    private static final int LEVELS = 10_000;

    @Test
    void thousandsOfNestedMultipartsShouldCostOnlyWhatIsThatDeep() throws Exception {
        StringBuilder message = new StringBuilder(HEADER + "Content-Type: multipart/mixed; boundary=top\r\n\r\n--top\r\n");
        for (int level = 0; level < LEVELS; level++) {
            message.append("Content-Type: multipart/mixed; boundary=b").append(level).append("\r\n\r\n--b").append(level).append("\r\n");
        }
        message.append("Content-Type: text/plain\r\n\r\nburied\r\n")
            .append("--top\r\nContent-Type: text/plain\r\n\r\nThe offer is attached.\r\n")
            .append("--top\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=offer.pdf\r\n\r\n%PDF\r\n--top--\r\n");

        MessageFacts facts = onSmallStack(() -> parse(message.toString()));

        assertThat(facts.from()).contains(MailParty.of("carol@client.example", "Carol"));
        assertThat(facts.subject()).isEqualTo("offer");
        assertThat(facts.textBody()).isEqualTo("The offer is attached.");
        assertThat(facts.attachments()).extracting(AttachmentInfo::fileName).containsExactly("offer.pdf");
    }

    @Test
    void thousandsOfNestedAttachedMessagesShouldBeOneAttachment() throws Exception {
        StringBuilder message = new StringBuilder(HEADER + "Content-Type: multipart/mixed; boundary=top\r\n\r\n"
            + "--top\r\nContent-Type: text/plain\r\n\r\nForwarded, as asked.\r\n--top\r\n");
        message.append("Content-Type: message/rfc822\r\n\r\nSubject: inner\r\n".repeat(LEVELS));
        message.append("Content-Type: text/plain\r\n\r\ninnermost\r\n--top--\r\n");

        MessageFacts facts = onSmallStack(() -> parse(message.toString()));

        assertThat(facts.textBody()).isEqualTo("Forwarded, as asked.");
        assertThat(facts.attachments()).extracting(AttachmentInfo::fileName).containsExactly("message.eml");
    }

    @Test
    void aLargeMailOfNestedMultipartsShouldBeCopiedWithoutItsLargeAttachment() throws Exception {
        StringBuilder message = new StringBuilder(HEADER + "Content-Type: multipart/mixed; boundary=top\r\n\r\n"
            + "--top\r\nContent-Type: application/zip\r\nContent-Disposition: attachment; filename=big.zip\r\n\r\n")
            .append("x".repeat(100_000)).append("\r\n--top\r\n");
        for (int level = 0; level < LEVELS; level++) {
            message.append("Content-Type: multipart/mixed; boundary=b").append(level).append("\r\n\r\n--b").append(level).append("\r\n");
        }
        message.append("Content-Type: text/plain\r\n\r\nburied\r\n--top--\r\n");
        byte[] raw = message.toString().getBytes(StandardCharsets.US_ASCII);

        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        onSmallStack(() -> {
            OmittedParts omitted = OmittedParts.find(new ByteArrayInputStream(raw), 1000);
            omitted.writeWithout(new ByteArrayInputStream(raw), copy);
            return omitted;
        });
        MessageFacts facts = onSmallStack(() -> new MessageParser().parseCopy(new ByteArrayInputStream(copy.toByteArray()),
            new org.jamescrm.model.ParseScope(1000, true), "<1@client.example>"));

        assertThat(copy.size()).isLessThan(raw.length - 90_000);
        assertThat(facts.attachments()).extracting(AttachmentInfo::fileName, AttachmentInfo::size).containsExactly(org.assertj.core.api.Assertions.tuple("big.zip", 100_000L));
    }

    @Test
    void aToFieldOfTwentyThousandAddressesShouldGiveThemAllAtACostInProportion() throws Exception {
        List<String> addresses = IntStream.range(0, 20_000).mapToObj(n -> "client" + n + "@client.example").toList();
        String field = String.join(",\r\n ", addresses);
        String message = "From: carol@client.example\r\nTo: " + field + "\r\nSubject: all\r\n\r\nhi\r\n";

        long before = allocatedBytes();
        MessageFacts facts = parse(message);
        long allocated = allocatedBytes() - before;

        assertThat(facts.to()).extracting(party -> party.address().value()).containsExactlyElementsOf(addresses);
        // mime4j given the whole field copies the rest of it for each address: gigabytes here
        assertThat(allocated).isLessThan(400L * field.length());
    }

    @Test
    void groupsShouldStillBeFlattenedAndQuotesCommentsAndLiteralsNotCut() throws IOException {
        MessageFacts facts = parse("From: carol@client.example\r\n"
            + "To: Sales: \"Smith, John\" <john@client.example>, (a comment: with; separators) ann@client.example;,"
            + " Undisclosed recipients:;, dave@[192.0.2.1], \"Re: Eve\" <eve@client.example>\r\nSubject: s\r\n\r\nhi\r\n");

        assertThat(facts.to()).containsExactly(MailParty.of("john@client.example", "Smith, John"), MailParty.of("ann@client.example", null),
            MailParty.of("dave@[192.0.2.1]", null), MailParty.of("eve@client.example", "Re: Eve"));
    }

    @Test
    void semicolonsAndAMissingBracketShouldEndAnAddressButASourceRouteNot() throws IOException {
        MessageFacts facts = parse("From: carol@client.example\r\n"
            + "To: ann@client.example;bob@client.example, \"a;b\" <dan@client.example>; Eve <eve@client.example, <@relay.example,@mx.example:fay@client.example>\r\n"
            + "Subject: s\r\n\r\nhi\r\n");

        assertThat(facts.to()).extracting(party -> party.address().value())
            .containsExactly("ann@client.example", "bob@client.example", "dan@client.example", "eve@client.example", "fay@client.example");
    }

    @Test
    void aFieldHoldingTheTokenMarkerShouldKeepItsNamesAsWritten() throws IOException {
        String lookalike = "qzjtok" + "q".repeat(50_000);
        MessageFacts facts = parse("From: carol@client.example\r\nTo: " + lookalike + " <x@client.example>, =?UTF-8?Q?J=C3=B6rg?= <joerg@client.example>,"
            + " qzjtokaaaaaaa0k <y@client.example>\r\nSubject: s\r\n\r\nhi\r\n");

        assertThat(facts.to()).containsExactly(MailParty.of("x@client.example", lookalike), MailParty.of("joerg@client.example", "Jörg"),
            MailParty.of("y@client.example", "qzjtokaaaaaaa0k"));
    }

    @Test
    void aContentTypeOfAHundredThousandParametersShouldKeepItsBoundaryAndCharset() throws Exception {
        String parameters = "x=1; ".repeat(100_000);
        String message = HEADER + "Content-Type: multipart/mixed; " + parameters + "boundary=\"top\"\r\n\r\n"
            + "--top\r\nContent-Type: text/plain; " + parameters + "charset=ISO-8859-1\r\n\r\nGr\u00fc\u00dfe\r\n"
            + "--top\r\nContent-Type: application/pdf; " + parameters + "name=\"offer.pdf\"\r\n\r\n%PDF\r\n--top--\r\n";

        long before = allocatedBytes();
        MessageFacts facts = parse(message);
        long allocated = allocatedBytes() - before;

        assertThat(facts.textBody()).isEqualTo("Grüße");
        assertThat(facts.attachments()).extracting(AttachmentInfo::fileName).containsExactly("offer.pdf");
        // mime4j given the whole field copies the rest of it for each parameter: tens of gigabytes here
        assertThat(allocated).isLessThan(400L * message.length());
    }

    @Test
    void aFieldOfManySemicolonsBeforeItsParameterShouldKeepIt() throws IOException {
        MessageFacts facts = parse(HEADER + "Content-Type: multipart/mixed; boundary=top\r\n\r\n--top\r\nContent-Type: application/pdf\r\n"
            + "Content-Disposition: attachment" + ";".repeat(200_000) + " filename=offer.pdf\r\n\r\n%PDF\r\n--top--\r\n");

        assertThat(facts.attachments()).extracting(AttachmentInfo::fileName).containsExactly("offer.pdf");
    }

    private static MessageFacts parse(String message) throws IOException {
        return new MessageParser().parse(new ByteArrayInputStream(message.getBytes(StandardCharsets.ISO_8859_1)));
    }

    /** The bytes this thread has allocated so far. */
    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private interface Work<T> {
        T run() throws Exception;
    }

    /** Runs on a thread of a 512 KB stack, half the default of the capture queue's threads. */
    private static <T> T onSmallStack(Work<T> work) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(null, () -> {
            try {
                result.set(work.run());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "small-stack", 512 * 1024);
        thread.start();
        thread.join();
        if (failure.get() != null) {
            throw new AssertionError("failed on a small stack", failure.get());
        }
        return result.get();
    }
}

package org.jamescrm.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import org.jamescrm.model.MailParty;
import org.jamescrm.model.MessageFacts;
import org.jamescrm.model.ParseScope;
import org.jamescrm.model.SafeHtml;
import org.junit.jupiter.api.Test;

/** What the parser makes of a message: decoded, in UTC, with its thread and its parts. */
class MessageParserTest {

    private static MessageFacts parse(String message) throws IOException {
        return new MessageParser().parse(new ByteArrayInputStream(message.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void headersShouldBeDecodedAndTheDateConvertedToUtc() throws IOException {
        MessageFacts facts = parse("From: =?UTF-8?Q?Carol_Cli=C3=A9nt?= <Carol@Client.example>\r\n"
            + "To: Alice <alice@company.example>, bob@company.example\r\nCc: =?ISO-8859-1?Q?J=F6rg?= <joerg@client.example>\r\n"
            + "Subject: =?KOI8-R?B?8NLJ18XU?= and more\r\nDate: Sun, 22 Nov 2026 10:15:00 +0300\r\nMessage-ID: <a@client.example>\r\n\r\nbody\r\n");

        assertThat(facts.from()).contains(MailParty.of("carol@client.example", "Carol Cliént"));
        assertThat(facts.to()).extracting(party -> party.address().value()).containsExactly("alice@company.example", "bob@company.example");
        assertThat(facts.cc()).containsExactly(MailParty.of("joerg@client.example", "Jörg"));
        assertThat(facts.subject()).isEqualTo("Привет and more");
        assertThat(facts.sentAt()).contains(Instant.parse("2026-11-22T07:15:00Z"));
        assertThat(facts.messageId()).contains("<a@client.example>");
        assertThat(facts.captureKey()).isEqualTo("<a@client.example>");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "Thu, 1 Jan 1970 00:00:00 +0000 | 1970-01-01T00:00:00Z",
        "Tue, 31 Dec 2999 23:59:59 +0000 | 2999-12-31T23:59:59Z",
        "Wed, 31 Dec 1969 23:59:59 +0000 | ",
        "Mon, 1 Jan 0001 00:00:00 +0000 | ",
        "Sun, 22 Nov 99999 10:15:00 +0300 | ",
        "22 Nov 12345 10:15:00 GMT | ",
        "Wed, 1 Jan 3000 00:00:00 +0000 | "})
    void aDateNoCrmCanHoldShouldBeTakenAsAbsent(String date, String kept) throws IOException {
        MessageFacts facts = parse("From: carol@client.example\r\nDate: " + date + "\r\nMessage-ID: <d@client.example>\r\n\r\nhi\r\n");

        assertThat(facts.sentAt()).isEqualTo(Optional.ofNullable(kept).map(Instant::parse));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}, sent as {1}")
    @org.junit.jupiter.params.provider.CsvSource({
        "Content-Type: text/plain, UTF-8",
        "Content-Type: text/plain, ISO-8859-1",
        "Content-Type: text/plain; charset=us-ascii, UTF-8",
        "Content-Type: text/plain; charset=us-ascii, ISO-8859-1",
        "Content-Type: text/plain; charset=utf-8, ISO-8859-1",
        "Content-Type: text/plain; charset=x-unknown, ISO-8859-1",
        "MIME-Version: 1.0, UTF-8",
        "Content-Type: text/plain; charset=iso-8859-1, ISO-8859-1",
        "Content-Type: text/plain; charset=windows-1250, windows-1250"})
    void eightBitTextInAPartThatSaysOtherwiseShouldReadAsWritten(String contentType, String sentAs) throws IOException {
        byte[] head = ("From: carol@client.example\r\nMessage-ID: <c@client.example>\r\n" + contentType + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] body = "Grüße aus Köln, Ärger vermeiden".getBytes(java.nio.charset.Charset.forName(sentAs));
        byte[] message = java.util.Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, message, head.length, body.length);

        assertThat(new MessageParser().parse(new ByteArrayInputStream(message)).textBody()).isEqualTo("Grüße aus Köln, Ärger vermeiden");
    }

    @Test
    void rawLatin1HeaderFieldsShouldReadAsWritten() throws IOException {
        byte[] message = ("From: J\u00f6rg M\u00fcller <joerg@client.example>\r\nSubject: Gr\u00fc\u00dfe aus K\u00f6ln\r\n"
            + "Message-ID: <l@client.example>\r\n\r\nhi\r\n").getBytes(StandardCharsets.ISO_8859_1);

        MessageFacts facts = new MessageParser().parse(new ByteArrayInputStream(message));

        assertThat(facts.subject()).isEqualTo("Grüße aus Köln");
        assertThat(facts.from()).contains(MailParty.of("joerg@client.example", "Jörg Müller"));
    }

    @Test
    void utf8WithABrokenByteShouldStayUtf8() throws IOException {
        byte[] head = "From: carol@client.example\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] before = "Grüße ".getBytes(StandardCharsets.UTF_8);
        byte[] body = java.util.Arrays.copyOf(before, before.length + 1);
        body[before.length] = (byte) 0xff; // a byte no UTF-8 has
        body = (new String(body, StandardCharsets.ISO_8859_1) + new String("aus Köln".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1))
            .getBytes(StandardCharsets.ISO_8859_1);
        byte[] message = java.util.Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, message, head.length, body.length);

        assertThat(new MessageParser().parse(new ByteArrayInputStream(message)).textBody()).isEqualTo("Grüße \uFFFDaus Köln");
    }

    @Test
    void theThreadShouldListInReplyToFirstThenReferencesNewestFirst() throws IOException {
        MessageFacts facts = parse("From: a@company.example\r\nIn-Reply-To: <3@x>\r\nReferences: <1@x> <2@x>\r\n <3@x>\r\n\r\nhi\r\n");

        assertThat(facts.threadIds()).containsExactly("<3@x>", "<2@x>", "<1@x>");
    }

    @Test
    void aMessageIdLongerThanACrmKeyFieldShouldBecomeAShortIdThatItsRepliesNameToo() throws IOException {
        String longId = "<" + "a".repeat(300) + "@client.example>";
        String keptId = "<" + "b".repeat(233) + "@client.example>"; // 250 characters: as written
        MessageFacts original = parse("From: carol@client.example\r\nMessage-ID: " + longId + "\r\nSubject: offer\r\n\r\nhi\r\n");
        MessageFacts reply = parse("From: alice@company.example\r\nMessage-ID: <r@company.example>\r\nIn-Reply-To: " + longId
            + "\r\nReferences: " + keptId + "\r\n " + longId + "\r\n\r\nthanks\r\n");

        assertThat(original.messageId()).hasValueSatisfying(id -> assertThat(id).hasSizeLessThanOrEqualTo(255)
            .matches("<sha256-[0-9a-f]{64}@long-message-id\\.invalid>"));
        assertThat(original.captureKey()).isEqualTo(original.messageId().get());
        assertThat(reply.threadIds()).containsExactly(original.messageId().get(), keptId);
    }

    @Test
    void aThreadOfThousandsOfReferencesShouldBeLookedUpByItsNewestAndItsFirst() throws IOException {
        String references = java.util.stream.IntStream.rangeClosed(1, 5000).mapToObj(n -> "<" + n + "@x>")
            .collect(java.util.stream.Collectors.joining("\r\n "));
        MessageFacts facts = parse("From: a@company.example\r\nIn-Reply-To: <5000@x>\r\nReferences: " + references + "\r\n\r\nhi\r\n");

        assertThat(facts.threadIds()).hasSize(MessageFacts.MAX_THREAD_IDS).startsWith("<5000@x>", "<4999@x>").endsWith("<4902@x>", "<1@x>");
        assertThat(facts.references()).hasSize(5000);
    }

    @Test
    void textHtmlAndAttachmentsShouldBeTakenApart() throws IOException {
        MessageFacts facts = parse("From: carol@client.example\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"m\"\r\n\r\n"
            + "--m\r\nContent-Type: multipart/alternative; boundary=\"a\"\r\n\r\n"
            + "--a\r\nContent-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nGr=FC=DFe\r\n"
            + "--a\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n<p>Gr\u00c3\u00bc\u00c3\u009fe</p>\r\n--a--\r\n"
            + "--m\r\nContent-Type: application/pdf; name=\"offer.pdf\"\r\nContent-Disposition: attachment; filename=\"offer.pdf\"\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n"
            + "--m\r\nContent-Type: message/rfc822\r\n\r\nFrom: x@y.example\r\nSubject: inner\r\n\r\ninner body\r\n--m--\r\n");

        assertThat(facts.textBody()).startsWith("Grüße");
        assertThat(facts.htmlBody().map(SafeHtml::html)).hasValueSatisfying(html -> assertThat(html).contains("<p>Grüße</p>"));
        assertThat(facts.attachments()).hasSize(2);
        assertThat(facts.attachments().get(0).fileName()).isEqualTo("offer.pdf");
        assertThat(facts.attachments().get(0).contentType()).isEqualTo("application/pdf");
        assertThat(new String(facts.attachments().get(0).content(), StandardCharsets.US_ASCII)).isEqualTo("%PDF-1.4\n");
        assertThat(facts.attachments().get(1).contentType()).isEqualTo("message/rfc822");
        assertThat(new String(facts.attachments().get(1).content(), StandardCharsets.US_ASCII)).contains("Subject: inner");
    }

    @Test
    void anHtmlOnlyMessageShouldGetATextViewWithItsLineBreaks() throws IOException {
        MessageFacts facts = parse("From: carol@client.example\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n"
            + "<html><head><style>p{}</style></head><body><p>Hello&nbsp;Alice,</p><p>a quote<br>please</p><script>x()</script></body></html>\r\n");

        assertThat(facts.textBody()).isEqualTo("Hello Alice,\na quote\nplease");
    }

    @Test
    void withoutMessageIdTheKeyShouldBeAStableDigestOfSenderDateSubjectAndBody() throws IOException {
        String message = "From: carol@client.example\r\nDate: Sun, 22 Nov 2026 10:15:00 +0300\r\nSubject: Hi\r\n\r\nbody one\r\n";

        MessageFacts first = parse(message);
        MessageFacts again = parse(message);
        MessageFacts otherBody = parse(message.replace("body one", "body two"));

        assertThat(first.messageId()).isEmpty();
        assertThat(first.captureKey()).startsWith("digest:").isEqualTo(again.captureKey()).isNotEqualTo(otherBody.captureKey());
        assertThat(CaptureKeys.of(null, "carol@client.example", "Sun, 22 Nov 2026 10:15:00 +0300", "Hi",
            "body one\r\n".getBytes(StandardCharsets.US_ASCII))).as("the pipeline's key from raw fields").isEqualTo(first.captureKey());
    }

    @Test
    void aBrokenMessageIdShouldStillGiveAnId() {
        assertThat(CaptureKeys.messageId("  <a@b>  <c@d>")).isEqualTo(Optional.of("<a@b>"));
        assertThat(CaptureKeys.messageId("bare-id@host")).isEqualTo(Optional.of("<bare-id@host>"));
        assertThat(CaptureKeys.messageId("   ")).isEmpty();
        assertThat(CaptureKeys.messageId(null)).isEmpty();
    }

    @Test
    void withoutHtmlInScopeTheHtmlBodyShouldBeNeitherKeptNorNeededForTheText() throws IOException {
        String both = "From: carol@client.example\r\nMessage-ID: <both@client.example>\r\n"
            + "Content-Type: multipart/alternative; boundary=a\r\n\r\n"
            + "--a\r\nContent-Type: text/plain\r\n\r\nPlain words.\r\n"
            + "--a\r\nContent-Type: text/html\r\n\r\n<p>Rich <b>words</b>.</p><script>x()</script>\r\n--a--\r\n";
        String htmlOnly = "From: carol@client.example\r\nMessage-ID: <html@client.example>\r\nContent-Type: text/html\r\n\r\n"
            + "<p>Only rich <b>words</b>.</p><script>x()</script>\r\n";

        MessageFacts textMode = new MessageParser().parse(new ByteArrayInputStream(both.getBytes(StandardCharsets.US_ASCII)),
            new ParseScope(0, false));
        MessageFacts htmlOnlyTextMode = new MessageParser().parse(new ByteArrayInputStream(htmlOnly.getBytes(StandardCharsets.US_ASCII)),
            new ParseScope(0, false));

        assertThat(textMode.htmlBody()).isEmpty();
        assertThat(textMode.textBody()).isEqualTo("Plain words.");
        assertThat(parse(both).htmlBody().map(SafeHtml::html)).hasValueSatisfying(html -> assertThat(html).contains("<b>words</b>").doesNotContain("script"));
        assertThat(htmlOnlyTextMode.htmlBody()).isEmpty();
        assertThat(htmlOnlyTextMode.textBody()).isEqualTo("Only rich words.").isEqualTo(parse(htmlOnly).textBody());
    }
}

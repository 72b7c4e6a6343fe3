package org.jamescrm.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jamescrm.model.AttachmentInfo;
import org.jamescrm.model.MailParty;
import org.jamescrm.model.MessageFacts;
import org.jamescrm.model.ParseScope;
import org.jamescrm.model.SafeHtml;
import org.jamescrm.testing.MimeCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every message of the shared corpus of real and broken MIME (bad boundaries, bad encodings, endless
 * nesting, truncated parts) parses into what it says: its decoded subject, its sender, the start of
 * its text and the names of its attachments, with a stable capture key, no control character in
 * header-derived text and safe HTML. A corpus file without expectations here fails, so the table
 * follows the corpus.
 */
class MimeCorpusParsingTest {
    private static final Pattern NOT_A_CLEAN_LINE = Pattern.compile("[\\x00-\\x1f\\x7f-\\x9f]");

    /** What a corpus message says; {@code from} is empty when it has no usable From address. */
    private record Expected(String subject, String from, String textStart, List<String> attachments) {
    }

    private static Map.Entry<String, Expected> row(String file, String subject, String from, String textStart, String... attachments) {
        return Map.entry(file, new Expected(subject, from, textStart, List.of(attachments)));
    }

    private static final Map<String, Expected> EXPECTED = Map.ofEntries(
            row("mimetools-testmsgs__2002_06_12_doublebound.msg", "MIME handling bug demo", "lhecking@nmrc.ie", "-- \r\nThe plot was", "attachment", "The Mutt E-Mail Client.html"),
            row("mimetools-testmsgs__ak-0696.msg", "[Fwd: Re: 34Mbit/s Netz]", "specht@kulturbox.de", "-- \r\nJuergen Specht -", "message.eml"),
            row("mimetools-testmsgs__attachment-filename-encoding-Latin1.msg", "", "", "Attachment", "attachment.\u00e4\u00f6\u00fc"),
            row("mimetools-testmsgs__attachment-filename-encoding-UTF8.msg", "", "", "Attachment", "attachment.\u00e4\u00f6\u00fc"),
            row("mimetools-testmsgs__badbound.msg", "Mail System Error - Returned Mail", "postmaster@challenge.uscom.com", ""),
            row("mimetools-testmsgs__badfile.msg", "note the bogus filename", "holm@sitka.colorado.edu", "This had better not end"),
            row("mimetools-testmsgs__bluedot-postcard.msg", "A postcard for you", "", "Having a wonderful", "bluedot.jpg"),
            row("mimetools-testmsgs__bluedot-simple.msg", "", "", "", "bluedot.jpg"),
            row("mimetools-testmsgs__double-bound.msg", "test of double-boundary behavior", "eryq@rhine.gsfc.nasa.gov", "This message contains", "attachment", "attachment", "attachment", "attachment", "attachment", "3d-eye.gif"),
            row("mimetools-testmsgs__double-semicolon.msg", "", "", "The better", "attachment"),
            row("mimetools-testmsgs__double-semicolon2.msg", "", "", "The better", "attachment"),
            row("mimetools-testmsgs__dup-names.msg", "Two images for you...", "eryq@rhine.gsfc.nasa.gov", "", "one.gif", "one.gif", "two.nice.gif", "two.nice.gif", "two.nice.gif"),
            row("mimetools-testmsgs__empty-preamble.msg", "", "", "Das ist ein Test.\r\n--", "dot.png"),
            row("mimetools-testmsgs__frag.msg", "[Fwd: [Fwd: [Fwd: FW: Another Priceless  Moment]]]", "omrec@mailandnews.com", "", "message.eml"),
            row("mimetools-testmsgs__german-qp.msg", "Testnachricht", "joern@zyn.de", "Hallo,\n\ndas ist eine"),
            row("mimetools-testmsgs__german.msg", "Re: 34Mbit/s Netz", "deuschle@mnh.telekom.de", "Hallo Herr Specht,"),
            row("mimetools-testmsgs__hdr-fakeout.msg", "test message 1", "russ@quist.on.ca", ""),
            row("mimetools-testmsgs__infinite.msg", "", "", "Return-Path:"),
            row("mimetools-testmsgs__intl.msg", "If you can read this you understand the example... so, cool!", "moore@cs.utk.edu", "How's"),
            row("mimetools-testmsgs__jt-0498.msg", "Fwd: PC800: Tall Hondaline Windshield Distortion", "gaffneydp@aol.com", "Hello to all, \n\nI", "message.eml"),
            row("mimetools-testmsgs__lennie.msg", "Test Mail Again", "lbj_ccsi@mindspring.com", "This is the message", "Pull3.html", "WWWIcon.gif"),
            row("mimetools-testmsgs__mp-msg-rfc822.msg", "[Fwd: Re: 34Mbit/s Netz]", "specht@kulturbox.de", "-- \nJuergen Specht -", "message.eml"),
            row("mimetools-testmsgs__multi-2evil.msg", "Two images for you...", "eryq@rhine.gsfc.nasa.gov", "When unpacked, this", "3d-compress.gif", "3d-eye-is-an-evil-filename because of excessive length and verbosity.  Unfortunately what can we do given an idiotic situation such as this?"),
            row("mimetools-testmsgs__multi-2gifs-base64.msg", "a multipart message/rfc822 which has been base64-encoded", "", "", "message.eml"),
            row("mimetools-testmsgs__multi-2gifs.msg", "Two images for you...", "eryq@rhine.gsfc.nasa.gov", "When unpacked, this", "3d-compress.gif", "3d-eye.gif"),
            row("mimetools-testmsgs__multi-bad.msg", "http://rhine.gsfc.nasa.gov:8080/ims-bin/v.b/imssearch", "holm@sitka.colorado.edu", "[[ERROR]] Error 600:"),
            row("mimetools-testmsgs__multi-badnames.msg", "Sample message", "nsb@bellcore.com", "This is explicitly", "foobar"),
            row("mimetools-testmsgs__multi-clen.msg", "Sample message", "nsb@bellcore.com", "This is implicitly", "attachment", "attachment"),
            row("mimetools-testmsgs__multi-digest.msg", "Sample digest message", "nsb@bellcore.com", "", "message.eml", "message.eml"),
            row("mimetools-testmsgs__multi-frag.msg", "A complex nested multipart example", "whorfin@yoyodyne.com", "Part 1 of the outer", "attachment", "3d-vise.gif", "3d-eye.gif", "attachment", "nice.name"),
            row("mimetools-testmsgs__multi-igor.msg", "Need help", "igor@fripp.aic.synapse.ru", "Dear Sir,\r\n\r\nI have a", "Makefile", "multi-nested.msg", "Parser.n.out"),
            row("mimetools-testmsgs__multi-igor2.msg", "Need help", "igor@fripp.aic.synapse.ru", "Dear Sir,\r\n\r\nI have a", "Makefile", "multi-nested.msg", "Parser.n.out"),
            row("mimetools-testmsgs__multi-nested.msg", "A complex nested multipart example", "whorfin@yoyodyne.com", "Part 1 of the outer", "attachment", "3d-vise.gif", "3d-eye.gif", "attachment", "filename"),
            row("mimetools-testmsgs__multi-nested2.msg", "A complex nested multipart example", "whorfin@yoyodyne.com", "Part 1 of the outer", "attachment", "3d-vise.gif", "3d-eye.gif", "attachment", "filename"),
            row("mimetools-testmsgs__multi-nested3.msg", "A complex nested multipart example", "whorfin@yoyodyne.com", "Part 1 of the outer", "attachment", "3d-vise.gif", "3d-eye.gif", "attachment", "nice.name"),
            row("mimetools-testmsgs__multi-simple.msg", "Sample message", "nsb@bellcore.com", "This is implicitly", "attachment"),
            row("mimetools-testmsgs__multi-weirdspace.msg", "Two images for you...", "eryq@rhine.gsfc.nasa.gov", "When unpacked, this", "3d-compress.gif", "3d-eye.gif"),
            row("mimetools-testmsgs__not-mime.msg", "Re: HELP! Problems installing PSNFSS, and other querys", "s.rahtz@elsevier.co.uk", "try reading the LaTeX"),
            row("mimetools-testmsgs__re-fwd.msg", "Re: Fwd: hello world", "", "", "message.eml"),
            row("mimetools-testmsgs__russian.msg", "Greetings", "", "", "\u0421\u043f\u0438\u0441\u043e\u043a.doc"),
            row("mimetools-testmsgs__sig-uu.msg", "Here's my UU'ed sig!", "", "Well, I don't know much"),
            row("mimetools-testmsgs__simple.msg", "Request for Leave", "eryq@rhine.gsfc.nasa.gov", "I will be taking"),
            row("mimetools-testmsgs__ticket-60931.msg", "", "", "HELLO"),
            row("mimetools-testmsgs__twopart.msg", "", "0647842285@uk.wowlg.com", "JOY LEE;Batiment Le", "uk7200_110_6.jpg"),
            row("mimetools-testmsgs__uu-junk-target.msg", "mime::parser", "support@webmail.uwohali.com", "Eryq -\r\n\r\nI", "attachment", "up.gif", "zeegee.gif"),
            row("mimetools-testmsgs__uu-junk.msg", "mime::parser", "support@webmail.uwohali.com", "Eryq -\r\n\r\nI", "attachment"),
            row("mimetools-testmsgs__uu-zeegee.msg", "uudecoding", "", "I've uuencoded the"),
            row("mimetools-testmsgs__x-gzip64.msg", "Testing!", "", "", ".signature"),
            row("testmsgs__bad-newlines-multiple-parts-base64.msg", "a multipart message/rfc822 which has been base64-encoded", "", "", "message.eml"),
            row("testmsgs__bad-newlines-multiple-parts.msg", "", "", "Text"),
            row("testmsgs__base64-encoded-text.msg", "a multipart message/rfc822 which has been base64-encoded as plain text", "", "Content-Type:"),
            row("testmsgs__base64encoded-rfc822message-nested.msg", "the body is a base64 encode rfc822 message including another base64 encoded rfc822 message", "", "", "message.eml"),
            row("testmsgs__base64encoded-rfc822message.msg", "a simple rfc822 message encoded in a base64 body.", "", "", "message.eml"),
            row("testmsgs__basic-plain-very-long-lines.msg", "Simple Subject", "foo@example.com", "This is a very simple"),
            row("testmsgs__basic-plain-with-bad-header-separator.msg", "Simple Subject", "foo@example.com", "This results in a bogus"),
            row("testmsgs__basic-plain.msg", "Simple Subject", "foo@example.com", "This is a very simple"),
            row("testmsgs__boundary-name-clash.msg", "test", "", "Please see attachment", "Daily_Stats-2022-05-12-0700.pdf"),
            row("testmsgs__ending-boundaries.msg", "", "", "first"),
            row("testmsgs__example.msg", "This is an example of a multipart mixed email with image content", "robertburrelldonkin@blueyonder.co.uk", "Licensed to the Apache", "blob.png", "blob.png", "rhubarb.txt"),
            row("testmsgs__intermediate-boundaries.msg", "", "", "first", "attachment"),
            row("testmsgs__malformedHeader-nocrlfcrlf.msg", "this is a subject", "", "Body"),
            row("testmsgs__malformedHeader-noheader.msg", "", "", ""),
            row("testmsgs__malformedHeaderStartsBody-nocrlfcrlf.msg", "this is a subject", "", "Body"),
            row("testmsgs__malformedHeaderStartsBody-noheader.msg", "", "", ""),
            row("testmsgs__misplaced-boundary.msg", "", "", "This should be a text"),
            row("testmsgs__missing-boundary.msg", "", "", ""),
            row("testmsgs__missing-inner-boundary.msg", "", "", "Foo"),
            row("testmsgs__missing-inner-start-boundary.msg", "", "", "Foo"),
            row("testmsgs__multipartdigestnestedemptyparts.msg", "", "me@example.com", "", "message.eml"),
            row("testmsgs__multipartemptypart.msg", "", "me@example.com", ""),
            row("testmsgs__multipartnestedemptyparts.msg", "", "me@example.com", "", "message.eml"),
            row("testmsgs__multipartnestedemptypartsnorfc822.msg", "", "me@example.com", ""),
            row("testmsgs__multipartnopart.msg", "", "me@example.com", ""),
            row("testmsgs__obsolete.msg", "The obsolete syntax allow spaces before the colon        and also empty lines in folding.", "", "body"),
            row("testmsgs__qp-body.msg", "subject", "", "7bit content with euro"),
            row("testmsgs__russian-headers.msg", "A simple subject", "", "", "\u0421\u043f\u0438\u0441\u043e\u043a.doc"),
            row("testmsgs__simple-attachment.msg", "Here is the attachment I was waiting for.", "bar@example.com", "Body.", "data.bin"),
            row("testmsgs__very-long-boundary.msg", "", "", "Text body"),
            row("testmsgs__very-very-long-boundary.msg", "", "", "Text body"),
            row("testmsgs__weird-boundary.msg", "", "", "Text body")
    );

    static Stream<Path> corpus() throws IOException {
        return MimeCorpus.messages();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void everyCorpusMessageShouldParseIntoWhatItSays(Path message) throws IOException {
        Expected expected = EXPECTED.get(message.getFileName().toString());
        assertThat(expected).as("expectations for %s", message.getFileName()).isNotNull();

        MessageFacts facts = parse(message);

        assertThat(facts.subject()).isEqualTo(expected.subject());
        assertThat(facts.from().map(party -> party.address().value()).orElse("")).isEqualTo(expected.from());
        assertThat(facts.textBody().strip()).startsWith(expected.textStart());
        assertThat(facts.attachments()).extracting(AttachmentInfo::fileName).containsExactlyElementsOf(expected.attachments());
        assertThat(parse(message).captureKey()).isNotBlank().isEqualTo(facts.captureKey());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void everyCorpusMessageShouldGiveCleanHeaderTextAndSafeHtml(Path message) throws IOException {
        MessageFacts facts = parse(message);

        assertClean(facts.subject());
        Stream.concat(Stream.concat(facts.from().stream(), facts.to().stream()), facts.cc().stream())
            .map(MailParty::nameOrLocalPart).forEach(MimeCorpusParsingTest::assertClean);
        facts.attachments().forEach(attachment -> {
            assertClean(attachment.fileName());
            assertThat(attachment.fileName()).doesNotContain("/", "\\");
        });
        facts.headers().names().forEach(name -> facts.headers().all(name).forEach(MimeCorpusParsingTest::assertClean));
        facts.htmlBody().map(SafeHtml::html).ifPresent(HtmlSanitizingTest::assertSafe);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void aParseWithoutHtmlShouldGiveTheSameFactsButTheHtml(Path message) throws IOException {
        MessageFacts full = parse(message);
        MessageFacts withoutHtml;
        try (InputStream in = Files.newInputStream(message)) {
            withoutHtml = new MessageParser().parse(in, new ParseScope(Long.MAX_VALUE, false));
        }

        assertThat(withoutHtml.htmlBody()).isEmpty();
        assertThat(withoutHtml.textBody()).isEqualTo(full.textBody());
        assertThat(withoutHtml.captureKey()).isEqualTo(full.captureKey());
        assertThat(withoutHtml.headers()).isEqualTo(full.headers());
        assertThat(withoutHtml.attachments()).extracting(AttachmentInfo::fileName, AttachmentInfo::size)
            .containsExactlyElementsOf(full.attachments().stream()
                .map(attachment -> org.assertj.core.groups.Tuple.tuple(attachment.fileName(), attachment.size())).toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void theSentTimeShouldBeWhatMime4jsLenientDateParserReads(Path message) throws IOException {
        java.util.Optional<org.apache.james.mime4j.dom.Message> parsed;
        try (InputStream in = Files.newInputStream(message)) {
            parsed = mime4j(in);
        }
        if (parsed.isEmpty()) {
            return; // a message mime4j cannot parse has no sent time either
        }

        assertThat(parse(message).sentAt()).isEqualTo(lenientSentTime(parsed.get()));
    }

    @Test
    void theCommonDateFormsShouldBeReadAsMime4jReadsThem() throws IOException {
        for (String date : List.of("Sun, 22 Nov 2026 10:15:00 +0000", "Mon, 2 Mar 2026 08:05:09 -0500", "22 Nov 2026 10:15:00 +0100",
            "Sun, 22 Nov 2026 10:15:00 GMT", "Sun, 22 Nov 2026 10:15:00 +0000 (UTC)", "Sun, 22 Nov 26 10:15:00 EST", "garbage")) {
            byte[] raw = ("From: carol@client.example\r\nDate: " + date + "\r\n\r\nBody\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            MessageFacts facts = new MessageParser().parse(new java.io.ByteArrayInputStream(raw));

            assertThat(facts.sentAt()).as(date).isEqualTo(lenientSentTime(mime4j(new java.io.ByteArrayInputStream(raw)).orElseThrow()));
        }
    }

    /** The message as mime4j parses it permissively, as the capture's parser does; empty when it cannot. */
    private static java.util.Optional<org.apache.james.mime4j.dom.Message> mime4j(InputStream in) throws IOException {
        org.apache.james.mime4j.message.DefaultMessageBuilder builder = new org.apache.james.mime4j.message.DefaultMessageBuilder();
        builder.setMimeEntityConfig(org.apache.james.mime4j.stream.MimeConfig.PERMISSIVE);
        builder.setDecodeMonitor(org.apache.james.mime4j.codec.DecodeMonitor.SILENT);
        try {
            return java.util.Optional.of(builder.parseMessage(in));
        } catch (RuntimeException | org.apache.james.mime4j.MimeIOException e) {
            return java.util.Optional.empty();
        }
    }

    /** The sent time mime4j's own lenient date parser reads; none when it fails. */
    private static java.util.Optional<java.time.Instant> lenientSentTime(org.apache.james.mime4j.dom.Message message) {
        try {
            return java.util.Optional.ofNullable(message.getDate()).map(java.util.Date::toInstant);
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    @Test
    void theExpectationsShouldNameOnlyCorpusFiles() throws IOException {
        Set<String> files;
        try (Stream<Path> messages = MimeCorpus.messages()) {
            files = messages.map(path -> path.getFileName().toString()).collect(Collectors.toSet());
        }

        assertThat(files).containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
    }

    private static MessageFacts parse(Path message) throws IOException {
        try (InputStream in = Files.newInputStream(message)) {
            return new MessageParser().parse(in);
        }
    }

    private static void assertClean(String text) {
        assertThat(NOT_A_CLEAN_LINE.matcher(text).find()).as("control character in '%s'", text).isFalse();
    }
}

package org.jamescrm.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.jamescrm.model.AttachmentInfo;
import org.jamescrm.model.MessageFacts;
import org.jamescrm.testing.Messages;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Attachment file names from Content-Disposition and Content-Type as real mailers write them
 * (RFC 2045 quoting, RFC 2231 extended values and continuations, RFC 2047 words in quoted names).
 */
class AttachmentFileNameTest {

    /** A message whose second part has the given header lines (CRLF-separated), parsed byte per char. */
    private static MessageFacts withPart(String partHeaders) {
        return Messages.parseLatin1("From: carol@client.example\r\nTo: alice@company.example\r\nSubject: files\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
            + "--b\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nsee attached\r\n"
            + "--b\r\n" + partHeaders + "\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b--\r\n");
    }

    static Stream<Arguments> headers() {
        return Stream.of(
            Arguments.of("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"Bob's 'Q3' offer.pdf\"", "Bob's 'Q3' offer.pdf"),
            Arguments.of("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=Bob's 'Q3' offer.pdf", "Bob's 'Q3' offer.pdf"),
            Arguments.of("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=it's.pdf", "it's.pdf"),
            Arguments.of("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"say \\\"hi\\\".pdf\"", "say \"hi\".pdf"),
            Arguments.of("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"a;b=c.pdf\"; size=10", "a;b=c.pdf"),
            Arguments.of("Content-Type: application/pdf\r\nContent-Disposition:   attachment ;\r\n   filename =  \"spaced.pdf\"  ", "spaced.pdf"),
            Arguments.of("Content-Type: application/pdf\r\nContent-Disposition: ATTACHMENT; FILENAME=\"upper.pdf\"", "upper.pdf"),
            Arguments.of("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename*=UTF-8''%E2%82%AC%20rates.pdf", "€ rates.pdf"),
            Arguments.of("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename*=iso-8859-1'en'%A3%20rates.pdf", "£ rates.pdf"),
            Arguments.of("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename*=\"UTF-8''quoted%20ext.pdf\"", "quoted ext.pdf"),
            Arguments.of("Content-Type: application/pdf\r\nContent-Disposition: attachment;\r\n filename*0=\"a long \";\r\n filename*1=\"file name.pdf\"", "a long file name.pdf"),
            Arguments.of("Content-Type: application/pdf\r\nContent-Disposition: attachment;\r\n filename*1=\"second.pdf\";\r\n filename*0=\"first-\"", "first-second.pdf"),
            Arguments.of("Content-Type: application/pdf\r\nContent-Disposition: attachment;\r\n filename*0*=UTF-8''%E2%82%AC;\r\n filename*1=\" rates \";\r\n filename*2*=%C2%A32.pdf", "€ rates £2.pdf"),
            Arguments.of("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"=?UTF-8?B?4oKsIHJhdGVzLnBkZg==?=\"", "€ rates.pdf"),
            Arguments.of("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"=?UTF-8?Q?Gr=C3=BC=C3=9Fe?= =?UTF-8?Q?_Q3.pdf?=\"", "Grüße Q3.pdf"),
            Arguments.of("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"=?utf-8?B?0J/RgNC40LLQtdGC?=\r\n =?utf-8?B?LnBkZg==?=\"", "Привет.pdf"),
            Arguments.of("Content-Type: application/pdf; name=\"from-type.pdf\"", "from-type.pdf"),
            Arguments.of("Content-Type: application/pdf; name=\"=?UTF-8?Q?caf=C3=A9.pdf?=\"\r\nContent-Disposition: attachment", "café.pdf"),
            Arguments.of("Content-Type: application/pdf; name*=UTF-8''na%C3%AFve.pdf\r\nContent-Disposition: attachment", "naïve.pdf"),
            Arguments.of("Content-Type: application/pdf; name=\"type.pdf\"\r\nContent-Disposition: attachment; filename=\"disposition.pdf\"", "disposition.pdf"),
            Arguments.of("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"one.pdf\"; filename=\"two.pdf\"", "one.pdf"),
            Arguments.of("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"plain.pdf\"; filename*=UTF-8''ext%C3%A9.pdf", "exté.pdf"),
            Arguments.of("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"C:\\Users\\bob\\x.pdf\"", "x.pdf"),
            Arguments.of("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"../../etc/passwd\"", "passwd"),
            Arguments.of("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename*=UTF-8''..%2F..%2Fx.pdf", "x.pdf"),
            Arguments.of("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"dir/\"", "attachment"),
            Arguments.of("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"unterminated.pdf", "unterminated.pdf"),
            Arguments.of("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"=?UTF-8?Q?evil=0D=0Aname=00.pdf?=\"", "evil name.pdf"),
            Arguments.of("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename*=UTF-8''%0D%0Aline%09tab.pdf", "line tab.pdf"),
            Arguments.of("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename*=''%E2%82%AC.pdf", "€.pdf"),
            Arguments.of("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename*=bogus''%41.pdf", "A.pdf"),
            Arguments.of("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"=?x-bogus?Q?a?=.pdf\"", "=?x-bogus?Q?a?=.pdf"),
            Arguments.of("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"\"", "attachment"),
            Arguments.of("Content-Type: application/pdf\r\nContent-Disposition: attachment", "attachment"),
            Arguments.of("Content-Type: application/pdf\r\nContent-Disposition: inline; filename=\"inline.pdf\"", "inline.pdf"),
            // RFC 2231 lets a name run to any length; the CRMs' name fields hold 255 characters
            Arguments.of("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"" + "q".repeat(500) + ".pdf\"",
                "q".repeat(195) + "\u2026.pdf"),
            Arguments.of("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename*0=\"" + "r".repeat(150)
                + "\";\r\n filename*1=\"" + "s".repeat(150) + "\"", "r".repeat(150) + "s".repeat(49) + "\u2026"),
            Arguments.of("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"" + "t".repeat(196) + ".pdf\"",
                "t".repeat(196) + ".pdf"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("headers")
    void theFileNameShouldBeDecodedAsTheMailerMeantIt(String partHeaders, String fileName) {
        MessageFacts facts = withPart(partHeaders);

        assertThat(facts.attachments()).extracting(AttachmentInfo::fileName).containsExactly(fileName);
        assertThat(facts.textBody()).startsWith("see attached");
    }
}

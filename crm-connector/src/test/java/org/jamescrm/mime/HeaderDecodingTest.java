package org.jamescrm.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.stream.Stream;

import org.jamescrm.model.MailParty;
import org.jamescrm.model.MessageFacts;
import org.jamescrm.testing.Messages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Subjects and display names as real and hostile mailers write them: encoded words decode whole or
 * stay as written, never half; what a CRM stores has no control character.
 */
class HeaderDecodingTest {

    private static MessageFacts fromField(String from) {
        return Messages.parseLatin1(Messages.message().from(from).build());
    }

    private static MessageFacts subjectField(String subject) {
        return Messages.parseLatin1(Messages.message().subject(subject).build());
    }

    static Stream<Arguments> displayNames() {
        return Stream.of(
            // the probe's case: a decoded CRLF then "Bcc:" made the parser see a group and a name "_1?="
            Arguments.of("=?UTF-8?Q?Evil=0D=0ABcc:_1?= <e@client.example>", "e@client.example", "Evil Bcc: 1"),
            Arguments.of("=?UTF-8?Q?Evil=0D=0A_1?= <e@client.example>", "e@client.example", "Evil 1"),
            Arguments.of("=?UTF-8?B?RXZpbA0KMQ==?= <e@client.example>", "e@client.example", "Evil 1"),
            Arguments.of("\"=?UTF-8?Q?Evil=0D=0A_1?=\" <e@client.example>", "e@client.example", "Evil 1"),
            Arguments.of("=?UTF-8?Q?Evil=00Nul?= <e@client.example>", "e@client.example", "EvilNul"),
            Arguments.of("=?UTF-8?Q?Smith,_John?= <j@client.example>", "j@client.example", "Smith, John"),
            Arguments.of("=?UTF-8?Q?Smith=2C_John?= <j@client.example>", "j@client.example", "Smith, John"),
            Arguments.of("=?UTF-8?Q?Anna_<boss@company.example>?= <a@client.example>", "a@client.example", "Anna <boss@company.example>"),
            Arguments.of("=?UTF-8?Q?Anna_=22The_Boss=22?= <a@client.example>", "a@client.example", "Anna \"The Boss\""),
            Arguments.of("=?UTF-8?Q?Ann?= =?UTF-8?Q?a_Lee?= <a@client.example>", "a@client.example", "Anna Lee"),
            Arguments.of("=?UTF-8?Q?Ann?=\t=?UTF-8?Q?a?= Lee <a@client.example>", "a@client.example", "Anna Lee"),
            // a euro sign split over two words, as Outlook and Gmail split long names
            Arguments.of("=?UTF-8?B?4oI=?= =?UTF-8?B?rCBCYW5r?= <b@client.example>", "b@client.example", "\u20ac Bank"),
            Arguments.of("=?ISO-8859-1?Q?J=F6rg?= M=?UTF-8?Q?=C3=BC?=ller <j@client.example>", "j@client.example", "Jörg Müller"),
            Arguments.of("=?UTF-8*en?Q?Carol?= <c@client.example>", "c@client.example", "Carol"),
            // malformed: missing ?=, unknown charset, broken base64 stay as written
            Arguments.of("=?UTF-8?Q?Caf=C3=A9 <c@client.example>", "c@client.example", "=?UTF-8?Q?Caf=C3=A9"),
            Arguments.of("=?x-no-such?Q?Carol?= <c@client.example>", "c@client.example", "=?x-no-such?Q?Carol?="),
            Arguments.of("=?UTF-8?B?!!!?= <c@client.example>", "c@client.example", "=?UTF-8?B?!!!?="),
            Arguments.of("Carol (=?UTF-8?Q?the_client?=) <c@client.example>", "c@client.example", "Carol"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("displayNames")
    void encodedDisplayNamesShouldDecodeWholeOrStayAsWritten(String field, String address, String name) {
        MessageFacts facts = fromField(field);

        assertThat(facts.from()).contains(MailParty.of(address, name));
    }

    @Test
    void aCommaInsideAnEncodedWordShouldNotSplitTheAddressList() {
        MessageFacts facts = Messages.parseLatin1(Messages.message()
            .to("=?UTF-8?Q?Smith,_John?= <j@client.example>, =?UTF-8?Q?Lee:_Ann?= <a@client.example>").build());

        assertThat(facts.to()).containsExactly(MailParty.of("j@client.example", "Smith, John"),
            MailParty.of("a@client.example", "Lee: Ann"));
    }

    @Test
    void rawUtf8DisplayNamesShouldNotTurnIntoMojibake() {
        MessageFacts facts = Messages.parse(Messages.message().from("Jörg Müller € <j@client.example>")
            .to("\"Zoë, the Buyer\" <z@client.example>").build().getBytes(StandardCharsets.UTF_8));

        assertThat(facts.from()).contains(MailParty.of("j@client.example", "Jörg Müller €"));
        assertThat(facts.to()).containsExactly(MailParty.of("z@client.example", "Zoë, the Buyer"));
    }

    @Test
    void rawUtf8TextThatLooksMisreadShouldBeReadOnceAsThePipelineReadsIt() {
        String subject = "Ã© is how é looks misread";
        byte[] message = Messages.message().subject(subject).build().getBytes(StandardCharsets.UTF_8);

        assertThat(Messages.parse(message).subject()).isEqualTo(subject);
        assertThat(HeaderValues.decode(new String(subject.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)))
            .as("the mail pipeline, given the bytes as jakarta.mail reads them").isEqualTo(subject);
    }

    @Test
    void aNulInADisplayNameShouldBeRemoved() {
        MessageFacts facts = fromField("Bob\u0000by <b@client.example>");

        assertThat(facts.from().flatMap(MailParty::displayName)).contains("Bobby");
    }

    static Stream<Arguments> subjects() {
        return Stream.of(
            Arguments.of("=?UTF-8?Q?Offer=0D=0ABcc:_all@company.example?=", "Offer Bcc: all@company.example"),
            Arguments.of("=?UTF-8?B?T2ZmZXINCg0KYm9keQ==?=", "Offer body"),
            Arguments.of("=?UTF-8?Q?Tab=09and=00nul=7Fdel=C2=85nel?=", "Tab andnuldelnel"),
            Arguments.of("=?UTF-8?Q?invoice=E2=80=AEfdp.exe?=", "invoicefdp.exe"),
            Arguments.of("Re: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?= =?UTF-8?Q?_aus_Berlin?=", "Re: Grüße aus Berlin"),
            Arguments.of("=?UTF-8?Q?a?= b =?UTF-8?Q?c?=", "a b c"),
            Arguments.of("=?UTF-8?Q?Price_=3D_10?=", "Price = 10"),
            Arguments.of("=?UTF-8?Q?50=_off?=", "50= off"),
            Arguments.of("=?UTF-8?B?w6k?=", "é"),
            Arguments.of("=?UTF-8?Q?Half", "=?UTF-8?Q?Half"),
            Arguments.of("=?bogus?B?SGk=?= there", "=?bogus?B?SGk=?= there"),
            Arguments.of("=?UTF-8?B?SGk$$?=", "=?UTF-8?B?SGk$$?="),
            Arguments.of("Plain \u0001subject\u001f", "Plain subject"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("subjects")
    void subjectsShouldDecodeWholeOrStayAsWrittenAndLoseControlCharacters(String field, String subject) {
        assertThat(subjectField(field).subject()).isEqualTo(subject);
    }

    @Test
    void headerValuesShouldBeCleanLinesToo() {
        MessageFacts facts = Messages.parseLatin1(Messages.message().header("X-Mailer", "=?UTF-8?Q?a=0D=0AX-Evil:_1?=").build());

        assertThat(facts.headers().first("X-Mailer")).isEqualTo(Optional.of("a X-Evil: 1"));
    }

    @Test
    void theMailPipelineShouldDecodeHeaderValuesTheSameWay() {
        assertThat(HeaderValues.decode("=?UTF-8?Q?Evil=0D=0A?=\r\n =?UTF-8?Q?_1?=")).isEqualTo("Evil 1");
        assertThat(HeaderValues.decode("=?UTF-8?B?!!!?=")).isEqualTo("=?UTF-8?B?!!!?=");
    }
}

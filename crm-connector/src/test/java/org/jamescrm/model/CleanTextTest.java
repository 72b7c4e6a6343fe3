package org.jamescrm.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The control characters header-derived text and bodies lose, and where the model applies it. */
class CleanTextTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "'a\r\nb'|'a b'",
        "'a \r\n\tb'|'a b'",
        "'a\nb\rc'|'a b c'",
        "'a\r\n\r\nb'|'a b'",
        "'a\tb'|'a b'",
        "'a\u0000b'|'ab'",
        "'a\u0001\u001f\u007fb'|'ab'",
        "'a\u0085\u009fb'|'ab'",
        "'a\u2028b'|'a b'",
        "'invoice\u202efdp.exe'|'invoicefdp.exe'",
        "'\u2066x\u2069'|'x'",
        "'Grüße, Привет €'|'Grüße, Привет €'"})
    void aLineShouldLoseEveryControlCharacter(String text, String clean) {
        assertThat(CleanText.line(text)).isEqualTo(clean);
    }

    @Test
    void aBodyShouldKeepItsLinesAndTabs() {
        assertThat(CleanText.body("a\r\n\tb\u0000c\u0007\n")).isEqualTo("a\r\n\tbc\n");
    }

    @Test
    void anAddressWithAControlCharacterShouldBeNoAddress() {
        assertThatThrownBy(() -> EmailAddress.of("bo\u0000b@client.example"))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("not an e-mail address: 'bo\u0000b@client.example'");
        assertThatThrownBy(() -> EmailAddress.of("bob\u0085@client.example")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EmailAddress.of("bob@client\u202e.example")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theModelShouldHoldOnlyCleanHeaderText() {
        MailParty party = new MailParty(EmailAddress.of("e@client.example"), Optional.of("Evil\r\n 1\u0000"));
        AttachmentInfo attachment = new AttachmentInfo("a\r\nb\u0000.pdf", "application/pdf\r\n", 1, new byte[] {1});
        MessageHeaders headers = MessageHeaders.builder().add("X-Test", "v\r\n\u0000al").build();
        MessageFacts facts = new MessageFacts("key", Optional.of("<a\u0000@b>"), Optional.of(party), List.of(), List.of(),
            "Sub\r\nject\u0000", Optional.empty(), List.of("<r\n@b>"), List.of(), headers, "text\u0000\r\n", Optional.of(SafeHtml.sanitize("<p>x\u0000</p>")),
            List.of(attachment));

        assertThat(party.displayName()).contains("Evil 1");
        assertThat(attachment.fileName()).isEqualTo("a b.pdf");
        assertThat(attachment.contentType()).isEqualTo("application/pdf ");
        assertThat(headers.first("x-test")).contains("v al");
        assertThat(facts.subject()).isEqualTo("Sub ject");
        assertThat(facts.messageId()).contains("<a@b>");
        assertThat(facts.inReplyTo()).containsExactly("<r @b>");
        assertThat(facts.textBody()).isEqualTo("text\r\n");
        assertThat(facts.htmlBody().map(SafeHtml::html)).contains("<p>x</p>");
    }
}

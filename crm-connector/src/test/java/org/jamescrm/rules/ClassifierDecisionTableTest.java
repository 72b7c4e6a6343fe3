package org.jamescrm.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.model.Envelope;
import org.jamescrm.model.MessageHeaders;
import org.jamescrm.settings.CaptureSettings;
import org.jamescrm.settings.SettingsParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.jamescrm.spi.ConnectorProviders;

/** Who is who and what is never captured (capture-rules §1-3), as decision tables. */
class ClassifierDecisionTableTest {
    static final CaptureSettings SETTINGS = settings("<internal><domain>subsidiary.example</domain>"
        + "<address>accounting@outsourced.example</address></internal>");

    private static CaptureSettings settings(String body) {
        return new SettingsParser(ConnectorProviders.load()).parse(new ByteArrayInputStream(("<crmcapture>" + body + "</crmcapture>").getBytes(StandardCharsets.UTF_8)),
            "t.xml");
    }

    private static Classification classify(CaptureSettings settings, String sender, String recipients, String... headers) {
        MessageHeaders.Builder builder = MessageHeaders.builder();
        for (String header : headers) {
            int colon = header.indexOf(':');
            builder.add(header.substring(0, colon), header.substring(colon + 1).strip());
        }
        Optional<EmailAddress> from = sender.isEmpty() ? Optional.empty() : Optional.of(EmailAddress.of(sender));
        List<EmailAddress> to = Arrays.stream(recipients.split(" ")).map(EmailAddress::of).toList();
        return new Classifier().classify(new MessageSummary(new Envelope(from, to), from, builder.build(), false),
            "company.example"::equals, settings);
    }

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource({
        "carol@client.example, alice@company.example, INBOUND, carol@client.example",
        "carol@client.example, alice@company.example dave@client.example, INBOUND, carol@client.example",
        "alice@company.example, carol@client.example, OUTBOUND, carol@client.example",
        "alice@company.example, carol@client.example bob@company.example dave@client.example, OUTBOUND, carol@client.example dave@client.example",
        "alice@company.example, bob@company.example, INTERNAL, ''",
        "alice@company.example, eve@subsidiary.example, INTERNAL, ''",
        "accounting@outsourced.example, alice@company.example, INTERNAL, ''",
        "carol@client.example, dave@client.example, RELAY, ''",
    })
    void directionAndClientsShouldFollowWhoIsLocal(String sender, String recipients, Direction direction, String clients) {
        Classification classification = classify(SETTINGS, sender, recipients);

        assertThat(classification.direction()).isEqualTo(direction);
        assertThat(classification.clients()).map(EmailAddress::value)
            .containsExactlyElementsOf(clients.isEmpty() ? List.of() : List.of(clients.split(" ")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "X-Spam-Flag: YES|SPAM",
        "X-Spam-Status: Yes, score=9.1 required=5.0|SPAM",
        "X-Spam-Status: No, score=0.1|CAPTURABLE",
        "Auto-Submitted: auto-replied|AUTOMATED",
        "Auto-Submitted: auto-generated|AUTOMATED",
        "Auto-Submitted: no|CAPTURABLE",
        "Precedence: bulk|AUTOMATED",
        "Precedence: junk|AUTOMATED",
        "Precedence: list|AUTOMATED",
        "Precedence: first-class|CAPTURABLE",
        "Precedence: auto_reply|AUTOMATED",
        "X-Autoresponder: yes|AUTOMATED",
        "List-Id: <news.client.example>|AUTOMATED",
        "List-Unsubscribe: <mailto:leave@client.example>|AUTOMATED",
        "X-Autoreply: yes|AUTOMATED",
        "X-Autorespond: yes|AUTOMATED",
        "X-Auto-Response-Suppress: OOF|AUTOMATED",
        "X-Auto-Response-Suppress: DR|CAPTURABLE",
        "Content-Type: multipart/report; report-type=delivery-status|AUTOMATED",
        "Subject: Out of Office: back on Monday|AUTOMATED",
        "Subject: Automatic reply: Quote|AUTOMATED",
        "Subject: Abwesenheitsnotiz: Angebot|AUTOMATED",
        "Subject: Risposta automatica: preventivo|AUTOMATED",
        "Subject: Автоответ: предложение|AUTOMATED",
        "Subject: Automatická odpověď: nabídka|AUTOMATED",
        "Subject: Auto: Quote|AUTOMATED",
        "Subject: Out of stock items|CAPTURABLE",
        "Subject: Quote for 40 chairs|CAPTURABLE",
    })
    void spamAndAutomatedMailShouldBeRecognizedByItsHeaders(String header, String expected) {
        Classification classification = classify(SETTINGS, "carol@client.example", "alice@company.example", header);

        assertThat(classification.exclusion().map(exclusion -> exclusion.reason().name()).orElse("CAPTURABLE")).isEqualTo(expected);
    }

    @ParameterizedTest(name = "sender {0}")
    @CsvSource({"mailer-daemon@client.example", "postmaster@client.example", "MAILER-DAEMON@client.example"})
    void deliveryDaemonsShouldBeAutomated(String sender) {
        assertThat(classify(SETTINGS, sender, "alice@company.example").exclusion()).hasValueSatisfying(
            exclusion -> assertThat(exclusion.reason()).isEqualTo(ReasonCode.AUTOMATED));
    }

    @Test
    void aNullSenderShouldBeAutomated() {
        MessageSummary bounce = new MessageSummary(new Envelope(Optional.empty(), List.of(EmailAddress.of("alice@company.example"))),
            Optional.of(EmailAddress.of("carol@client.example")), MessageHeaders.empty(), false);

        assertThat(new Classifier().classify(bounce, "company.example"::equals, SETTINGS).exclusion())
            .hasValueSatisfying(exclusion -> assertThat(exclusion.detail()).isEqualTo("null sender (bounce or delivery report)"));
    }

    @Test
    void skipAutomatedOffShouldLetAutoRepliesThrough() {
        CaptureSettings settings = settings("<defaults><skipAutomated>false</skipAutomated></defaults>");

        assertThat(classify(settings, "carol@client.example", "alice@company.example", "Auto-Submitted: auto-replied").capturable()).isTrue();
    }

    @Test
    void theMailServersSpamVerdictShouldCountAsSpam() {
        MessageSummary flagged = new MessageSummary(new Envelope(Optional.of(EmailAddress.of("carol@client.example")),
            List.of(EmailAddress.of("alice@company.example"))), Optional.of(EmailAddress.of("carol@client.example")), MessageHeaders.empty(), true);

        assertThat(new Classifier().classify(flagged, "company.example"::equals, SETTINGS).exclusion())
            .hasValueSatisfying(exclusion -> assertThat(exclusion.reason()).isEqualTo(ReasonCode.SPAM));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "X-Spam-Flag: YES|Auto-Submitted: auto-replied|SPAM",
        "Auto-Submitted: auto-replied|Subject: ignored|AUTOMATED",
    })
    void spamShouldWinOverAutomatedAndAutomatedOverSettings(String first, String second, ReasonCode expected) {
        CaptureSettings settings = settings("<defaults><integration>off</integration></defaults>"
            + "<filter name=\"all\" field=\"subject\" pattern=\".\"/>");

        assertThat(classify(settings, "carol@client.example", "alice@company.example", first, second).exclusion())
            .hasValueSatisfying(exclusion -> assertThat(exclusion.reason()).isEqualTo(expected));
    }

    @Test
    void filtersShouldWinOverMailboxExclusionNeverLogAndIntegration() {
        CaptureSettings settings = settings("<neverLog><domain>client.example</domain></neverLog>"
            + "<filter name=\"quotes\" field=\"subject\" pattern=\"quote\"/>"
            + "<mailbox address=\"alice@company.example\"><excluded>true</excluded><integration>off</integration></mailbox>");

        assertThat(classify(settings, "carol@client.example", "alice@company.example", "Subject: Quote").exclusion().orElseThrow().label())
            .isEqualTo("FILTERED:quotes");
        assertThat(classify(settings, "carol@client.example", "alice@company.example", "Subject: Hello").exclusion().orElseThrow().reason())
            .isEqualTo(ReasonCode.MAILBOX_EXCLUDED);
    }

    @Test
    void aRecipientFilterShouldLookAtEnvelopeAndHeaderRecipients() {
        CaptureSettings settings = settings("<filter name=\"shop\" field=\"recipient\" pattern=\"^shop@company\\.example$\"/>");

        assertThat(classify(settings, "carol@client.example", "shop@company.example").exclusion().orElseThrow().label())
            .isEqualTo("FILTERED:shop");
        assertThat(classify(settings, "carol@client.example", "alice@company.example").capturable()).isTrue();
    }
}

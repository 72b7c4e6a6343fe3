package org.jamescrm.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.model.Envelope;
import org.jamescrm.model.MessageHeaders;
import org.jamescrm.settings.CaptureSettings;
import org.jamescrm.testing.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Who is who and what is never captured (capture-rules §1–3), with the server domain
 * {@code company.example} and the extra internal domain {@code subsidiary.example}.
 */
class ClassifierTest {
    static final String SERVER_DOMAIN = "company.example";
    static final CaptureSettings SETTINGS = Settings.of("<internal><domain>subsidiary.example</domain></internal>");
    static final EmailAddress ALICE = EmailAddress.of("alice@company.example");
    static final EmailAddress BOB = EmailAddress.of("bob@company.example");
    static final EmailAddress CAROL = EmailAddress.of("carol@client.example");

    /** A message as the pipeline sees it: by default from carol@client.example to alice@company.example. */
    static final class Mail {
        private Optional<EmailAddress> sender = Optional.of(CAROL);
        private Optional<EmailAddress> from = Optional.of(CAROL);
        private List<EmailAddress> recipients = List.of(ALICE);
        private final MessageHeaders.Builder headers = MessageHeaders.builder();
        private boolean spamVerdict;

        static Mail from(String address) {
            Mail mail = new Mail();
            mail.sender = Optional.of(EmailAddress.of(address));
            mail.from = mail.sender;
            return mail;
        }

        static Mail fromCarol() {
            return new Mail();
        }

        Mail to(String... addresses) {
            recipients = Arrays.stream(addresses).map(EmailAddress::of).toList();
            return this;
        }

        /** The envelope sender alone, the From field kept. */
        Mail envelopeSender(String address) {
            sender = Optional.of(EmailAddress.of(address));
            return this;
        }

        /** The null reverse path of bounces ({@code MAIL FROM:<>}). */
        Mail nullSender() {
            sender = Optional.empty();
            return this;
        }

        Mail withoutFrom() {
            from = Optional.empty();
            return this;
        }

        /** A header line, {@code Name: value}. */
        Mail header(String line) {
            int colon = line.indexOf(':');
            headers.add(line.substring(0, colon), line.substring(colon + 1).strip());
            return this;
        }

        Mail spamVerdict() {
            spamVerdict = true;
            return this;
        }

        MessageSummary summary() {
            return new MessageSummary(new Envelope(sender, recipients), from, headers.build(), spamVerdict);
        }

        Classification classify() {
            return classify(SETTINGS);
        }

        Classification classify(CaptureSettings settings) {
            return new Classifier().classify(summary(), SERVER_DOMAIN::equals, settings);
        }
    }

    private static List<EmailAddress> addresses(String spaceSeparated) {
        List<EmailAddress> addresses = new ArrayList<>();
        for (String address : spaceSeparated.split(" ")) {
            if (!address.isBlank()) {
                addresses.add(EmailAddress.of(address));
            }
        }
        return addresses;
    }

    private static String reason(Classification classification) {
        return classification.exclusion().map(Classification.Exclusion::label).orElse("CAPTURABLE");
    }

    // ---- direction (§2) ----

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource({
        "carol@client.example,  alice@company.example,                                          INBOUND",
        "carol@client.example,  alice@company.example dave@client.example,                      INBOUND",
        "carol@client.example,  eve@subsidiary.example,                                         INBOUND",
        "Carol@Client.EXAMPLE,  Alice@COMPANY.example,                                          INBOUND",
        "alice@company.example, carol@client.example,                                           OUTBOUND",
        "alice@company.example, bob@company.example carol@client.example,                       OUTBOUND",
        "eve@subsidiary.example, carol@client.example,                                          OUTBOUND",
        "alice@company.example, bob@company.example,                                            INTERNAL",
        "alice@company.example, eve@subsidiary.example,                                         INTERNAL",
        "eve@subsidiary.example, alice@company.example,                                         INTERNAL",
        "carol@client.example,  dave@client.example,                                            RELAY",
        "carol@client.example,  dave@client.example erin@other.example,                         RELAY",
    })
    void directionShouldFollowWhetherSenderAndRecipientsAreLocal(String sender, String recipients, Direction expected) {
        Classification classification = Mail.from(sender).to(recipients.split(" ")).classify();

        assertThat(classification.direction()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}: clients [{2}]")
    @CsvSource({
        "carol@client.example,  alice@company.example,                                         carol@client.example",
        "carol@client.example,  alice@company.example dave@client.example,                     carol@client.example",
        "alice@company.example, carol@client.example,                                          carol@client.example",
        "alice@company.example, bob@company.example carol@client.example eve@subsidiary.example dave@client.example, carol@client.example dave@client.example",
        "alice@company.example, bob@company.example,                                           ''",
        "carol@client.example,  dave@client.example,                                           ''",
    })
    void clientsShouldBeTheClientSenderOfInboundAndTheClientRecipientsOfOutboundMail(String sender, String recipients,
                                                                                     String clients) {
        Classification classification = Mail.from(sender).to(recipients.split(" ")).classify();

        assertThat(classification.clients()).containsExactlyElementsOf(addresses(clients));
    }

    @Test
    void localRecipientsOfOutboundMailShouldBeEmployeesNeverClients() {
        Classification classification = Mail.from("alice@company.example")
            .to("bob@company.example", "carol@client.example").classify();

        assertThat(classification.employees()).containsExactly(ALICE, BOB);
        assertThat(classification.clients()).containsExactly(CAROL);
    }

    @Test
    void theMailboxOfInboundMailShouldBeTheFirstLocalRecipient() {
        Classification classification = Mail.fromCarol().to("dave@client.example", "bob@company.example", "alice@company.example")
            .classify();

        assertThat(classification.mailbox()).contains(BOB);
        assertThat(classification.employees()).containsExactly(BOB, ALICE);
    }

    @Test
    void theMailboxOfOutboundMailShouldBeTheSender() {
        Classification classification = Mail.from("alice@company.example").to("carol@client.example").classify();

        assertThat(classification.mailbox()).contains(ALICE);
    }

    @Test
    void inboundMailFromAClientShouldBeCapturable() {
        Classification classification = Mail.fromCarol().to("alice@company.example").classify();

        assertThat(classification.capturable()).isTrue();
        assertThat(classification.manualSave()).isFalse();
    }

    @Test
    void internalMailShouldBeExcludedWithItsReason() {
        Classification classification = Mail.from("alice@company.example").to("bob@company.example").classify();

        assertThat(classification.exclusion()).contains(
            new Classification.Exclusion(ReasonCode.INTERNAL, Optional.empty(), "only company addresses take part"));
    }

    @Test
    void relayedMailShouldBeExcludedWithItsReason() {
        Classification classification = Mail.fromCarol().to("dave@client.example").classify();

        assertThat(classification.exclusion()).contains(
            new Classification.Exclusion(ReasonCode.RELAY, Optional.empty(), "no company address takes part"));
    }

    @Test
    void aServerDomainShouldOnlyMatchExactlyNotBySuffix() {
        Classification classification = Mail.from("carol@notcompany.example").to("alice@company.example").classify();

        assertThat(classification.direction()).isEqualTo(Direction.INBOUND);
        assertThat(classification.clients()).containsExactly(EmailAddress.of("carol@notcompany.example"));
    }

    @Test
    void anExtraInternalAddressShouldBeLocal() {
        CaptureSettings settings = Settings.of("<internal><address>accounting@outsourced.example</address></internal>");

        Classification classification = Mail.from("accounting@outsourced.example").to("alice@company.example").classify(settings);

        assertThat(classification.direction()).isEqualTo(Direction.INTERNAL);
    }

    // ---- spam (§3 SPAM) ----

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "X-Spam-Flag: YES|X-Spam-Flag: YES",
        "X-Spam-Flag: yes|X-Spam-Flag: yes",
        "X-Spam-Status: Yes, score=9.1 required=5.0|X-Spam-Status: Yes, score=9.1 required=5.0",
    })
    void aSpamFilterHeaderShouldMarkTheMessageAsSpam(String header, String detail) {
        Classification classification = Mail.fromCarol().header(header).classify();

        assertThat(classification.exclusion()).contains(new Classification.Exclusion(ReasonCode.SPAM, Optional.empty(), detail));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"X-Spam-Flag: NO", "X-Spam-Status: No, score=0.1 required=5.0"})
    void aSpamFilterHeaderSayingNoShouldNotMarkTheMessage(String header) {
        assertThat(Mail.fromCarol().header(header).classify().capturable()).isTrue();
    }

    @Test
    void theMailServersSpamVerdictShouldMarkTheMessageAsSpam() {
        Classification classification = Mail.fromCarol().spamVerdict().classify();

        assertThat(classification.exclusion()).contains(
            new Classification.Exclusion(ReasonCode.SPAM, Optional.empty(), "mail server spam verdict"));
    }

    // ---- automated mail (§3 AUTOMATED) ----

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "Auto-Submitted: auto-replied|Auto-Submitted: auto-replied",
        "Auto-Submitted: auto-generated|Auto-Submitted: auto-generated",
        "Auto-Submitted: auto-notified|Auto-Submitted: auto-notified",
        "Precedence: bulk|Precedence: bulk",
        "Precedence: junk|Precedence: junk",
        "Precedence: list|Precedence: list",
        "Precedence: Bulk|Precedence: Bulk",
        "List-Id: Client news <news.client.example>|List-Id present",
        "List-Unsubscribe: <mailto:leave@client.example>|List-Unsubscribe present",
        "X-Autoreply: yes|X-Autoreply present",
        "X-Autorespond: vacation|X-Autorespond present",
        "X-Auto-Response-Suppress: All|X-Auto-Response-Suppress: All",
        "Content-Type: multipart/report; report-type=delivery-status; boundary=x|Content-Type: multipart/report",
        "Content-Type: Multipart/Report; report-type=disposition-notification|Content-Type: multipart/report",
    })
    void automatedMailShouldBeRecognizedByItsHeaders(String header, String detail) {
        Classification classification = Mail.fromCarol().header(header).classify();

        assertThat(classification.exclusion()).contains(new Classification.Exclusion(ReasonCode.AUTOMATED, Optional.empty(), detail));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "Auto-Submitted: no",
        "Auto-Submitted: No",
        "Precedence: first-class",
        "X-Auto-Response-Suppress: DR, RN",
        "Content-Type: multipart/mixed; boundary=x",
    })
    void headersOfMailWrittenByAPersonShouldNotMarkItAutomated(String header) {
        assertThat(Mail.fromCarol().header(header).classify().capturable()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        // English (Outlook, Exchange, common autoresponders)
        "Out of Office: back on Monday",
        "Automatic reply: Quote for 40 chairs",
        "Auto-Reply: Quote for 40 chairs",
        "Autoreply: Quote",
        "AutoResponse: Quote",
        "Auto: Quote",
        // German
        "Abwesenheitsnotiz: Angebot",
        // Italian (Outlook)
        "Risposta automatica: preventivo",
        // Russian
        "Автоответ: предложение",
        "АВТООТВЕТ: предложение",
        // Czech (Outlook)
        "Automatická odpověď: nabídka",
        "Automaticka odpověď: nabidka",
        // Outlook's other locales
        "Réponse automatique : devis",
        "Réponse automatique: devis",
        "Respuesta automática: presupuesto",
        "Resposta automática: orçamento",
        "Automatisch antwoord: offerte",
        "Odpowiedź automatyczna: oferta",
        "Automatiskt svar: offert",
        "Automatisk svar: tilbud",
        "Autosvar: tilbud",
        "Automaattinen vastaus: tarjous",
        "Automatikus válasz: ajánlat",
        "Răspuns automat: ofertă",
        "Automatická odpoveď: ponuka",
        "Otomatik yanıt: teklif",
        "Αυτόματη απάντηση: προσφορά",
        "Автовідповідь: пропозиція",
        "Автоматична відповідь: пропозиція",
        "자동 회신: 견적",
        "自動応答: 見積もり",
        "自动回复：报价",
        "OOF: back Monday",
    })
    void outOfOfficeSubjectsShouldBeAutomated(String subject) {
        Classification classification = Mail.fromCarol().header("Subject: " + subject).classify();

        assertThat(classification.exclusion()).contains(new Classification.Exclusion(ReasonCode.AUTOMATED, Optional.empty(),
            "out-of-office subject '" + subject + "'"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        // German Outlook/Exchange
        "Automatische Antwort: Angebot",
        // Russian Outlook/Exchange
        "Автоматический ответ: предложение",
    })
    void outOfOfficeSubjectsOfGermanAndRussianOutlookShouldBeAutomated(String subject) {
        Classification classification = Mail.fromCarol().header("Subject: " + subject).classify();

        assertThat(classification.exclusion()).contains(new Classification.Exclusion(ReasonCode.AUTOMATED, Optional.empty(),
            "out-of-office subject '" + subject + "'"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "Out of stock items",
        "Quote for 40 chairs",
        "Re: Out of Office: back on Monday",
        "Automation project",
        "Risposta al preventivo",
        "Automatische Antworten im Shop einrichten",
        "Автоматический ответ не приходит",
        "Réponse automatique aux questions fréquentes",
        "Respuesta automática en la tienda",
        "OOO meeting notes",
    })
    void subjectsWrittenByAPersonShouldNotMarkTheMessageAutomated(String subject) {
        assertThat(Mail.fromCarol().header("Subject: " + subject).classify().capturable()).isTrue();
    }

    @Test
    void aNullSenderShouldBeAutomated() {
        Classification classification = Mail.fromCarol().nullSender().classify();

        assertThat(classification.exclusion()).contains(new Classification.Exclusion(ReasonCode.AUTOMATED, Optional.empty(),
            "null sender (bounce or delivery report)"));
    }

    @Test
    void aNullSenderWithoutFromShouldBeAutomatedEvenWhenAutomatedMailIsCaptured() {
        CaptureSettings settings = Settings.of("<defaults><skipAutomated>false</skipAutomated></defaults>");

        Classification classification = Mail.fromCarol().nullSender().withoutFrom().classify(settings);

        assertThat(classification.exclusion()).contains(new Classification.Exclusion(ReasonCode.AUTOMATED, Optional.empty(),
            "null sender (bounce or delivery report)"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "MAILER-DAEMON@mx.client.example, sender mailer-daemon@mx.client.example",
        "mailer-daemon@client.example,    sender mailer-daemon@client.example",
        "postmaster@client.example,       sender postmaster@client.example",
        "Postmaster@client.example,       sender postmaster@client.example",
    })
    void deliveryDaemonsShouldBeAutomated(String sender, String detail) {
        Classification classification = Mail.from(sender).classify();

        assertThat(classification.exclusion()).contains(new Classification.Exclusion(ReasonCode.AUTOMATED, Optional.empty(), detail));
    }

    @Test
    void aDaemonEnvelopeSenderShouldBeAutomatedWhateverTheFromField() {
        Classification classification = Mail.fromCarol().envelopeSender("mailer-daemon@mx.client.example").classify();

        assertThat(classification.exclusion()).contains(new Classification.Exclusion(ReasonCode.AUTOMATED, Optional.empty(),
            "sender mailer-daemon@mx.client.example"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "Auto-Submitted: auto-replied",
        "Precedence: bulk",
        "List-Id: <news.client.example>",
        "X-Autoreply: yes",
        "Subject: Out of Office: back on Monday",
        "Content-Type: multipart/report; report-type=delivery-status",
    })
    void skipAutomatedFalseShouldLetAutomatedMailThrough(String header) {
        CaptureSettings settings = Settings.of("<defaults><skipAutomated>false</skipAutomated></defaults>");

        assertThat(Mail.fromCarol().header(header).classify(settings).capturable()).isTrue();
    }

    @Test
    void skipAutomatedOfTheMailboxShouldApply() {
        CaptureSettings settings = Settings.of("<mailbox address=\"alice@company.example\"><skipAutomated>false</skipAutomated></mailbox>");

        assertThat(Mail.fromCarol().to("alice@company.example").header("Precedence: bulk").classify(settings).capturable()).isTrue();
        assertThat(reason(Mail.fromCarol().to("bob@company.example").header("Precedence: bulk").classify(settings)))
            .isEqualTo("AUTOMATED");
    }

    // ---- integration switch (§3 INTEGRATION_DISABLED) ----

    @Test
    void inboundMailToAMailboxWithIntegrationOffShouldBeExcluded() {
        CaptureSettings settings = Settings.of("<mailbox address=\"alice@company.example\"><integration>off</integration></mailbox>");

        Classification classification = Mail.fromCarol().to("alice@company.example").classify(settings);

        assertThat(classification.exclusion()).contains(new Classification.Exclusion(ReasonCode.INTEGRATION_DISABLED, Optional.empty(),
            "integration is off for alice@company.example"));
    }

    @Test
    void outboundMailFromAMailboxWithIntegrationOffShouldBeExcluded() {
        CaptureSettings settings = Settings.of("<mailbox address=\"alice@company.example\"><integration>off</integration></mailbox>");

        Classification classification = Mail.from("alice@company.example").to("carol@client.example").classify(settings);

        assertThat(reason(classification)).isEqualTo("INTEGRATION_DISABLED");
    }

    @Test
    void integrationOffInTheDefaultsShouldExcludeEveryMailboxWithoutItsOwnSetting() {
        CaptureSettings settings = Settings.of("<defaults><integration>off</integration></defaults>"
            + "<mailbox address=\"bob@company.example\"><integration>on</integration></mailbox>");

        assertThat(reason(Mail.fromCarol().to("alice@company.example").classify(settings))).isEqualTo("INTEGRATION_DISABLED");
        assertThat(reason(Mail.fromCarol().to("bob@company.example").classify(settings))).isEqualTo("CAPTURABLE");
    }

    @Test
    void inboundMailToAMailboxWithIntegrationOffAndOneWithItOnShouldUseTheSecond() {
        CaptureSettings settings = Settings.of("<mailbox address=\"alice@company.example\"><integration>off</integration></mailbox>"
            + "<mailbox address=\"bob@company.example\"><integration>on</integration></mailbox>");

        Classification classification = Mail.fromCarol().to("alice@company.example", "bob@company.example").classify(settings);

        assertThat(classification.mailbox()).contains(BOB);
        assertThat(classification.capturable()).isTrue();
    }

    @Test
    void inboundMailToMailboxesAllWithIntegrationOffShouldBeExcludedForTheFirst() {
        CaptureSettings settings = Settings.of("<defaults><integration>off</integration></defaults>");

        Classification classification = Mail.fromCarol().to("alice@company.example", "bob@company.example").classify(settings);

        assertThat(classification.mailbox()).contains(ALICE);
        assertThat(reason(classification)).isEqualTo("INTEGRATION_DISABLED");
    }

    // ---- order of the exclusions ----

    @ParameterizedTest(name = "spam={0} automated={1} integration off={2} -> {3}")
    @CsvSource({
        "true,  true,  true,  SPAM",
        "true,  false, true,  SPAM",
        "true,  true,  false, SPAM",
        "false, true,  true,  AUTOMATED",
        "false, true,  false, AUTOMATED",
        "false, false, true,  INTEGRATION_DISABLED",
        "false, false, false, CAPTURABLE",
    })
    void spamShouldComeBeforeAutomatedAndAutomatedBeforeIntegration(boolean spam, boolean automated, boolean integrationOff,
                                                                   String expected) {
        CaptureSettings settings = Settings.of("<defaults><integration>" + (integrationOff ? "off" : "on") + "</integration></defaults>");
        Mail mail = Mail.fromCarol();
        if (spam) {
            mail.header("X-Spam-Flag: YES");
        }
        if (automated) {
            mail.header("Auto-Submitted: auto-replied");
        }

        assertThat(reason(mail.classify(settings))).isEqualTo(expected);
    }

    @Test
    void internalShouldComeBeforeSpam() {
        assertThat(reason(Mail.from("alice@company.example").to("bob@company.example").header("X-Spam-Flag: YES").classify()))
            .isEqualTo("INTERNAL");
    }

    // ---- never-log list ----

    @Test
    void outboundMailToANeverLogClientAndAnotherClientShouldBeCapturedForTheOtherOnly() {
        CaptureSettings settings = Settings.of("<neverLog><domain>bank.example</domain></neverLog>");

        Classification classification = Mail.from("alice@company.example").to("teller@bank.example", "carol@client.example")
            .classify(settings);

        assertThat(classification.capturable()).isTrue();
        assertThat(classification.clients()).containsExactly(CAROL);
    }

    @Test
    void inboundMailFromANeverLogAddressShouldBeExcluded() {
        CaptureSettings settings = Settings.of("<neverLog><address>carol@client.example</address></neverLog>");

        Classification classification = Mail.fromCarol().classify(settings);

        assertThat(classification.exclusion()).contains(new Classification.Exclusion(ReasonCode.NEVER_LOG, Optional.empty(),
            "carol@client.example on the never-log list"));
    }
}

package org.jamescrm.james;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.jamescrm.decisions.DecisionRecord;
import org.jamescrm.james.queue.CaptureOutcome;
import org.jamescrm.memory.MemoryCrmAdmin;
import org.jamescrm.memory.MemoryRecords.Activity;
import org.jamescrm.mime.MessageParser;
import org.jamescrm.model.AttachmentInfo;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.model.MessageFacts;
import org.jamescrm.rules.ReasonCode;
import org.jamescrm.settings.CaptureSettings;
import org.jamescrm.settings.SettingsParser;
import org.jamescrm.spi.ConnectorProviders;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.ItemType;
import org.jamescrm.testing.MimeCorpus;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every message of the shared corpus of real and broken MIME goes through the capture mailet as a
 * client's mail to an employee (client@client.example to alice@company.example): no exception
 * reaches the mail pipeline, the mail is delivered unchanged, and exactly the expected capture
 * happens, on a CRM of its own for each file. Most files are a client writing in for the first
 * time (a new lead); the others are listed in {@link #EXPECTED} with the reason read from the
 * message and capture-rules §3.
 */
class MimeCorpusThroughCaptureTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
    static final MailAddress ENVELOPE_SENDER = address("client@client.example");
    static final MailAddress MAILBOX = address("alice@company.example");
    static final CaptureSettings SETTINGS = settings("<crmcapture/>");

    /** The decision of a client's first mail under the default settings. */
    static final ReasonCode PLAIN = ReasonCode.NEW_LEAD;

    /**
     * The corpus files whose decision is not {@link #PLAIN}, and why (capture-rules §3). Each line is
     * what a careful reading of the message says, not what the code happens to do.
     */
    static final Map<String, ReasonCode> EXPECTED = Map.of(
        // From: Mail Administrator <Postmaster@challenge.uscom.com>, "Mail System Error - Returned Mail": a bounce
        "mimetools-testmsgs__badbound.msg", ReasonCode.AUTOMATED,
        // Precedence: list, Sender: owner-pc800@..., X-Majordomo: mail of a mailing list
        "mimetools-testmsgs__jt-0498.msg", ReasonCode.AUTOMATED);

    /** Reasons the pipeline decides itself: such mail is recorded there and never reaches the capture queue. */
    static final Set<ReasonCode> DECIDED_IN_THE_PIPELINE = EnumSet.of(ReasonCode.INTERNAL, ReasonCode.RELAY, ReasonCode.SPAM,
        ReasonCode.AUTOMATED, ReasonCode.FILTERED, ReasonCode.MAILBOX_EXCLUDED, ReasonCode.NEVER_LOG, ReasonCode.INTEGRATION_DISABLED);

    static Stream<Named<Path>> corpus() throws IOException {
        return MimeCorpus.messages().map(file -> Named.of(file.getFileName().toString(), file));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void everyCorpusMessageShouldBeDeliveredUnchangedAndDecidedAsItsTableSays(Path file) throws Exception {
        ReasonCode expected = EXPECTED.getOrDefault(file.getFileName().toString(), PLAIN);

        try (CapturePipeline pipeline = new CapturePipeline(SETTINGS, CLOCK)) {
            Mail mail = mail(file);
            byte[] before = bytes(mail);

            assertThatCode(() -> pipeline.mailet.service(mail)).doesNotThrowAnyException();

            assertThat(bytes(mail)).as("the message delivered").isEqualTo(before);
            assertThat(mail.getState()).isEqualTo(Mail.DEFAULT);
            assertThat(mail.getRecipients()).containsExactly(MAILBOX);
            assertThat(mail.attributeNames()).isEmpty();
            verify(pipeline.errorRepository, never()).store(any());
            List<CaptureOutcome> outcomes = pipeline.captureQueued();
            assertThat(pipeline.decisions.recent(10)).as("the decisions recorded").singleElement()
                .satisfies(decision -> assertThat(decision.reason()).as(decision.detail()).isEqualTo(expected));
            DecisionRecord decision = pipeline.decisions.recent(1).get(0);
            if (DECIDED_IN_THE_PIPELINE.contains(expected)) {
                assertThat(outcomes).as("captures queued").isEmpty();
            } else {
                assertThat(outcomes).as("outcomes of the captures queued").singleElement()
                    .isEqualTo(new CaptureOutcome.Decided(decision));
            }
            if (expected.captured()) {
                assertCapturedAsTheParserReadIt(pipeline.crm, decision, file);
            } else {
                assertThat(pipeline.crm.activities()).isEmpty();
                assertThat(pipeline.crm.leads()).isEmpty();
            }
        }
    }

    @Test
    void everyFileOfTheExpectationTableShouldBeInTheCorpus() throws IOException {
        Set<String> files = corpus().map(Named::getName).collect(Collectors.toSet());

        assertThat(files).containsAll(EXPECTED.keySet());
    }

    @Test
    void anEncodedSubjectInThreeCharsetsShouldBeTheActivitySubject() throws Exception {
        Activity activity = capturedActivity("mimetools-testmsgs__intl.msg");

        assertThat(activity.email().subject()).isEqualTo("If you can read this you understand the example... so, cool!");
        // "=?ISO-8859-1?Q?Andr=E9_?= Pirard": the encoded word ends with a space, and a space follows it
        assertThat(activity.email().cc()).extracting(party -> party.displayName().orElseThrow()).containsExactly("André  Pirard");
    }

    @Test
    void anEncodedDisplayNameShouldBeTheNameOfTheNewLead() throws Exception {
        try (CapturePipeline pipeline = new CapturePipeline(SETTINGS, CLOCK)) {
            pipeline.capture(mail(corpusFile("mimetools-testmsgs__german-qp.msg")));

            assertThat(pipeline.crm.leads()).singleElement().satisfies(lead -> {
                assertThat(lead.name()).isEqualTo("Jörn Reder");
                assertThat(lead.email()).isEqualTo(EmailAddress.of("joern@zyn.de"));
                assertThat(lead.title()).isEqualTo("Testnachricht");
            });
            assertThat(pipeline.crm.activities()).singleElement()
                .satisfies(activity -> assertThat(activity.email().textBody()).contains("Grüße"));
        }
    }

    @Test
    void aNameInACommentAfterTheAddressShouldNameTheNewLead() throws Exception {
        try (CapturePipeline pipeline = new CapturePipeline(SETTINGS, CLOCK)) {
            pipeline.capture(mail(corpusFile("mimetools-testmsgs__german.msg")));

            assertThat(pipeline.crm.leads()).singleElement().satisfies(lead -> assertThat(lead.name()).isEqualTo("Guenter Deuschle"));
        }
    }

    @Test
    void twoCorpusMessagesWithTheSameMessageIdShouldBeCapturedOnceInOneCrm() throws Exception {
        try (CapturePipeline pipeline = new CapturePipeline(SETTINGS, CLOCK)) {
            pipeline.capture(mail(corpusFile("mimetools-testmsgs__uu-junk.msg")));
            pipeline.capture(mail(corpusFile("mimetools-testmsgs__uu-junk-target.msg")));

            assertThat(pipeline.decisions.find("<200004251134.GAA10264@webmail.uwohali.com>")).extracting(DecisionRecord::reason)
                .containsExactly(ReasonCode.DUPLICATE, ReasonCode.NEW_LEAD); // newest first
            assertThat(pipeline.crm.activities()).hasSize(1);
            assertThat(pipeline.crm.leads()).hasSize(1);
        }
    }

    @Test
    void anRfc2231Utf8AttachmentNameShouldBeTheActivityAttachmentName() throws Exception {
        Activity activity = capturedActivity("mimetools-testmsgs__attachment-filename-encoding-UTF8.msg");

        assertThat(activity.email().attachments()).extracting(AttachmentInfo::fileName).containsExactly("attachment.äöü");
        assertThat(activity.email().textBody()).contains("Attachment Test");
    }

    @Test
    void aMessageWithoutFromShouldBeCapturedForTheEnvelopeSender() throws Exception {
        try (CapturePipeline pipeline = new CapturePipeline(SETTINGS, CLOCK)) {
            pipeline.capture(mail(corpusFile("mimetools-testmsgs__attachment-filename-encoding-Latin1.msg")));

            assertThat(pipeline.crm.leads()).singleElement()
                .satisfies(lead -> assertThat(lead.email()).isEqualTo(EmailAddress.of(ENVELOPE_SENDER.asString())));
            assertThat(pipeline.crm.activities()).singleElement()
                .satisfies(activity -> assertThat(activity.email().attachments()).extracting(AttachmentInfo::fileName)
                    .containsExactly("attachment.äöü"));
        }
    }

    @Test
    void aForwardedMessageShouldBeCapturedWithItsOwnSubjectAndTheForwardedOneAsAttachment() throws Exception {
        Activity activity = capturedActivity("mimetools-testmsgs__mp-msg-rfc822.msg");

        assertThat(activity.email().subject()).isEqualTo("[Fwd: Re: 34Mbit/s Netz]");
        assertThat(activity.email().from().address()).isEqualTo(EmailAddress.of("specht@kulturbox.de"));
        assertThat(activity.email().textBody()).contains("Juergen Specht - KULTURBOX");
        assertThat(activity.email().attachments()).extracting(AttachmentInfo::fileName, AttachmentInfo::contentType)
            .containsExactly(tuple("message.eml", "message/rfc822"));
    }

    /** The activity and the lead are what the parser made of the message, bound together. */
    private static void assertCapturedAsTheParserReadIt(MemoryCrmAdmin crm, DecisionRecord decision, Path file) throws IOException {
        MessageFacts facts;
        try (InputStream in = Files.newInputStream(file)) {
            facts = new MessageParser().parse(in);
        }
        assertThat(crm.activities()).as("activities").singleElement().satisfies(activity -> {
            assertThat(decision.activityId()).contains(activity.id());
            assertThat(activity.email().originKey()).isEqualTo(facts.captureKey());
            assertThat(activity.email().subject()).isEqualTo(facts.subject());
            assertThat(activity.email().textBody()).isEqualTo(facts.textBody());
            assertThat(activity.email().attachments()).extracting(AttachmentInfo::fileName)
                .containsExactlyElementsOf(facts.attachments().stream().map(AttachmentInfo::fileName).toList());
            assertThat(activity.email().clients()).isEqualTo(decision.clients());
        });
        if (decision.reason() == ReasonCode.NEW_LEAD) {
            assertThat(crm.leads()).as("leads").singleElement().satisfies(lead -> {
                assertThat(decision.clients()).containsExactly(lead.email());
                assertThat(crm.activities().get(0).bindings()).containsExactly(new ItemRef(ItemType.LEAD, lead.id()));
            });
        }
    }

    private static Activity capturedActivity(String fileName) throws Exception {
        try (CapturePipeline pipeline = new CapturePipeline(SETTINGS, CLOCK)) {
            pipeline.capture(mail(corpusFile(fileName)));
            assertThat(pipeline.crm.activities()).hasSize(1);
            return pipeline.crm.activities().get(0);
        }
    }

    private static Path corpusFile(String fileName) throws IOException {
        return corpus().filter(named -> named.getName().equals(fileName)).findFirst().orElseThrow().getPayload();
    }

    private static Mail mail(Path file) throws Exception {
        return FakeMail.builder().name(file.getFileName().toString()).state(Mail.DEFAULT)
            .sender(ENVELOPE_SENDER).recipient(MAILBOX)
            .mimeMessage(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(Files.readAllBytes(file))))
            .build();
    }

    private static byte[] bytes(Mail mail) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        mail.getMessage().writeTo(out);
        return out.toByteArray();
    }

    private static MailAddress address(String address) {
        try {
            return new MailAddress(address);
        } catch (jakarta.mail.internet.AddressException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static CaptureSettings settings(String xml) {
        try {
            return new SettingsParser(ConnectorProviders.load()).parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "test.xml");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

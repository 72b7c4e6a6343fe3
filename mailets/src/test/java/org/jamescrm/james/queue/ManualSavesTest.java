package org.jamescrm.james.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.apache.mailet.base.test.FakeMail;
import org.jamescrm.capture.CaptureRounds;
import org.jamescrm.capture.CaptureService;
import org.jamescrm.decisions.DecisionLog;
import org.jamescrm.decisions.JsonViews;
import org.jamescrm.capture.MissingCrmUsers;
import org.jamescrm.james.settings.CaptureSettingsSource;
import org.jamescrm.james.mail.MailClassifier;
import org.jamescrm.james.mail.ManualSaveReplies;
import org.jamescrm.memory.MemoryCrmAdmin;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.rules.Classification;
import org.jamescrm.rules.Direction;
import org.jamescrm.rules.ReasonCode;
import org.jamescrm.settings.CaptureSettings;
import org.jamescrm.settings.SettingsParser;
import org.jamescrm.testing.TestMessages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.jamescrm.spi.ConnectorProviders;

/** Manual saves in the capture queue: a forwarded client mail is captured, internal mail refused with an answer. */
class ManualSavesTest {
    static final String SETTINGS = "<crmcapture><captureAddress>crm@company.example</captureAddress></crmcapture>";

    MailetContext context = mock(MailetContext.class);
    MemoryCrmAdmin crm = MemoryCrmAdmin.create(Clock.systemUTC());
    DecisionLog decisions = new DecisionLog(10, new JsonViews());
    CaptureDeliverer deliverer;
    CaptureRounds rounds;

    @BeforeEach
    void setUp() throws Exception {
        CaptureSettings settings = new SettingsParser(ConnectorProviders.load()).parse(new ByteArrayInputStream(SETTINGS.getBytes(StandardCharsets.UTF_8)), "t.xml");
        CaptureSettingsSource source = mock(CaptureSettingsSource.class);
        when(source.current()).thenReturn(settings);
        when(context.isLocalServer(any())).thenAnswer(call -> call.getArgument(0).equals(Domain.of("company.example")));
        when(context.getPostmaster()).thenReturn(new MailAddress("postmaster@company.example"));
        crm.addUser(EmailAddress.of("alice@company.example"), "Alice Adams");
        CaptureService service = new CaptureService(crm.connector(), () -> settings, decisions, new MissingCrmUsers(), Clock.systemUTC());
        MailClassifier classifier = new MailClassifier(source);
        rounds = new CaptureRounds(service, 10, java.time.Duration.ZERO, Thread::new);
        deliverer = new CaptureDeliverer(rounds, new ManualSaves(classifier, context, new ManualSaveReplies(context)));
    }

    @AfterEach
    void tearDown() {
        rounds.close();
    }

    private Mail forwardedByAlice(String body) throws Exception {
        Mail mail = FakeMail.builder().name("fwd").sender(new MailAddress("alice@company.example"))
            .recipient(new MailAddress("crm@company.example"))
            .mimeMessage(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))))
            .build();
        CaptureAttributes.write(mail, new Classification(Direction.MANUAL_FORWARD, List.of(), List.of(EmailAddress.of("alice@company.example")),
            Optional.of(EmailAddress.of("alice@company.example")), Optional.empty(), true), Instant.now());
        return mail;
    }

    @Test
    void aClientMailForwardedAsAttachmentShouldBeCapturedForTheForwardingEmployee() throws Exception {
        String clientMail = TestMessages.plain("Carol Client <carol@client.example>", "bob@company.example", "<orig@client.example>", "",
            "Order", "Please send 40 chairs.");
        String forward = "From: alice@company.example\r\nTo: crm@company.example\r\nSubject: Fwd: Order\r\nMessage-ID: <fwd@company.example>\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nFor the CRM.\r\n"
            + "--b\r\nContent-Type: message/rfc822\r\n\r\n" + clientMail + "--b--\r\n";

        CaptureOutcome outcome = deliverer.deliver(forwardedByAlice(forward)).get(10, TimeUnit.SECONDS);

        assertThat(outcome).isInstanceOfSatisfying(CaptureOutcome.Decided.class, decided -> {
            assertThat(decided.decision().reason()).isEqualTo(ReasonCode.NEW_LEAD);
            assertThat(decided.decision().messageId()).contains("<orig@client.example>");
        });
        assertThat(crm.leads()).singleElement().satisfies(lead -> {
            assertThat(lead.email()).isEqualTo(EmailAddress.of("carol@client.example"));
            assertThat(lead.responsibleId()).contains(crm.users().get(0).id());
        });
        verify(context, never()).sendMail(any(MailAddress.class), any(), any(MimeMessage.class));
    }

    @Test
    void aForwardedInternalMailShouldBeRefusedWithAnAnswerToTheEmployee() throws Exception {
        String internal = TestMessages.plain("bob@company.example", "alice@company.example", "<memo@company.example>", "", "Memo", "Internal.");
        String forward = "From: alice@company.example\r\nTo: crm@company.example\r\nSubject: Fwd: Memo\r\nMessage-ID: <fwd2@company.example>\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n"
            + internal + "--b--\r\n";

        CaptureOutcome outcome = deliverer.deliver(forwardedByAlice(forward)).get(10, TimeUnit.SECONDS);

        assertThat(outcome).isInstanceOfSatisfying(CaptureOutcome.Decided.class,
            decided -> assertThat(decided.decision().reason()).isEqualTo(ReasonCode.INTERNAL));
        ArgumentCaptor<MimeMessage> answer = ArgumentCaptor.forClass(MimeMessage.class);
        verify(context).sendMail(eq(new MailAddress("postmaster@company.example")), eq(List.of(new MailAddress("alice@company.example"))),
            answer.capture());
        assertThat(answer.getValue().getSubject()).isEqualTo("Not saved to the CRM: Memo");
        assertThat(answer.getValue().getHeader("Auto-Submitted", null)).isEqualTo("auto-replied");
        assertThat((String) answer.getValue().getContent()).startsWith("Your message \"Memo\" was not saved to the CRM: only client e-mails can be saved");
        assertThat(crm.activities()).isEmpty();
    }
}

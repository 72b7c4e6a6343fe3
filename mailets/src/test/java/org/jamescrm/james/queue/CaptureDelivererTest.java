package org.jamescrm.james.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.jamescrm.capture.CaptureRounds;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.rules.Classification;
import org.jamescrm.rules.Direction;
import org.jamescrm.settings.SettingsParser;
import org.jamescrm.spi.ConnectorProviders;
import org.junit.jupiter.api.Test;

/** A capture whose message cannot be read is parked with the cause, never thrown at the queue's consumer. */
class CaptureDelivererTest {
    private final CaptureRounds rounds = mock(CaptureRounds.class);
    private final ManualSaves manualSaves = mock(ManualSaves.class);
    private final CaptureDeliverer deliverer = new CaptureDeliverer(rounds, manualSaves);

    CaptureDelivererTest() throws Exception {
        when(manualSaves.settings()).thenReturn(new SettingsParser(ConnectorProviders.load())
            .parse(new ByteArrayInputStream("<crmcapture/>".getBytes(StandardCharsets.UTF_8)), "crm-capture.xml"));
    }

    @Test
    void aMessageThatCannotBeReadShouldBeRejectedWithTheCause() throws Exception {
        Mail mail = captureWhoseMessageThrows(new MessagingException("the stored message is gone"));

        CaptureOutcome outcome = deliverer.deliver(mail).get(5, TimeUnit.SECONDS);

        assertThat(outcome).isInstanceOfSatisfying(CaptureOutcome.Rejected.class,
            rejected -> assertThat(rejected.reason()).isEqualTo("the message cannot be read: jakarta.mail.MessagingException: the stored message is gone"));
        verifyNoInteractions(rounds);
    }

    @Test
    void aStackOverflowWhileReadingShouldBeRejectedNotThrown() throws Exception {
        Mail mail = captureWhoseMessageThrows(new StackOverflowError());

        CaptureOutcome outcome = deliverer.deliver(mail).get(5, TimeUnit.SECONDS);

        assertThat(outcome).isInstanceOfSatisfying(CaptureOutcome.Rejected.class,
            rejected -> assertThat(rejected.reason()).isEqualTo("unexpected error: java.lang.StackOverflowError"));
        verifyNoInteractions(rounds);
    }

    private static Mail captureWhoseMessageThrows(Throwable failure) throws Exception {
        Mail mail = spy(FakeMail.builder().name("capture").sender(new MailAddress("carol@client.example"))
            .recipient(new MailAddress("alice@company.example")).size(100).build());
        CaptureAttributes.write(mail, new Classification(Direction.INBOUND, List.of(EmailAddress.of("carol@client.example")),
            List.of(EmailAddress.of("alice@company.example")), Optional.of(EmailAddress.of("alice@company.example")), Optional.empty(), false),
            Instant.now());
        when(mail.getMessage()).thenThrow(failure);
        return mail;
    }
}

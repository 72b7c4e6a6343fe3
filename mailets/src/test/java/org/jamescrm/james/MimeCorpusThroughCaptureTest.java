package org.jamescrm.james;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.mailrepository.api.MailRepository;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.jamescrm.capture.CaptureRounds;
import org.jamescrm.capture.CaptureService;
import org.jamescrm.decisions.DecisionLog;
import org.jamescrm.decisions.JsonViews;
import org.jamescrm.capture.MissingCrmUsers;
import org.jamescrm.james.queue.CaptureDeliverer;
import org.jamescrm.james.queue.CaptureOutcome;
import org.jamescrm.james.queue.ManualSaves;
import org.jamescrm.memory.MemoryCrmAdmin;
import org.jamescrm.settings.CaptureSettings;
import org.jamescrm.settings.SettingsParser;
import org.jamescrm.testing.MimeCorpus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import reactor.core.publisher.Flux;
import org.jamescrm.spi.ConnectorProviders;
import org.jamescrm.james.mail.MailClassifier;
import org.jamescrm.james.mail.ManualSaveReplies;
import org.jamescrm.james.settings.CaptureSettingsSource;

/**
 * Every message of the shared corpus of real and broken MIME goes through the capture mailet without
 * an exception reaching the mail pipeline, is delivered unchanged, and its capture comes to an
 * outcome (captured, skipped or parked) without throwing.
 */
class MimeCorpusThroughCaptureTest {
    static Stream<Path> corpus() throws IOException {
        return MimeCorpus.messages();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    @SuppressWarnings({"unchecked", "rawtypes"})
    void everyCorpusMessageShouldPassTheMailetAndComeToACaptureOutcome(Path file) throws Exception {
        CaptureSettings settings = new SettingsParser(ConnectorProviders.load()).parse(new ByteArrayInputStream(
            "<crmcapture/>".getBytes(StandardCharsets.UTF_8)), "test.xml");
        CaptureSettingsSource source = mock(CaptureSettingsSource.class);
        when(source.current()).thenReturn(settings);
        MemoryCrmAdmin crm = MemoryCrmAdmin.create(Clock.systemUTC());
        CaptureService service = new CaptureService(crm.connector(), () -> settings, new DecisionLog(10, new JsonViews()), new MissingCrmUsers(),
            Clock.systemUTC());
        List<Mail> queued = new ArrayList<>();
        MailQueue queue = mock(MailQueue.class);
        when(queue.deQueue()).thenReturn(Flux.never());
        doAnswer(call -> queued.add(((Mail) call.getArgument(0)).duplicate())).when(queue).enQueue(any());
        MailQueueFactory queues = mock(MailQueueFactory.class);
        when(queues.createQueue(any())).thenReturn(queue);
        MailRepositoryStore repositories = mock(MailRepositoryStore.class);
        when(repositories.select(any())).thenReturn(mock(MailRepository.class));
        MailetContext context = mock(MailetContext.class);
        when(context.isLocalServer(any())).thenAnswer(call -> call.getArgument(0).equals(Domain.of("company.example")));
        CaptureToCrm mailet = new CaptureToCrm((MailQueueFactory<?>) queues, repositories, service, new MailClassifier(source), Clock.systemUTC());
        mailet.init(FakeMailetConfig.builder().mailetName("CaptureToCrm").mailetContext(context).build());
        byte[] raw = Files.readAllBytes(file);
        Mail mail = FakeMail.builder().name(file.getFileName().toString()).state(Mail.DEFAULT)
            .sender(new MailAddress("client@client.example")).recipient(new MailAddress("alice@company.example"))
            .mimeMessage(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw))).build();
        byte[] before = bytes(mail);

        assertThatCode(() -> mailet.service(mail)).doesNotThrowAnyException();

        assertThat(bytes(mail)).isEqualTo(before);
        assertThat(mail.getState()).isEqualTo(Mail.DEFAULT);
        try (CaptureRounds rounds = new CaptureRounds(service, 10, java.time.Duration.ZERO, Thread::new)) {
            for (Mail capture : queued) {
                CaptureOutcome outcome = new CaptureDeliverer(rounds,
                    new ManualSaves(new MailClassifier(source), context, new ManualSaveReplies(context))).deliver(capture)
                    .get(10, TimeUnit.SECONDS);
                assertThat(outcome).isNotNull();
            }
        }
    }

    private static byte[] bytes(Mail mail) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        mail.getMessage().writeTo(out);
        return out.toByteArray();
    }
}

package org.jamescrm.james;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

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
import org.jamescrm.capture.MissingCrmUsers;
import org.jamescrm.decisions.DecisionLog;
import org.jamescrm.decisions.JsonViews;
import org.jamescrm.james.mail.MailClassifier;
import org.jamescrm.james.mail.ManualSaveReplies;
import org.jamescrm.james.queue.CaptureDeliverer;
import org.jamescrm.james.queue.CaptureOutcome;
import org.jamescrm.james.queue.ManualSaves;
import org.jamescrm.james.settings.CaptureSettingsSource;
import org.jamescrm.memory.MemoryCrmAdmin;
import org.jamescrm.mime.GeneratedMimeTest;
import org.jamescrm.settings.CaptureSettings;
import org.jamescrm.settings.SettingsParser;
import org.jamescrm.spi.ConnectorProviders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import reactor.core.publisher.Flux;

/**
 * Generated messages (random multipart structure, header encodings, charsets, sizes, damage; the
 * parser's property generator, seeded so a failure replays) through the capture mailet and the capture
 * queue: no exception reaches the mail pipeline, the delivered bytes are unchanged, every mail gets
 * exactly one decision, and no capture is parked.
 */
class GeneratedMimeThroughCaptureTest {
    static final CaptureSettings SETTINGS = new SettingsParser(ConnectorProviders.load()).parse(new ByteArrayInputStream(
        "<crmcapture/>".getBytes(StandardCharsets.UTF_8)), "test.xml");

    final MemoryCrmAdmin crm = MemoryCrmAdmin.create(Clock.systemUTC());
    final DecisionLog decisions = new DecisionLog(100_000, new JsonViews());
    final CaptureService service = new CaptureService(crm.connector(), () -> SETTINGS, decisions, new MissingCrmUsers(),
        Clock.systemUTC());
    final MailRepository errorRepository = mock(MailRepository.class);
    final MailetContext context = mock(MailetContext.class);
    final List<Mail> queued = new ArrayList<>();
    MailClassifier classifier;
    CaptureToCrm mailet;

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 300);
    }

    @BeforeEach
    @SuppressWarnings({"unchecked", "rawtypes"})
    void setUp() throws Exception {
        CaptureSettingsSource source = mock(CaptureSettingsSource.class);
        when(source.current()).thenReturn(SETTINGS);
        classifier = new MailClassifier(source);
        when(context.isLocalServer(any())).thenAnswer(call -> call.getArgument(0).equals(Domain.of("company.example")));
        MailQueue queue = mock(MailQueue.class);
        when(queue.deQueue()).thenReturn(Flux.never());
        doAnswer(call -> queued.add(((Mail) call.getArgument(0)).duplicate())).when(queue).enQueue(any());
        MailQueueFactory queues = mock(MailQueueFactory.class);
        when(queues.createQueue(any())).thenReturn(queue);
        MailRepositoryStore repositories = mock(MailRepositoryStore.class);
        when(repositories.select(any())).thenReturn(errorRepository);
        mailet = new CaptureToCrm((MailQueueFactory<?>) queues, repositories, service, classifier, Clock.systemUTC());
        mailet.init(FakeMailetConfig.builder().mailetName("CaptureToCrm").mailetContext(context).build());
    }

    @AfterEach
    void tearDown() {
        mailet.destroy();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aGeneratedMessageShouldBeDeliveredUnchangedAndDecidedOnce(long seed) throws Exception {
        byte[] raw = GeneratedMimeTest.generate(new Random(seed));
        Mail mail = FakeMail.builder().name("generated-" + seed).state(Mail.DEFAULT)
            .sender(new MailAddress("client@client.example")).recipient(new MailAddress("alice@company.example"))
            .mimeMessage(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw))).build();
        byte[] before = bytes(mail);

        assertThatCode(() -> mailet.service(mail)).doesNotThrowAnyException();

        assertThat(bytes(mail)).as("delivered unchanged").isEqualTo(before);
        assertThat(mail.getState()).isEqualTo(Mail.DEFAULT);
        assertThat(mail.getRecipients()).containsExactly(new MailAddress("alice@company.example"));
        try (CaptureRounds rounds = new CaptureRounds(service, 10, Duration.ZERO, Thread::new)) {
            CaptureDeliverer deliverer = new CaptureDeliverer(rounds, new ManualSaves(classifier, context, new ManualSaveReplies(context)));
            for (Mail capture : queued) {
                assertThat(deliverer.deliver(capture).get(10, TimeUnit.SECONDS)).isInstanceOf(CaptureOutcome.Decided.class);
            }
        }
        assertThat(decisions.recent(Integer.MAX_VALUE)).as("one decision for the mail, captured or not").hasSize(1);
        verify(errorRepository, never()).store(any());
    }

    private static byte[] bytes(Mail mail) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        mail.getMessage().writeTo(out);
        return out.toByteArray();
    }
}

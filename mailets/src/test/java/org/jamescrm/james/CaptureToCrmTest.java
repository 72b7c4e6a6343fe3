package org.jamescrm.james;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.mail.MessagingException;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.mailrepository.api.MailRepository;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.jamescrm.capture.CaptureService;
import org.jamescrm.decisions.DecisionLog;
import org.jamescrm.decisions.JsonViews;
import org.jamescrm.capture.MissingCrmUsers;
import org.jamescrm.james.queue.CaptureAttributes;
import org.jamescrm.rules.Direction;
import org.jamescrm.rules.ReasonCode;
import org.jamescrm.settings.CaptureSettings;
import org.jamescrm.settings.SettingsParser;
import org.jamescrm.spi.CrmConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import reactor.core.publisher.Flux;
import org.jamescrm.spi.ConnectorProviders;
import org.jamescrm.james.mail.MailClassifier;
import org.jamescrm.james.settings.CaptureSettingsSource;

/** The capture mailet decides in memory and hands client mail to its queue; the mail goes on untouched. */
class CaptureToCrmTest {
    static final String LEAK_CHECK_QUEUE = "leak-check";
    static final String SETTINGS = "<crmcapture><connector>memory</connector><captureAddress>crm@company.example</captureAddress></crmcapture>";

    MailQueue queue = mock(MailQueue.class);
    /** What the queue kept of each mail handed to it: a copy taken at the hand-over, as James's queues keep. */
    List<Mail> queued = new ArrayList<>();
    MailRepository errorRepository = mock(MailRepository.class);
    CrmConnector crm = mock(CrmConnector.class);
    DecisionLog decisions = new DecisionLog(100, new JsonViews());
    MailRepositoryStore repositories = mock(MailRepositoryStore.class);
    Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
    CaptureService service;
    MailClassifier classifier;
    CaptureToCrm mailet;
    /** Mailets a test makes besides {@link #mailet}; destroyed after it, whatever their init() did. */
    List<CaptureToCrm> otherMailets = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        when(queue.deQueue()).thenReturn(Flux.never());
        when(crm.name()).thenReturn("memory");
        org.mockito.Mockito.doAnswer(call -> queued.add(((Mail) call.getArgument(0)).duplicate())).when(queue).enQueue(any(Mail.class));
        when(repositories.select(any())).thenReturn(errorRepository);
        CaptureSettings settings = new SettingsParser(ConnectorProviders.load()).parse(new java.io.ByteArrayInputStream(SETTINGS.getBytes(StandardCharsets.UTF_8)), "test.xml");
        CaptureSettingsSource source = mock(CaptureSettingsSource.class);
        when(source.current()).thenReturn(settings);
        service = new CaptureService(crm, () -> settings, decisions, new MissingCrmUsers(), clock);
        classifier = new MailClassifier(source);
        mailet = new CaptureToCrm(queues(queue), repositories, service, classifier, clock);
        mailet.init(FakeMailetConfig.builder().mailetName("CaptureToCrm").mailetContext(context()).build());
        org.mockito.Mockito.clearInvocations(crm); // the breaker is named after the connector at init; mail makes no CRM call
    }

    @AfterEach
    void tearDown() {
        mailet.destroy(); // stops the capture queue's consumer and the capture rounds
        otherMailets.forEach(CaptureToCrm::destroy);
    }

    private CaptureToCrm anotherMailet() {
        CaptureToCrm another = new CaptureToCrm(mock(MailQueueFactory.class), mock(MailRepositoryStore.class),
            mock(CaptureService.class), mock(MailClassifier.class), Clock.systemUTC());
        otherMailets.add(another);
        return another;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static MailQueueFactory<?> queues(MailQueue queue) {
        MailQueueFactory queues = mock(MailQueueFactory.class);
        when(queues.createQueue(any())).thenReturn(queue);
        return queues;
    }

    private static MailetContext context() {
        MailetContext context = mock(MailetContext.class);
        when(context.isLocalServer(any())).thenAnswer(call -> call.getArgument(0).equals(Domain.of("company.example")));
        return context;
    }

    @Test
    void theQueueShouldTakeTheMailItselfAndNoCopyBeMade() throws Exception {
        Mail mail = mail("carol@client.example", "alice@company.example", "<1@client.example>");

        mailet.service(mail);

        verify(queue).enQueue(org.mockito.ArgumentMatchers.same(mail));
        assertThat(mail.attributeNames()).as("the capture's attributes are gone once handed over").isEmpty();
    }

    @Test
    void clientMailShouldBeQueuedForCaptureWithoutAnyCrmCall() throws Exception {
        Mail mail = mail("carol@client.example", "alice@company.example", "<1@client.example>");
        byte[] before = bytes(mail);

        mailet.service(mail);

        assertThat(queued).hasSize(1);
        assertThat(CaptureAttributes.classification(queued.get(0)).direction()).isEqualTo(Direction.INBOUND);
        assertThat(CaptureAttributes.receivedAt(queued.get(0))).isEqualTo(Instant.parse("2026-11-22T10:00:00Z"));
        verifyNoInteractions(crm);
        assertThat(bytes(mail)).isEqualTo(before);
        assertThat(mail.getState()).isEqualTo(Mail.DEFAULT);
        assertThat(mail.attributeNames()).isEmpty();
    }

    @Test
    void internalMailShouldBeRecordedAndNeverQueued() throws Exception {
        mailet.service(mail("alice@company.example", "bob@company.example", "<lunch@company.example>"));

        verify(queue, never()).enQueue(any());
        verifyNoInteractions(crm);
        assertThat(decisions.latest("<lunch@company.example>")).hasValueSatisfying(record -> {
            assertThat(record.reason()).isEqualTo(ReasonCode.INTERNAL);
            assertThat(record.captured()).isFalse();
        });
    }

    @Test
    void aRefusingCaptureQueueShouldParkTheCaptureAndLetTheMailGoOn() throws Exception {
        doThrow(new MailQueue.MailQueueException("queue full")).when(queue).enQueue(any());
        Mail mail = mail("carol@client.example", "alice@company.example", "<2@client.example>");

        mailet.service(mail);

        ArgumentCaptor<Mail> parked = ArgumentCaptor.forClass(Mail.class);
        verify(errorRepository).store(parked.capture());
        assertThat(parked.getValue().getErrorMessage()).isEqualTo("the capture queue refused the mail: queue full");
        assertThat(mail.getState()).isEqualTo(Mail.DEFAULT);
    }

    @Test
    void theCaptureAddressShouldNeverBeDeliveredAndItsCopyBeAManualSave() throws Exception {
        Mail mail = FakeMail.builder().name("bcc").state(Mail.DEFAULT).sender(new MailAddress("alice@company.example"))
            .recipients(new MailAddress("dave@client.example"), new MailAddress("crm@company.example"))
            .attribute(authenticatedAs("alice@company.example"))
            .mimeMessage(mail("alice@company.example", "dave@client.example", "<bcc@company.example>").getMessage()).build();

        mailet.service(mail);

        assertThat(mail.getRecipients()).containsExactly(new MailAddress("dave@client.example"));
        assertThat(queued).hasSize(1);
        assertThat(CaptureAttributes.classification(queued.get(0)).manualSave()).isTrue();
        assertThat(CaptureAttributes.classification(queued.get(0)).direction()).isEqualTo(Direction.OUTBOUND);
    }

    @Test
    void aMailForTheCaptureAddressOnlyShouldBeGhostedAndQueuedAsAManualForward() throws Exception {
        Mail mail = mail("alice@company.example", "crm@company.example", "<fwd@company.example>");
        mail.setAttribute(authenticatedAs("alice@company.example"));

        mailet.service(mail);

        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        assertThat(queued).hasSize(1);
        assertThat(CaptureAttributes.classification(queued.get(0)).direction()).isEqualTo(Direction.MANUAL_FORWARD);
    }

    @Test
    void aManualSaveTheServerDidNotAuthenticateShouldBeGhostedRecordedAndNeverQueued() throws Exception {
        Mail mail = FakeMail.builder().name("forged").state(Mail.DEFAULT).sender(new MailAddress("attacker@evil.example"))
            .recipient(new MailAddress("crm@company.example")).remoteAddr("203.0.113.9")
            .mimeMessage(mail("alice@company.example", "crm@company.example", "<forged@evil.example>").getMessage()).build();

        mailet.service(mail);

        assertThat(mail.getState()).as("the capture address is never delivered, forged or not").isEqualTo(Mail.GHOST);
        verify(queue, never()).enQueue(any());
        verifyNoInteractions(crm);
        assertThat(decisions.latest("<forged@evil.example>")).hasValueSatisfying(record -> {
            assertThat(record.reason()).isEqualTo(ReasonCode.MANUAL_SAVE_UNAUTHENTICATED);
            assertThat(record.mailbox()).isEmpty();
            assertThat(record.detail()).contains("attacker@evil.example", "not authenticated", "203.0.113.9");
        });
    }

    /** The attribute James's SMTP server sets on a mail submitted with SMTP AUTH. */
    private static Attribute authenticatedAs(String user) {
        return new Attribute(Mail.SMTP_AUTH_USER, AttributeValue.of(user));
    }

    @Test
    void destroyShouldStopEveryThreadInitStarted() throws Exception {
        MailQueue leakCheckQueue = mock(MailQueue.class);
        MailQueue.MailQueueItem item = mock(MailQueue.MailQueueItem.class);
        when(item.getMail()).thenReturn(mail("carol@client.example", "alice@company.example", "<leak@client.example>"));
        CountDownLatch handled = new CountDownLatch(1);
        doAnswer(call -> {
            handled.countDown();
            return null;
        }).when(item).done(any());
        when(leakCheckQueue.deQueue()).thenReturn(Flux.just(item).concatWith(Flux.never()));
        CaptureToCrm another = new CaptureToCrm(queues(leakCheckQueue), repositories, service, classifier, clock);
        otherMailets.add(another);
        List<Thread> before = captureThreads(LEAK_CHECK_QUEUE);

        another.init(FakeMailetConfig.builder().mailetName("CaptureToCrm").mailetContext(context())
            .setProperty("queue", LEAK_CHECK_QUEUE).build());
        assertThat(handled.await(10, TimeUnit.SECONDS)).as("the consumer took the queued capture").isTrue();
        List<Thread> running = captureThreads(LEAK_CHECK_QUEUE);
        another.destroy();
        awaitEnd(running);

        assertThat(before).isEmpty();
        assertThat(running).extracting(Thread::getName)
            .contains("crm-capture-rounds-" + LEAK_CHECK_QUEUE)
            .anyMatch(name -> name.startsWith("crm-capture-" + LEAK_CHECK_QUEUE + "-"));
        assertThat(captureThreads(LEAK_CHECK_QUEUE)).isEmpty();
    }

    /**
     * The live threads a {@code CaptureToCrm} of {@code queue} starts: the capture rounds'
     * ({@code crm-capture-rounds-<queue>}) and the queue consumer's ({@code crm-capture-<queue>-<n>}).
     */
    private static List<Thread> captureThreads(String queue) {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(Thread::isAlive)
            .filter(thread -> thread.getName().equals("crm-capture-rounds-" + queue) || thread.getName().startsWith("crm-capture-" + queue + "-"))
            .toList();
    }

    /** Waits, a bounded time, for stopped threads to end: a disposed scheduler's threads end after their interruption. */
    private static void awaitEnd(List<Thread> threads) throws InterruptedException {
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    @Test
    void anUnknownParameterShouldStopTheStartNamingIt() {
        CaptureToCrm another = anotherMailet();

        assertThatThrownBy(() -> another.init(FakeMailetConfig.builder().mailetName("CaptureToCrm")
                .setProperty("maxRetry", "3").build()))
            .isInstanceOf(MessagingException.class)
            .hasMessage("CaptureToCrm: unknown parameter <maxRetry>; allowed parameters: breakerFailures, breakerProbe, consumerThreads, "
                + "errorRepository, maxRetries, onMailetException, onMatcherException, queue, retryDelays, roundSize, roundWait, warningDepth");
    }

    @Test
    void anInvalidRetryDelayShouldStopTheStartNamingIt() {
        CaptureToCrm another = anotherMailet();

        assertThatThrownBy(() -> another.init(FakeMailetConfig.builder().mailetName("CaptureToCrm")
                .setProperty("retryDelays", "5 seconds, soon").build()))
            .isInstanceOf(MessagingException.class)
            .hasMessage("CaptureToCrm: parameter <retryDelays> has the delay 'soon'; allowed values: durations such as "
                + "'30 seconds', '2 minutes', '1 hour', comma separated");
    }

    @Test
    void anInvalidRoundWaitOrRoundSizeShouldStopTheStartNamingIt() {
        CaptureToCrm another = anotherMailet();

        assertThatThrownBy(() -> another.init(FakeMailetConfig.builder().mailetName("CaptureToCrm")
                .setProperty("roundWait", "a moment").build()))
            .isInstanceOf(MessagingException.class)
            .hasMessage("CaptureToCrm: parameter <roundWait> has value 'a moment'; allowed values: a duration such as 500 ms, "
                + "3 seconds, 30 minutes, 2 hours, 1 day");
        assertThatThrownBy(() -> another.init(FakeMailetConfig.builder().mailetName("CaptureToCrm")
                .setProperty("roundSize", "0").build()))
            .isInstanceOf(MessagingException.class)
            .hasMessage("CaptureToCrm: parameter <roundSize> has value '0'; allowed values: a whole number of at least 1");
    }

    static Mail mail(String from, String to, String messageId) throws MessagingException {
        return FakeMail.builder()
            .name("mail-" + messageId)
            .state(Mail.DEFAULT)
            .sender(new MailAddress(from))
            .recipient(new MailAddress(to))
            .mimeMessage(new jakarta.mail.internet.MimeMessage(jakarta.mail.Session.getInstance(new java.util.Properties()),
                new java.io.ByteArrayInputStream(("From: " + from + "\r\nTo: " + to + "\r\nSubject: Hello\r\nMessage-ID: " + messageId
                    + "\r\nDate: Sun, 22 Nov 2026 10:15:00 +0300\r\n\r\nHello there\r\n").getBytes(StandardCharsets.US_ASCII))))
            .build();
    }

    private static byte[] bytes(Mail mail) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        mail.getMessage().writeTo(out);
        return out.toByteArray();
    }
}

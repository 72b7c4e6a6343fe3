package org.jamescrm.james;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.james.core.Domain;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.mailrepository.api.MailRepository;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
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
import org.jamescrm.settings.CaptureSettings;

import reactor.core.publisher.Flux;

/**
 * Mail through the capture mailet and its capture, on an in-memory CRM of its own, for the tests of
 * whole message corpora. The mailet's own queue consumer gets nothing; the test takes the consumer's
 * place, so that it sees each outcome. Server domain {@code company.example}.
 */
final class CapturePipeline implements AutoCloseable {
    final MemoryCrmAdmin crm;
    final DecisionLog decisions = new DecisionLog(10, new JsonViews());
    final CaptureService service;
    final MailRepository errorRepository = mock(MailRepository.class);
    final MailetContext context = mock(MailetContext.class);
    final MailClassifier classifier;
    final List<Mail> queued = new ArrayList<>();
    final CaptureToCrm mailet;

    @SuppressWarnings({"unchecked", "rawtypes"})
    CapturePipeline(CaptureSettings settings, Clock clock) throws Exception {
        crm = MemoryCrmAdmin.create(clock);
        service = new CaptureService(crm.connector(), () -> settings, decisions, new MissingCrmUsers(), clock);
        CaptureSettingsSource source = mock(CaptureSettingsSource.class);
        when(source.current()).thenReturn(settings);
        classifier = new MailClassifier(source);
        when(context.isLocalServer(any())).thenAnswer(call -> call.getArgument(0).equals(Domain.of("company.example")));
        MailQueue queue = mock(MailQueue.class);
        when(queue.deQueue()).thenReturn(Flux.never());
        doAnswer(call -> queued.add(((Mail) call.getArgument(0)).duplicate())).when(queue).enQueue(any());
        MailQueueFactory queues = mock(MailQueueFactory.class);
        when(queues.createQueue(any())).thenReturn(queue);
        MailRepositoryStore repositories = mock(MailRepositoryStore.class);
        when(repositories.select(any())).thenReturn(errorRepository);
        mailet = new CaptureToCrm((MailQueueFactory<?>) queues, repositories, service, classifier, clock);
        mailet.init(FakeMailetConfig.builder().mailetName("CaptureToCrm").mailetContext(context).build());
    }

    /** {@code mail} through the mailet, and what it queued captured: one decided capture. */
    void capture(Mail mail) throws Exception {
        mailet.service(mail);
        assertThat(captureQueued()).singleElement().isInstanceOf(CaptureOutcome.Decided.class);
    }

    /** Delivers every capture queued so far, as the queue's consumer would, and returns the outcomes. */
    List<CaptureOutcome> captureQueued() throws Exception {
        List<CaptureOutcome> outcomes = new ArrayList<>();
        try (CaptureRounds rounds = new CaptureRounds(service, 10, Duration.ZERO, Thread::new)) {
            CaptureDeliverer deliverer = new CaptureDeliverer(rounds, new ManualSaves(classifier, context, new ManualSaveReplies(context)));
            for (Mail capture : queued) {
                outcomes.add(deliverer.deliver(capture).get(10, TimeUnit.SECONDS));
            }
        }
        queued.forEach(LifecycleUtil::dispose);
        queued.clear();
        return outcomes;
    }

    @Override
    public void close() {
        mailet.destroy();
        queued.forEach(LifecycleUtil::dispose);
    }
}

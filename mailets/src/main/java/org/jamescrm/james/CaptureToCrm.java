package org.jamescrm.james;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.metrics.api.NoopGaugeRegistry;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.jamescrm.capture.CaptureMetrics;
import org.jamescrm.capture.CaptureRounds;
import org.jamescrm.capture.CaptureService;
import org.jamescrm.capture.CrmBreaker;
import org.jamescrm.james.metrics.QueueDepths;
import org.jamescrm.james.queue.CaptureAttributes;
import org.jamescrm.james.queue.CaptureDeliverer;
import org.jamescrm.james.queue.CaptureParker;
import org.jamescrm.james.queue.CaptureQueueConfiguration;
import org.jamescrm.james.queue.CaptureQueueConsumer;
import org.jamescrm.james.queue.CaptureQueues;
import org.jamescrm.james.queue.CrmBreakers;
import org.jamescrm.james.queue.LargeMailCopies;
import org.jamescrm.james.queue.ManualSaves;
import org.jamescrm.rules.Classification;
import org.jamescrm.rules.MessageSummary;
import org.jamescrm.james.mail.MailClassifier;
import org.jamescrm.james.mail.MailSummarizer;
import org.jamescrm.james.mail.ManualSaveReplies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures client mail into the CRM. For every mail it classifies the parties in memory (client or
 * company address, direction, spam, automated mail, per-mailbox switches); a client mail is copied
 * into the capture queue, any other gets its decision record (reason INTERNAL, SPAM, ...). The mail
 * itself goes on unchanged: no header is added, nothing is delayed, and the CRM is only called later,
 * by the queue's consumer, which retries while the CRM is unavailable and parks what it cannot
 * capture in the error repository.
 *
 * <p>Place it in the root processor, after any spam scanner and before the transport. Settings of the
 * capture rules are in {@code conf/crm-capture.xml}; the parameters here are those of the queue:
 * <ul>
 * <li>{@code queue} (optional, default {@code crm-capture}): the James mail queue of captures; listed
 *     by WebAdmin's {@code /mailQueues}. One {@code CaptureToCrm} per queue name.</li>
 * <li>{@code maxRetries} (optional, default 8): retries while the CRM is unavailable, then parked.</li>
 * <li>{@code retryDelays} (optional, default {@code 5 seconds, 30 seconds, 2 minutes, 10 minutes, 1 hour}):
 *     the waits before each retry; the last repeats; a longer Retry-After of the CRM wins.</li>
 * <li>{@code errorRepository} (optional, default {@code memory://var/mail/crm-capture-error/}): where
 *     parked captures are kept for an administrator to inspect and replay.</li>
 * <li>{@code consumerThreads} (optional, default 4): threads parsing captured mails and acting on the
 * outcomes.</li>
 * <li>{@code roundSize} (optional, default 300): the most captures looked up in the CRM and written
 * together. One CRM lookup and a few batched writes serve a whole round (Bitrix24 allows 2 requests a
 * second, 50 commands each).</li>
 * <li>{@code roundWait} (optional, default 3 seconds): when the CRM's request budget is what limits,
 * the longest a capture waits for others to share its round; a round starts at once whenever the
 * connector says waiting saves nothing (always with the in-memory CRM).</li>
 * <li>{@code breakerFailures} (optional, default 5): the consecutive rounds the CRM fails (down,
 * unreachable) that open its circuit breaker: captures then wait without spending retries.</li>
 * <li>{@code breakerProbe} (optional, default 30 seconds): how often the open breaker lets one capture
 * probe the CRM; a round the CRM answers closes it.</li>
 * <li>{@code warningDepth} (optional, default 10 × {@code roundSize}): the captures waiting from which
 * the status route and the health check warn.</li>
 * </ul>
 * <pre>{@code
 * <mailet match="All" class="org.jamescrm.james.CaptureToCrm">
 *   <queue>crm-capture</queue>
 *   <maxRetries>8</maxRetries>
 *   <retryDelays>5 seconds, 30 seconds, 2 minutes, 10 minutes, 1 hour</retryDelays>
 *   <errorRepository>memory://var/mail/crm-capture-error/</errorRepository>
 *   <consumerThreads>4</consumerThreads>
 *   <roundSize>300</roundSize>
 *   <roundWait>3 seconds</roundWait>
 *   <breakerFailures>5</breakerFailures>
 *   <breakerProbe>30 seconds</breakerProbe>
 *   <warningDepth>3000</warningDepth>
 *   <onMailetException>ignore</onMailetException>
 * </mailet>
 * }</pre>
 * It needs {@code guice.extension.module=org.jamescrm.james.CrmCaptureModule} in
 * {@code conf/extensions.properties}.
 */
public class CaptureToCrm extends GenericMailet {
    private static final Logger LOGGER = LoggerFactory.getLogger(CaptureToCrm.class);
    private final MailQueueFactory<?> queues;
    private final MailRepositoryStore repositories;
    private final CaptureService captureService;
    private final MailClassifier classifier;
    private final Clock clock;
    private final CaptureMetrics metrics;
    private final QueueDepths queueDepths;
    private final CrmBreakers breakers;
    private final CaptureQueues captureQueues;
    private final MailSummarizer summarizer = new MailSummarizer();
    private final LargeMailCopies largeMailCopies = new LargeMailCopies();
    private MailQueue queue;
    private CaptureParker parker;
    private CaptureRounds rounds;
    private CaptureQueueConsumer consumer;

    @Inject
    public CaptureToCrm(MailQueueFactory<?> queues, MailRepositoryStore repositories, CaptureService captureService,
                        MailClassifier classifier, CaptureMetrics metrics, QueueDepths queueDepths, CrmBreakers breakers,
                        CaptureQueues captureQueues, Clock clock) {
        this.queues = queues;
        this.captureQueues = captureQueues;
        this.repositories = repositories;
        this.captureService = captureService;
        this.classifier = classifier;
        this.metrics = metrics;
        this.queueDepths = queueDepths;
        this.breakers = breakers;
        this.clock = clock;
    }

    /** A capture mailet that publishes no metrics. */
    public CaptureToCrm(MailQueueFactory<?> queues, MailRepositoryStore repositories, CaptureService captureService,
                        MailClassifier classifier, Clock clock) {
        this(queues, repositories, captureService, classifier, CaptureMetrics.NONE, new QueueDepths(new NoopGaugeRegistry()),
            new CrmBreakers(), new CaptureQueues(), clock);
    }

    @Override
    public void init() throws MessagingException {
        CaptureQueueConfiguration configuration = CaptureQueueConfiguration.from(getMailetConfig());
        queue = queues.createQueue(configuration.queue());
        queueDepths.watch(queue, configuration.warningDepth());
        parker = new CaptureParker(repositories, configuration.errorRepository(), metrics, captureService);
        parker.prepare();
        captureQueues.opened(configuration);
        ManualSaves manualSaves = new ManualSaves(classifier, getMailetContext(), new ManualSaveReplies(getMailetContext()));
        CrmBreaker breaker = breakers.forConnector(captureService.connectorName(), configuration.breakerFailures(),
            configuration.breakerProbe(), clock);
        rounds = new CaptureRounds(captureService, configuration.roundSize(), configuration.roundWait(), runnable -> {
            Thread thread = new Thread(runnable, "crm-capture-rounds-" + configuration.queue().asString());
            thread.setDaemon(true);
            return thread;
        }, breaker);
        consumer = new CaptureQueueConsumer(queue, new CaptureDeliverer(rounds, manualSaves), parker, configuration, metrics, breaker, clock);
        consumer.start();
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        try {
            MessageSummary summary = summarizer.summarize(mail);
            Classification classification = classifier.classify(summary, getMailetContext());
            withholdFromCaptureAddress(mail);
            if (classification.capturable()) {
                enqueue(mail, classification);
            } else {
                captureService.recordExclusion(summarizer.messageId(mail), summarizer.captureKey(mail), summary.author(), classification);
            }
        } catch (MessagingException | RuntimeException e) {
            // the mail goes on to delivery whatever happens here; the capture is parked, not lost
            parkCopy(mail, "cannot classify the mail: " + e);
        }
    }

    /** The capture address is never delivered to a mailbox (capture-rules §7). */
    private void withholdFromCaptureAddress(Mail mail) {
        classifier.captureAddress().ifPresent(captureAddress -> {
            List<MailAddress> remaining = mail.getRecipients().stream()
                .filter(recipient -> !recipient.asString().equalsIgnoreCase(captureAddress.value()))
                .toList();
            if (remaining.size() < mail.getRecipients().size()) {
                mail.setRecipients(remaining);
                if (remaining.isEmpty()) {
                    mail.setState(Mail.GHOST);
                }
            }
        });
    }

    /**
     * Hands the mail with its capture attributes to the capture queue, which keeps its own copy (a
     * clone, or what it serialized): the mail carries the attributes only while it is handed over.
     * A large mail with attachments the capture will not store goes as a copy without them
     * ({@link LargeMailCopies}); any other is not copied here.
     */
    private void enqueue(Mail mail, Classification classification) throws MessagingException {
        CaptureAttributes.Previous previous = CaptureAttributes.write(mail, classification, clock.instant());
        Optional<Mail> copy = Optional.empty();
        try {
            copy = largeMailCopy(mail, classification);
            Mail capture = copy.orElse(mail);
            try {
                queue.enQueue(capture);
            } catch (MailQueue.MailQueueException e) {
                parker.park(capture, "the capture queue refused the mail: " + e.getMessage(), 0);
            }
        } finally {
            previous.restore(mail);
            copy.ifPresent(LifecycleUtil::dispose);
        }
    }

    private Optional<Mail> largeMailCopy(Mail mail, Classification classification) throws MessagingException {
        long attachmentLimit = classification.parseScope(classifier.settings()).attachmentLimit();
        try {
            return largeMailCopies.copyFor(mail, attachmentLimit, summarizer::captureKey);
        } catch (IOException | MessagingException | RuntimeException e) {
            // the capture reads the mail itself then, as it does every small one: nothing is lost
            LOGGER.info("Capturing {} whole: no copy without its large attachments can be made ({})", mail.getName(), e.toString());
            return Optional.empty();
        }
    }

    private void parkCopy(Mail mail, String reason) throws MessagingException {
        Mail capture = mail.duplicate();
        try {
            parker.park(capture, reason, 0);
        } finally {
            LifecycleUtil.dispose(capture);
        }
    }

    @Override
    public void destroy() {
        if (consumer != null) {
            consumer.close();
        }
        if (rounds != null) {
            rounds.close();
        }
    }

    @Override
    public String getMailetInfo() {
        return "CaptureToCrm: captures client mail into the CRM";
    }
}

package org.jamescrm.james.queue;

import jakarta.mail.MessagingException;

import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import java.util.Optional;

import org.apache.mailet.Mail;
import org.jamescrm.capture.CaptureMetrics;
import org.jamescrm.capture.CaptureService;
import org.jamescrm.james.mail.MailSummarizer;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.rules.Classification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parks a capture that cannot be completed in the capture error repository, with the reason as the
 * mail's error message, where an administrator sees it (WebAdmin {@code /mailRepositories}) and can
 * replay it. Parking is the capture's end, never the mail's: the mail itself was delivered long ago.
 * Every parked capture gets a {@code PARKED} decision record with the reason and the attempts made,
 * so that "why was this mail not saved?" has an answer also for a mail parked before any decision;
 * the parked copy carries no attempt count, so that a replay starts afresh and records the final one.
 */
public class CaptureParker {
    private static final Logger LOGGER = LoggerFactory.getLogger(CaptureParker.class);

    private final MailRepositoryStore repositories;
    private final MailRepositoryUrl errorRepository;
    private final CaptureMetrics metrics;
    private final Optional<CaptureService> decisions;
    private final MailSummarizer summarizer = new MailSummarizer();

    /**
     * @param repositories    James's mail repositories
     * @param errorRepository where parked captures go
     * @param metrics         counts the parked captures
     * @param decisions       records the {@code PARKED} decisions
     */
    public CaptureParker(MailRepositoryStore repositories, MailRepositoryUrl errorRepository, CaptureMetrics metrics,
                         CaptureService decisions) {
        this.repositories = repositories;
        this.errorRepository = errorRepository;
        this.metrics = metrics;
        this.decisions = Optional.of(decisions);
    }

    /** A parker that records no decision. */
    public CaptureParker(MailRepositoryStore repositories, MailRepositoryUrl errorRepository) {
        this.repositories = repositories;
        this.errorRepository = errorRepository;
        this.metrics = CaptureMetrics.NONE;
        this.decisions = Optional.empty();
    }

    /**
     * Creates the error repository when it does not exist yet, so that James's WebAdmin lists it (and
     * answers its URL with no mail) before the first capture is parked.
     */
    public void prepare() throws MessagingException {
        try {
            repositories.select(errorRepository);
        } catch (MailRepositoryStore.MailRepositoryStoreException e) {
            throw new MessagingException("cannot open the capture error repository " + errorRepository.asString(), e);
        }
    }

    /**
     * Parks a copy of {@code mail} for {@code reason}, under a new name: a replay that fails again must
     * not be removed with the entry the replay came from.
     *
     * @param attempts the capture attempts made (0: parked before any)
     */
    public void park(Mail mail, String reason, int attempts) throws MessagingException {
        Mail parked = mail.duplicate();
        try {
            parked.setErrorMessage(reason);
            CaptureAttributes.forgetAttempts(parked);
            repositories.select(errorRepository).store(parked);
            metrics.parked();
            recordDecision(mail, reason, attempts);
            LOGGER.warn("Capture of mail {} parked in {} as {}: {}", mail.getName(), errorRepository.asString(), parked.getName(), reason);
        } catch (MailRepositoryStore.MailRepositoryStoreException e) {
            throw new MessagingException("cannot park capture " + mail.getName() + " in " + errorRepository.asString(), e);
        } finally {
            LifecycleUtil.dispose(parked);
        }
    }

    /** The {@code PARKED} decision; a mail too broken to name still gets one, under its James name. */
    private void recordDecision(Mail mail, String reason, int attempts) {
        if (decisions.isEmpty()) {
            return;
        }
        Optional<String> messageId = Optional.empty();
        String key = mail.getName();
        Optional<EmailAddress> sender = mail.getMaybeSender().asOptional().map(address -> EmailAddress.of(address.asString()));
        try {
            messageId = summarizer.messageId(mail);
            key = summarizer.captureKey(mail);
        } catch (MessagingException | RuntimeException unreadable) {
            LOGGER.debug("Parked capture {} has no readable key; recorded under its mail name", mail.getName(), unreadable);
        }
        Optional<Classification> classification;
        try {
            classification = Optional.of(CaptureAttributes.classification(mail));
        } catch (RuntimeException notClassified) {
            classification = Optional.empty(); // parked before the pipeline classified it
        }
        try {
            decisions.get().recordParked(messageId, key, sender, classification, reason, attempts);
        } catch (RuntimeException e) {
            LOGGER.error("The PARKED decision of capture {} could not be recorded", mail.getName(), e);
        }
    }
}

package org.jamescrm.james.queue;

import jakarta.mail.MessagingException;

import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.mailet.Mail;
import org.jamescrm.capture.CaptureMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parks a capture that cannot be completed in the capture error repository, with the reason as the
 * mail's error message, where an administrator sees it (WebAdmin {@code /mailRepositories}) and can
 * replay it. Parking is the capture's end, never the mail's: the mail itself was delivered long ago.
 */
public class CaptureParker {
    private static final Logger LOGGER = LoggerFactory.getLogger(CaptureParker.class);

    private final MailRepositoryStore repositories;
    private final MailRepositoryUrl errorRepository;
    private final CaptureMetrics metrics;

    public CaptureParker(MailRepositoryStore repositories, MailRepositoryUrl errorRepository, CaptureMetrics metrics) {
        this.repositories = repositories;
        this.errorRepository = errorRepository;
        this.metrics = metrics;
    }

    public CaptureParker(MailRepositoryStore repositories, MailRepositoryUrl errorRepository) {
        this(repositories, errorRepository, CaptureMetrics.NONE);
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
     */
    public void park(Mail mail, String reason) throws MessagingException {
        Mail parked = mail.duplicate();
        try {
            parked.setErrorMessage(reason);
            repositories.select(errorRepository).store(parked);
            metrics.parked();
            LOGGER.warn("Capture of mail {} parked in {} as {}: {}", mail.getName(), errorRepository.asString(), parked.getName(), reason);
        } catch (MailRepositoryStore.MailRepositoryStoreException e) {
            throw new MessagingException("cannot park capture " + mail.getName() + " in " + errorRepository.asString(), e);
        } finally {
            LifecycleUtil.dispose(parked);
        }
    }
}

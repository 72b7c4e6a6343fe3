package org.jamescrm.james.queue;

import jakarta.mail.MessagingException;

import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.mailet.Mail;
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

    public CaptureParker(MailRepositoryStore repositories, MailRepositoryUrl errorRepository) {
        this.repositories = repositories;
        this.errorRepository = errorRepository;
    }

    /** Parks {@code mail} for {@code reason}. */
    public void park(Mail mail, String reason) throws MessagingException {
        mail.setErrorMessage(reason);
        try {
            repositories.select(errorRepository).store(mail);
        } catch (MailRepositoryStore.MailRepositoryStoreException e) {
            throw new MessagingException("cannot park capture " + mail.getName() + " in " + errorRepository.asString(), e);
        }
        LOGGER.warn("Capture of mail {} parked in {}: {}", mail.getName(), errorRepository.asString(), reason);
    }
}

package org.jamescrm.james.queue;

import java.io.IOException;

import jakarta.mail.MessagingException;

import org.apache.mailet.MailetContext;
import org.jamescrm.capture.CaptureRequest;
import org.jamescrm.capture.FollowUp;
import org.jamescrm.capture.ManualSaveRequests;
import org.jamescrm.james.mail.MailClassifier;
import org.jamescrm.settings.CaptureSettings;
import org.jamescrm.james.mail.ManualSaveReplies;

/**
 * Manual saves of the capture queue (capture-rules §7): a mail an employee sent or forwarded to the
 * capture address stands for the message attached to it (else for itself), classified by its own
 * parties with the employee's mailbox; a refused save is answered to the employee.
 */
public class ManualSaves {
    private final MailClassifier classifier;
    private final MailetContext context;
    private final ManualSaveReplies replies;
    private final ManualSaveRequests requests = new ManualSaveRequests();

    public ManualSaves(MailClassifier classifier, MailetContext context, ManualSaveReplies replies) {
        this.classifier = classifier;
        this.context = context;
        this.replies = replies;
    }

    /** The capture request for what the employee asked to save with {@code request}'s mail. */
    public CaptureRequest resolve(CaptureRequest request) throws IOException {
        return requests.resolve(request, classifier.localDomains(context), classifier.settings());
    }

    /** The settings in force. */
    public CaptureSettings settings() {
        return classifier.settings();
    }

    /** Answers the employee that the manual save was refused, as the capture policy decided. */
    public void answer(FollowUp.AnswerEmployee answer) throws MessagingException {
        replies.refused(answer.employee(), answer.subject(), answer.reason());
    }
}

package org.jamescrm.james;

import java.util.Collection;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;
import org.jamescrm.rules.Classification;
import org.jamescrm.james.mail.MailClassifier;

/**
 * Matches mail that the capture would take to the CRM: mail between a client and the company, not
 * spam, not automated, from or to a mailbox with integration on. All recipients match, or none. No
 * CRM call is made. Lets administrators compose their own processors, for example:
 * <pre>{@code
 * <mailet match="org.jamescrm.james.IsClientMail" class="SetMimeHeader">
 *   <name>X-Client-Mail</name>
 *   <value>true</value>
 * </mailet>
 * }</pre>
 * It takes no condition. It needs the product's Guice module ({@code CrmCaptureModule}) and settings.
 */
public class IsClientMail extends GenericMatcher {
    private final MailClassifier classifier;

    @Inject
    public IsClientMail(MailClassifier classifier) {
        this.classifier = classifier;
    }

    @Override
    public void init() throws MessagingException {
        if (getCondition() != null && !getCondition().isBlank()) {
            throw new MessagingException("IsClientMail takes no condition, got '" + getCondition() + "'");
        }
    }

    @Override
    public Collection<MailAddress> match(Mail mail) throws MessagingException {
        Classification classification = classifier.classify(mail, getMailetContext());
        return classification.capturable() ? mail.getRecipients() : List.of();
    }
}

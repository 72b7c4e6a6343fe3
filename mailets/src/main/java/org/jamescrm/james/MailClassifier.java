package org.jamescrm.james;

import jakarta.inject.Inject;
import jakarta.mail.MessagingException;

import org.apache.james.core.Domain;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.jamescrm.rules.Classification;
import org.jamescrm.rules.Classifier;
import org.jamescrm.rules.MessageSummary;

/**
 * Classifies a James mail with the product's rules: local addresses are those of James's domain
 * list plus the settings' internal ones. In memory, no CRM call: safe in the mail pipeline.
 */
public class MailClassifier {
    private final CaptureSettingsSource settings;
    private final MailSummarizer summarizer = new MailSummarizer();
    private final Classifier classifier = new Classifier();

    @Inject
    public MailClassifier(CaptureSettingsSource settings) {
        this.settings = settings;
    }

    /** The classification of {@code mail}, with the domains of {@code context} as the local ones. */
    public Classification classify(Mail mail, MailetContext context) throws MessagingException {
        return classify(summarizer.summarize(mail), context);
    }

    /** The classification of a summarized mail, with the domains of {@code context} as the local ones. */
    public Classification classify(MessageSummary summary, MailetContext context) {
        return classifier.classify(summary, domain -> isLocalDomain(context, domain), settings.current());
    }

    private static boolean isLocalDomain(MailetContext context, String domain) {
        try {
            return context.isLocalServer(Domain.of(domain));
        } catch (IllegalArgumentException e) {
            return false; // not a valid domain name: certainly not one of ours
        }
    }
}

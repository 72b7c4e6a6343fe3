package org.jamescrm.james.mail;

import java.util.Optional;
import java.util.function.Predicate;

import jakarta.inject.Inject;
import jakarta.mail.MessagingException;

import org.apache.james.core.Domain;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.rules.Classification;
import org.jamescrm.rules.Classifier;
import org.jamescrm.rules.MessageSummary;
import org.jamescrm.settings.CaptureSettings;
import org.jamescrm.james.settings.CaptureSettingsSource;

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
        return classifier.classify(summary, localDomains(context), settings.current());
    }

    /** Whether a domain is one of James's own, as the classification asks it. */
    public Predicate<String> localDomains(MailetContext context) {
        return domain -> isLocalDomain(context, domain);
    }

    /** The settings in force. */
    public CaptureSettings settings() {
        return settings.current();
    }

    /** The capture address of the settings in force, if there is one. */
    public Optional<EmailAddress> captureAddress() {
        return settings.current().captureAddress();
    }

    private static boolean isLocalDomain(MailetContext context, String domain) {
        try {
            return context.isLocalServer(Domain.of(domain));
        } catch (IllegalArgumentException e) {
            return false; // not a valid domain name: certainly not one of ours
        }
    }
}

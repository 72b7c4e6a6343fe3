package org.jamescrm.capture;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.rules.ActivityComposer;
import org.jamescrm.rules.CaptureDecision;
import org.jamescrm.rules.Classification;
import org.jamescrm.rules.CrmSnapshot;
import org.jamescrm.rules.LinkingRules;
import org.jamescrm.rules.ReasonCode;
import org.jamescrm.settings.CaptureSettings;
import org.jamescrm.settings.MailboxSettings;
import org.jamescrm.spi.CrmConnector;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmUser;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.NewContact;
import org.jamescrm.spi.NewItem;
import org.jamescrm.spi.NewLead;

/**
 * Captures one message: checks it was not captured before, looks the parties up in the CRM, lets the
 * linking rules decide, writes what they decided and records the decision. Runs outside the mail
 * pipeline, from the capture queue; CRM failures are thrown for the queue to retry or park.
 */
public final class CaptureService {
    private final CrmConnector connector;
    private final Supplier<CaptureSettings> settings;
    private final DecisionLog decisions;
    private final MissingCrmUsers missingUsers;
    private final Clock clock;
    private final LinkingRules rules = new LinkingRules();
    private final ActivityComposer composer = new ActivityComposer();

    /**
     * @param connector    the CRM
     * @param settings     the current settings (re-read when the file changes)
     * @param decisions    where decisions are recorded
     * @param missingUsers where employees without a CRM user are reported
     * @param clock        the clock of the capture times
     */
    public CaptureService(CrmConnector connector, Supplier<CaptureSettings> settings, DecisionLog decisions,
                          MissingCrmUsers missingUsers, Clock clock) {
        this.connector = connector;
        this.settings = settings;
        this.decisions = decisions;
        this.missingUsers = missingUsers;
        this.clock = clock;
    }

    /**
     * Records the decision for a message the pipeline excluded; no CRM call.
     *
     * @param messageId      the Message-ID, if any
     * @param captureKey     the capture key
     * @param sender         the author
     * @param classification the classification, with its exclusion
     */
    public DecisionRecord recordExclusion(Optional<String> messageId, String captureKey, Optional<EmailAddress> sender,
                                          Classification classification) {
        Classification.Exclusion exclusion = classification.exclusion()
            .orElseThrow(() -> new IllegalArgumentException("the classification of " + captureKey + " is capturable"));
        DecisionRecord record = new DecisionRecord(messageId, captureKey, classification.direction(), sender,
            classification.clients(), classification.mailbox(), exclusion.reason(), exclusion.detail(), List.of(),
            Optional.empty(), Optional.empty(), Map.of(), clock.instant());
        decisions.record(record);
        return record;
    }

    /**
     * Captures a message the pipeline classified as capturable.
     *
     * @throws CrmException when the CRM fails; nothing is recorded then, and a retry is safe
     */
    public DecisionRecord capture(CaptureRequest request) throws CrmException {
        if (!request.classification().capturable()) {
            return recordExclusion(request.facts().messageId(), request.facts().captureKey(),
                request.facts().from().map(party -> party.address()), request.classification());
        }
        CaptureSettings current = settings.get();
        EmailAddress mailbox = request.classification().mailbox().orElseThrow();
        MailboxSettings mailboxSettings = current.forMailbox(mailbox);
        Map<String, String> drivingSettings = drivingSettings(mailbox, mailboxSettings, current);
        String key = request.facts().captureKey();

        Optional<String> existing = connector.findActivityByOriginKey(key);
        if (existing.isPresent()) {
            DecisionRecord record = record(request, CaptureDecision.skip(ReasonCode.DUPLICATE,
                "already captured as activity " + existing.get()), List.of(), existing, drivingSettings);
            decisions.record(record);
            return record;
        }
        CrmSnapshot snapshot = lookup(request);
        CaptureDecision decision = rules.decide(request.facts(), request.classification(), snapshot, mailboxSettings);
        if (!decision.captured()) {
            DecisionRecord record = record(request, decision, List.of(), Optional.empty(), drivingSettings);
            decisions.record(record);
            return record;
        }
        List<ItemRef> items = new ArrayList<>(decision.bindings());
        for (NewItem item : decision.creations()) {
            items.add(create(item));
        }
        Instant capturedAt = clock.instant();
        String activityId = connector.createEmailActivity(composer.compose(request.facts(), request.classification(), items,
            decision.responsibleId(), mailboxSettings, request.receivedAt(), capturedAt));
        DecisionRecord record = record(request, decision, items, Optional.of(activityId), drivingSettings);
        decisions.record(record);
        return record;
    }

    private CrmSnapshot lookup(CaptureRequest request) throws CrmException {
        Classification classification = request.classification();
        Set<EmailAddress> employees = new LinkedHashSet<>(classification.employees());
        Map<EmailAddress, CrmUser> users = connector.findUsers(employees);
        Set<EmailAddress> withoutUser = new HashSet<>(employees);
        withoutUser.removeAll(users.keySet());
        classification.mailbox().filter(withoutUser::contains).ifPresent(address -> missingUsers.report(address, connector.name()));
        return new CrmSnapshot(
            connector.findClients(new LinkedHashSet<>(classification.clients())),
            connector.findThreadItems(request.facts().threadIds()),
            users);
    }

    /** Creates an item, or finds the one an interrupted earlier attempt created. */
    private ItemRef create(NewItem item) throws CrmException {
        if (item instanceof NewLead lead) {
            Optional<ItemRef> earlier = connector.findLeadByOriginKey(lead.originKey());
            return earlier.isPresent() ? earlier.get() : connector.createLead(lead);
        }
        NewContact contact = (NewContact) item;
        Optional<ItemRef> earlier = connector.findContactByOriginKey(contact.originKey());
        return earlier.isPresent() ? earlier.get() : connector.createContact(contact);
    }

    private DecisionRecord record(CaptureRequest request, CaptureDecision decision, List<ItemRef> items,
                                  Optional<String> activityId, Map<String, String> drivingSettings) {
        Classification classification = request.classification();
        return new DecisionRecord(
            request.facts().messageId(),
            request.facts().captureKey(),
            classification.direction(),
            request.facts().from().map(party -> party.address()),
            classification.clients(),
            classification.mailbox(),
            decision.reason(),
            decision.detail(),
            items,
            activityId,
            decision.responsibleId(),
            drivingSettings,
            clock.instant());
    }

    private static Map<String, String> drivingSettings(EmailAddress mailbox, MailboxSettings settings, CaptureSettings all) {
        return Map.of(
            "mailbox", all.mailboxes().containsKey(mailbox) ? mailbox.value() : "defaults",
            "connector", all.connector().word(),
            "integration", settings.integration() ? "on" : "off",
            "createLeadForIncoming", String.valueOf(settings.createLeadForIncoming()),
            "createContactForOutgoing", String.valueOf(settings.createContactForOutgoing()),
            "distribution", settings.distribution().word(),
            "body", settings.body().word());
    }
}

package org.jamescrm.capture;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.rules.ActivityComposer;
import org.jamescrm.rules.CaptureDecision;
import org.jamescrm.rules.Classification;
import org.jamescrm.rules.CrmSnapshot;
import org.jamescrm.rules.LinkingRules;
import org.jamescrm.rules.ReasonCode;
import org.jamescrm.settings.CaptureSettings;
import org.jamescrm.settings.DistributionRule;
import org.jamescrm.settings.MailboxSettings;
import org.jamescrm.spi.CrmConnector;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmUser;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.ItemType;
import org.jamescrm.spi.NewContact;
import org.jamescrm.spi.NewDeal;
import org.jamescrm.spi.NewItem;
import org.jamescrm.spi.NewLead;

/**
 * Captures one message: checks it was not captured before, applies the flood guard, looks the
 * parties up in the CRM, lets the linking rules decide, writes what they decided and records the
 * decision. Runs outside the mail pipeline, from the capture queue; CRM failures are thrown for the
 * queue to retry or park. Two captures of the same key never run at the same time.
 */
public final class CaptureService {
    private static final int LOCK_STRIPES = 64;

    private final CrmConnector connector;
    private final Supplier<CaptureSettings> settings;
    private final DecisionLog decisions;
    private final MissingCrmUsers missingUsers;
    private final RoundRobinPositions positions;
    private final FloodGuard flood;
    private final Clock clock;
    private final LinkingRules rules = new LinkingRules();
    private final ActivityComposer composer = new ActivityComposer();
    private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];

    /**
     * @param connector    the CRM
     * @param settings     the current settings (re-read when the file changes)
     * @param decisions    where decisions are recorded
     * @param missingUsers where employees without a CRM user are reported
     * @param positions    the round-robin positions of the mailboxes
     * @param clock        the clock of the capture times and the flood window
     */
    public CaptureService(CrmConnector connector, Supplier<CaptureSettings> settings, DecisionLog decisions,
                          MissingCrmUsers missingUsers, RoundRobinPositions positions, Clock clock) {
        this.connector = connector;
        this.settings = settings;
        this.decisions = decisions;
        this.missingUsers = missingUsers;
        this.positions = positions;
        this.flood = new FloodGuard(clock);
        this.clock = clock;
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** A capture service whose round-robin positions live in memory. */
    public CaptureService(CrmConnector connector, Supplier<CaptureSettings> settings, DecisionLog decisions,
                          MissingCrmUsers missingUsers, Clock clock) {
        this(connector, settings, decisions, missingUsers, new InMemoryRoundRobinPositions(), clock);
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
            classification.clients(), classification.mailbox(), exclusion.reason(), exclusion.label(), exclusion.detail(),
            List.of(), Optional.empty(), Optional.empty(), Map.of(), clock.instant());
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
        ReentrantLock lock = locks[Math.floorMod(request.facts().captureKey().hashCode(), LOCK_STRIPES)];
        lock.lock();
        try {
            return captureOnce(request);
        } finally {
            lock.unlock();
        }
    }

    private DecisionRecord captureOnce(CaptureRequest request) throws CrmException {
        CaptureSettings current = settings.get();
        EmailAddress mailbox = request.classification().mailbox().orElseThrow();
        MailboxSettings mailboxSettings = request.classification().manualSave()
            ? current.forMailbox(mailbox).forManualSave() : current.forMailbox(mailbox);
        Map<String, String> drivingSettings = drivingSettings(mailbox, mailboxSettings, current);
        if (request.classification().manualSave()) {
            drivingSettings.put("manualSave", "true");
        }
        String key = request.facts().captureKey();

        Optional<String> existing = connector.findActivityByOriginKey(key);
        if (existing.isPresent()) {
            return record(request, CaptureDecision.skip(ReasonCode.DUPLICATE, "already captured as activity " + existing.get()),
                List.of(), existing, drivingSettings);
        }
        List<FloodGuard.Reservation> reservations = new ArrayList<>();
        for (EmailAddress client : request.classification().clients()) {
            Optional<FloodGuard.Reservation> reservation = flood.tryReserve(client, current.flood());
            if (reservation.isEmpty()) {
                reservations.forEach(flood::release);
                return record(request, CaptureDecision.skip(ReasonCode.FLOOD, client + " has " + current.flood().captures()
                    + " captures within " + current.flood().window() + ": parked for review"), List.of(), Optional.empty(), drivingSettings);
            }
            reservations.add(reservation.get());
        }
        boolean captured = false;
        try {
            DecisionRecord record = decideAndWrite(request, mailbox, mailboxSettings, drivingSettings);
            captured = record.captured();
            return record;
        } finally {
            if (!captured) {
                reservations.forEach(flood::release);
            }
        }
    }

    private DecisionRecord decideAndWrite(CaptureRequest request, EmailAddress mailbox, MailboxSettings mailboxSettings,
                                          Map<String, String> drivingSettings) throws CrmException {
        CrmSnapshot snapshot = lookup(request, mailbox, mailboxSettings);
        CaptureDecision decision = rules.decide(request.facts(), request.classification(), snapshot, mailboxSettings);
        if (!decision.captured()) {
            return record(request, decision, List.of(), Optional.empty(), drivingSettings);
        }
        List<ItemRef> items = new ArrayList<>(decision.bindings());
        Optional<ItemRef> createdContact = Optional.empty();
        for (NewItem item : decision.creations()) {
            ItemRef created = create(item, createdContact);
            if (created.type() == ItemType.CONTACT) {
                createdContact = Optional.of(created);
            }
            items.add(created);
        }
        if (decision.tookTurn()) {
            positions.advance(mailbox, snapshot.turn());
        }
        Instant capturedAt = clock.instant();
        String activityId = connector.createEmailActivity(composer.compose(request.facts(), request.classification(), items,
            decision.responsibleId(), mailboxSettings, request.receivedAt(), capturedAt));
        return record(request, decision, items, Optional.of(activityId), drivingSettings);
    }

    private CrmSnapshot lookup(CaptureRequest request, EmailAddress mailbox, MailboxSettings mailboxSettings) throws CrmException {
        Classification classification = request.classification();
        Set<EmailAddress> employees = new LinkedHashSet<>(classification.employees());
        employees.addAll(mailboxSettings.queue());
        mailboxSettings.responsible().ifPresent(employees::add);
        Map<EmailAddress, CrmUser> users = connector.findUsers(employees);
        Set<EmailAddress> withoutUser = new HashSet<>(employees);
        withoutUser.removeAll(users.keySet());
        withoutUser.stream()
            .filter(address -> address.equals(mailbox) || mailboxSettings.queue().contains(address)
                || mailboxSettings.responsible().filter(address::equals).isPresent())
            .filter(address -> !settings.get().isGroupMailbox(address))
            .forEach(address -> missingUsers.report(address, connector.name()));
        Map<String, Integer> openItems = Map.of();
        if (mailboxSettings.distribution() == DistributionRule.LEAST_BUSY) {
            Set<String> queueIds = new LinkedHashSet<>();
            mailboxSettings.queue().stream().map(users::get).filter(user -> user != null).forEach(user -> queueIds.add(user.id()));
            openItems = new LinkedHashMap<>(connector.countOpenItems(queueIds));
        }
        return new CrmSnapshot(
            connector.findClients(new LinkedHashSet<>(classification.clients())),
            connector.findThreadItems(request.facts().threadIds()),
            users,
            openItems,
            positions.current(mailbox));
    }

    /** Creates an item, or finds the one an interrupted earlier attempt created. */
    private ItemRef create(NewItem item, Optional<ItemRef> createdContact) throws CrmException {
        if (item instanceof NewLead lead) {
            Optional<ItemRef> earlier = connector.findLeadByOriginKey(lead.originKey());
            return earlier.isPresent() ? earlier.get() : connector.createLead(lead);
        }
        if (item instanceof NewDeal deal) {
            Optional<ItemRef> earlier = connector.findDealByOriginKey(deal.originKey());
            NewDeal linked = deal.contact().isPresent() ? deal
                : new NewDeal(deal.title(), createdContact, deal.company(), deal.responsibleId(), deal.returnCustomer(), deal.originKey());
            return earlier.isPresent() ? earlier.get() : connector.createDeal(linked);
        }
        NewContact contact = (NewContact) item;
        Optional<ItemRef> earlier = connector.findContactByOriginKey(contact.originKey());
        return earlier.isPresent() ? earlier.get() : connector.createContact(contact);
    }

    private DecisionRecord record(CaptureRequest request, CaptureDecision decision, List<ItemRef> items,
                                  Optional<String> activityId, Map<String, String> drivingSettings) {
        Classification classification = request.classification();
        DecisionRecord record = new DecisionRecord(
            request.facts().messageId(),
            request.facts().captureKey(),
            classification.direction(),
            request.facts().from().map(party -> party.address()),
            classification.clients(),
            classification.mailbox(),
            decision.reason(),
            decision.label(),
            decision.detail(),
            items,
            activityId,
            decision.responsibleId(),
            drivingSettings,
            clock.instant());
        decisions.record(record);
        return record;
    }

    private static Map<String, String> drivingSettings(EmailAddress mailbox, MailboxSettings settings, CaptureSettings all) {
        Map<String, String> driving = new LinkedHashMap<>();
        driving.put("mailbox", all.mailboxes().containsKey(mailbox) ? mailbox.value() : "defaults");
        driving.put("connector", all.connector().word());
        driving.put("integration", settings.integration() ? "on" : "off");
        driving.put("createLeadForIncoming", String.valueOf(settings.createLeadForIncoming()));
        driving.put("createContactForOutgoing", String.valueOf(settings.createContactForOutgoing()));
        driving.put("repeatSale", settings.repeatSale().word());
        driving.put("leadless", String.valueOf(settings.leadless()));
        driving.put("routeToAssignedManager", String.valueOf(settings.routeToAssignedManager()));
        driving.put("distribution", settings.distribution().word());
        driving.put("body", settings.body().word());
        return driving;
    }
}

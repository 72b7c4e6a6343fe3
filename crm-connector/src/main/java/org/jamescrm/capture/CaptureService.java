package org.jamescrm.capture;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.jamescrm.mime.MessageParser;
import org.jamescrm.model.AttachmentInfo;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.model.Envelope;
import org.jamescrm.model.MailParty;
import org.jamescrm.model.MessageFacts;
import org.jamescrm.rules.AcknowledgementComposer;
import org.jamescrm.rules.AcknowledgementMail;
import org.jamescrm.rules.ActivityComposer;
import org.jamescrm.rules.CaptureDecision;
import org.jamescrm.rules.CaseTokens;
import org.jamescrm.rules.Classification;
import org.jamescrm.rules.Classifier;
import org.jamescrm.rules.Direction;
import org.jamescrm.rules.MessageSummary;
import org.jamescrm.rules.CrmSnapshot;
import org.jamescrm.rules.LinkingRules;
import org.jamescrm.rules.ReasonCode;
import org.jamescrm.settings.Acknowledgement;
import org.jamescrm.settings.BodyMode;
import org.jamescrm.settings.CaptureSettings;
import org.jamescrm.settings.DistributionRule;
import org.jamescrm.settings.GroupSettings;
import org.jamescrm.settings.FloodLimit;
import org.jamescrm.store.FloodGuard;
import org.jamescrm.settings.MailboxSettings;
import org.jamescrm.spi.CaseRecord;
import org.jamescrm.spi.CrmConnector;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmLookup;
import org.jamescrm.spi.CrmLookupResult;
import org.jamescrm.spi.CrmUnavailableException;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.ItemType;
import org.jamescrm.spi.NewCase;
import org.jamescrm.spi.NewDeal;
import org.jamescrm.spi.NewEmailActivity;
import org.jamescrm.spi.NewItem;
import org.jamescrm.spi.Plans;
import org.jamescrm.spi.WritePlan;
import org.jamescrm.spi.WriteResult;
import org.jamescrm.spi.settings.Durations;
import org.jamescrm.decisions.DecisionRecord;
import org.jamescrm.decisions.DecisionLog;
import org.jamescrm.store.ArrivalPaces;
import org.jamescrm.store.CaptureLedger;
import org.jamescrm.store.CaptureStore;
import org.jamescrm.store.FloodCounters;
import org.jamescrm.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jamescrm.store.RoundRobinPositions;
import org.jamescrm.store.InMemoryRoundRobinPositions;

/**
 * Captures messages in rounds: checks each was not captured before, applies the flood guard, looks
 * the parties of the whole round up in the CRM at once, lets the linking rules decide each
 * message, writes what they decided as one set of write plans and records the decisions. Runs
 * outside the mail pipeline, from the capture queue; CRM failures are returned for the queue to
 * retry or park. One round runs at a time, so two captures of the same key or client never race on
 * one server; across the servers of a cluster the store's ledger claims each key before it is written,
 * and a round-robin turn is taken only if no other server took it.
 */
public final class CaptureService {
    private static final Logger LOGGER = LoggerFactory.getLogger(CaptureService.class);
    private final CrmConnector connector;
    private final Supplier<CaptureSettings> settings;
    private final DecisionLog decisions;
    private final MissingCrmUsers missingUsers;
    private final RoundRobinPositions positions;
    private final FloodCounters flood;
    private final CaptureLedger ledger;
    /** The other servers' arrival paces, when the store is a cluster's. */
    private final ArrivalPaces arrivals;
    private final CaptureMetrics metrics;
    private final Clock clock;
    private final LinkingRules rules = new LinkingRules();
    private final ActivityComposer composer = new ActivityComposer();
    private final AcknowledgementComposer acknowledgements = new AcknowledgementComposer();
    /** Acknowledgements sent per client in the group's window: the same sliding count as the flood guard's. */
    private final FloodGuard acknowledgementsSent;
    private final AcknowledgementOutbox outbox;
    private final WaitingThreads waitingThreads = new WaitingThreads();
    private final ReentrantLock roundLock = new ReentrantLock();

    /**
     * @param connector    the CRM
     * @param settings     the current settings (re-read when the file changes)
     * @param decisions    where decisions are recorded
     * @param missingUsers where employees without a CRM user are reported
     * @param store        the ledger, round-robin positions and flood counters: the server's own, or a cluster's
     * @param metrics      what the capture counts (decisions, rounds, CRM requests)
     * @param clock        the clock of the capture times and the flood window
     * @param outbox       where the acknowledgements of new cases go
     */
    public CaptureService(CrmConnector connector, Supplier<CaptureSettings> settings, DecisionLog decisions,
                          MissingCrmUsers missingUsers, CaptureStore store, CaptureMetrics metrics, Clock clock,
                          AcknowledgementOutbox outbox) {
        this.connector = connector;
        this.settings = settings;
        this.decisions = decisions;
        this.missingUsers = missingUsers;
        this.positions = store.roundRobin();
        this.flood = store.flood();
        this.ledger = store.ledger();
        this.arrivals = store.arrivals();
        this.acknowledgementsSent = new FloodGuard(clock);
        this.outbox = outbox;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** A capture service of one server whose positions are {@code positions}, the rest in memory. */
    public CaptureService(CrmConnector connector, Supplier<CaptureSettings> settings, DecisionLog decisions,
                          MissingCrmUsers missingUsers, RoundRobinPositions positions, CaptureMetrics metrics, Clock clock,
                          AcknowledgementOutbox outbox) {
        this(connector, settings, decisions, missingUsers, CaptureStore.local(positions, org.jamescrm.decisions.DecisionStore.NONE, clock),
            metrics, clock, outbox);
    }

    /** A capture service that sends no acknowledgement. */
    public CaptureService(CrmConnector connector, Supplier<CaptureSettings> settings, DecisionLog decisions,
                          MissingCrmUsers missingUsers, RoundRobinPositions positions, CaptureMetrics metrics, Clock clock) {
        this(connector, settings, decisions, missingUsers, positions, metrics, clock, AcknowledgementOutbox.NONE);
    }

    /** A capture service that counts nothing. */
    public CaptureService(CrmConnector connector, Supplier<CaptureSettings> settings, DecisionLog decisions,
                          MissingCrmUsers missingUsers, RoundRobinPositions positions, Clock clock) {
        this(connector, settings, decisions, missingUsers, positions, CaptureMetrics.NONE, clock);
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
            classification.clients(), classification.employees(), classification.mailbox(), exclusion.reason(), exclusion.label(), exclusion.detail(),
            List.of(), Optional.empty(), Optional.empty(), Map.of(), clock.instant());
        decisions.record(record);
        metrics.decided(record.reason());
        return record;
    }

    /** The name of the connector the captures go to. */
    public String connectorName() {
        return connector.name();
    }

    /**
     * Records that a capture was parked for an administrator ({@link ReasonCode#PARKED}), with why and
     * after how many attempts; no CRM call. A replay of the parked capture records the final decision.
     * A capture parked by its own decision ({@code FLOOD}) gets this record after that one, the reason
     * naming it ({@code FLOOD: ...}): {@code reason=PARKED} lists every parked capture.
     *
     * @param messageId      the Message-ID, if any
     * @param captureKey     the capture key
     * @param sender         the author, when known
     * @param classification the classification, when the mail was classified before it was parked
     * @param reason         why it was parked
     * @param attempts       the capture attempts made (0: parked before any)
     */
    public DecisionRecord recordParked(Optional<String> messageId, String captureKey, Optional<EmailAddress> sender,
                                       Optional<Classification> classification, String reason, int attempts) {
        messageId.ifPresent(waitingThreads::settled);
        // a mail parked before it could be classified is taken as incoming: the party that wrote to the company
        Direction direction = classification.map(Classification::direction).orElse(Direction.INBOUND);
        String detail = reason + " (" + (attempts == 0 ? "parked before any capture attempt" : "after " + attempts
            + (attempts == 1 ? " attempt" : " attempts")) + "); an administrator can replay it";
        DecisionRecord record = new DecisionRecord(messageId, captureKey, direction, sender,
            classification.map(Classification::clients).orElse(List.of()), classification.map(Classification::employees).orElse(List.of()),
            classification.flatMap(Classification::mailbox), ReasonCode.PARKED, ReasonCode.PARKED.name(), detail,
            List.of(), Optional.empty(), Optional.empty(), Map.of("attempts", String.valueOf(attempts)), clock.instant());
        decisions.record(record);
        metrics.decided(record.reason());
        return record;
    }

    /**
     * How many times {@code roundWait} a round of this server may wait for company, given the
     * {@code arriving} captures it expects within {@code roundWait} at the pace they come: 1 on one server. When the servers
     * of a cluster share the CRM's request budget, each sees only its part of the mail, and its rounds
     * would hold only that part of what one server's hold, spending more requests per mail on the same
     * budget; so a server waits as much longer as the cluster's pace is greater than its own (two
     * servers sharing the mail evenly: twice), at most as many times as there are servers. Publishes
     * this server's pace for the others.
     */
    public double roundWaitShare(int arriving, java.time.Duration roundWait) {
        double seconds = seconds(roundWait);
        double mine = Math.max(arriving, 1) / seconds;
        arrivals.publish(mine);
        double others = arrivals.others();
        if (others <= 0) {
            return 1;
        }
        return Math.max(1, Math.min(1 + arrivals.otherServers(), (mine + others) / mine));
    }

    /** A round wait in seconds, a millisecond at least: paces are captures a second. */
    private static double seconds(java.time.Duration roundWait) {
        return Math.max(roundWait.toMillis(), 1) / 1000.0;
    }

    /**
     * How long a round of {@code captures} should still wait for company because the CRM's request
     * budget gains by it ({@link CrmConnector#budgetWait}); zero when a round now costs the same as
     * later, and when the connector cannot say.
     */
    public java.time.Duration budgetWait(int captures, int arriving, java.time.Duration roundWait) {
        try {
            // the other servers of a cluster spend the same budget: the captures likely to come are theirs too
            int everywhere = arriving + (int) Math.ceil(arrivals.others() * seconds(roundWait));
            java.time.Duration wait = connector.budgetWait(captures, everywhere, roundWait);
            return wait == null || wait.isNegative() ? java.time.Duration.ZERO : wait;
        } catch (RuntimeException e) {
            return java.time.Duration.ZERO; // a connector's defect must not hold captures back
        }
    }

    /**
     * Captures one message: a round of one.
     *
     * @throws CrmException when the CRM fails; nothing is recorded then, and a retry is safe
     */
    public DecisionRecord capture(CaptureRequest request) throws CrmException {
        RoundOutcome outcome = captureRound(List.of(request)).get(0);
        if (outcome instanceof RoundOutcome.Failed failed) {
            throw failed.cause();
        }
        return ((RoundOutcome.Decided) outcome).record(); // the first of a round is never deferred
    }

    /**
     * Captures a round of messages with one lookup and one set of writes. The outcomes have the
     * order of {@code requests}; the first capturable request is never deferred, so every round
     * makes progress.
     */
    public List<RoundOutcome> captureRound(List<CaptureRequest> requests) {
        roundLock.lock();
        try {
            return new Round(requests).run();
        } finally {
            roundLock.unlock();
        }
    }

    /**
     * What the capture would decide for {@code request} now, touching nothing: no CRM write, no
     * decision recorded, no round-robin turn taken, no flood count spent. With {@code lookups} the
     * CRM is asked (one lookup, read only); without, the CRM is taken as knowing nobody.
     *
     * @param request a request as the capture queue hands it over (a manual save already resolved)
     * @throws CrmException when the lookup fails
     */
    public DryRun dryRun(CaptureRequest request, boolean lookups) throws CrmException {
        CaptureSettings current = settings.get();
        Classification classification = request.classification();
        Optional<EmailAddress> mailbox = classification.mailbox();
        Optional<MailboxSettings> mailboxSettings = mailbox.map(address -> classification.manualSave()
            ? current.forMailbox(address).forManualSave() : current.forMailbox(address));
        Map<String, String> driving = new LinkedHashMap<>();
        mailbox.ifPresent(address -> driving.putAll(drivingSettings(address, mailboxSettings.get(), current)));
        if (classification.manualSave()) {
            driving.put("manualSave", "true");
        }
        if (classification.exclusion().isPresent()) {
            return new DryRun(request, CaptureDecision.skip(classification.exclusion().get()), driving, false);
        }
        MailboxSettings chosen = mailboxSettings.orElseThrow();
        CrmLookupResult found = lookups ? lookUp(lookupOf(request, chosen)) : NOTHING_FOUND;
        String key = request.facts().captureKey();
        if (found.activity(key).isPresent()) {
            return new DryRun(request, CaptureDecision.skip(ReasonCode.DUPLICATE, "already captured as activity " + found.activity(key).get()),
                driving, lookups);
        }
        Optional<EmailAddress> flooding = classification.clients().stream().filter(client -> flood.over(client, current.flood())).findFirst();
        if (flooding.isPresent()) {
            return new DryRun(request, flooded(flooding.get(), current), driving, lookups);
        }
        CrmSnapshot snapshot = new CrmSnapshot(found.clients(), found.threadItems(request.facts().threadIds()), found.users(),
            found.openItems(), positions.current(mailbox.orElseThrow()), found.cases());
        return new DryRun(request, rules.decide(request.facts(), classification, snapshot, chosen), driving, lookups);
    }

    /**
     * What the capture would decide for a raw message with {@code envelope}, classified and parsed as
     * the mail server and the capture queue do (a manual save resolved), with the settings in force;
     * touching nothing ({@link #dryRun(CaptureRequest, boolean)}).
     *
     * @param raw           the message (RFC 5322)
     * @param envelope      the SMTP envelope it would arrive with
     * @param serverDomains whether a domain is one of the mail server's own
     * @throws IOException  when the message cannot be read
     * @throws CrmException when the lookup fails
     */
    public DryRun dryRun(byte[] raw, Envelope envelope, Predicate<String> serverDomains, boolean lookups) throws IOException, CrmException {
        CaptureSettings current = settings.get();
        MessageFacts facts = new MessageParser().parse(new ByteArrayInputStream(raw));
        MessageSummary summary = new MessageSummary(envelope, facts.from().map(MailParty::address), facts.headers(), false);
        CaptureRequest request = new CaptureRequest(facts, new Classifier().classify(summary, serverDomains, current), clock.instant());
        return dryRun(new ManualSaveRequests().resolve(request, serverDomains, current), lookups);
    }

    /** The decision for a client over the flood limit: what a mail loop or a mail bomb looks like, said in words. */
    private static CaptureDecision flooded(EmailAddress client, CaptureSettings current) {
        return CaptureDecision.skip(ReasonCode.FLOOD, client + " already has " + current.flood().captures() + " captures within "
            + Durations.words(current.flood().window()) + ", as a mail loop (two auto-responders answering each other) or a mail "
            + "bomb would: not captured, parked for review");
    }

    /** How long an answer waits for the first mail of its thread, still in the capture queue, before it is tried again. */
    static final java.time.Duration PARENT_WAIT = java.time.Duration.ofSeconds(5);

    /** How long a capture whose key another server is writing waits before it is tried again (and finds the activity). */
    static final java.time.Duration LEDGER_WAIT = java.time.Duration.ofSeconds(5);

    /** What a CRM that knows nobody answers. */
    private static final CrmLookupResult NOTHING_FOUND = new CrmLookupResult(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of());

    /** The lookup of one capture: its key, thread, clients, employees, and the queue counted for least-busy. */
    private CrmLookup lookupOf(CaptureRequest request, MailboxSettings settings) {
        Set<EmailAddress> employees = new LinkedHashSet<>(request.classification().employees());
        employees.addAll(settings.queue());
        settings.responsible().ifPresent(employees::add);
        Set<EmailAddress> counted = settings.distribution() == DistributionRule.LEAST_BUSY ? new LinkedHashSet<>(settings.queue()) : Set.of();
        return new CrmLookup(Set.of(request.facts().captureKey()), new LinkedHashSet<>(request.facts().threadIds()),
            new LinkedHashSet<>(request.classification().clients()), employees, counted, caseNumbers(request));
    }

    /** The case number of the request's case token, asked only of a CRM with cases. */
    private Set<String> caseNumbers(CaptureRequest request) {
        return connector.capabilities().cases() ? CaseTokens.find(request.facts().subject()).map(Set::of).orElse(Set.of()) : Set.of();
    }

    /** The CRM's lookup, timed. */
    private CrmLookupResult lookUp(CrmLookup lookup) throws CrmException {
        CaptureMetrics.Timing timing = metrics.crmRequest(connector.name(), CaptureMetrics.CrmOperation.LOOKUP);
        boolean failed = true;
        try {
            CrmLookupResult result = connector.lookUp(lookup);
            failed = false;
            return result;
        } finally {
            timing.ended(failed);
        }
    }

    /** The CRM's writes, timed; failed when one plan failed. */
    private List<WriteResult> written(List<WritePlan> plans) {
        CaptureMetrics.Timing timing = metrics.crmRequest(connector.name(), CaptureMetrics.CrmOperation.WRITE);
        boolean failed = true;
        try {
            List<WriteResult> results = connector.write(plans);
            failed = results.stream().anyMatch(WriteResult.Failed.class::isInstance);
            return results;
        } finally {
            timing.ended(failed);
        }
    }

    /** One round: its requests, the CRM's answer and the plans made of it. */
    private final class Round {
        private final List<CaptureRequest> requests;
        private final RoundOutcome[] outcomes;
        private final CaptureSettings current = settings.get();
        private final Map<Integer, Pending> pending = new LinkedHashMap<>();
        /** The capture keys this round claimed in the ledger and has not marked captured or released yet. */
        private final Set<String> claimed = new LinkedHashSet<>();
        /** The activities, by capture key, that an earlier write of the round's captures left though its answer was lost. */
        private final Map<String, String> landedUnanswered = new HashMap<>();

        Round(List<CaptureRequest> requests) {
            this.requests = List.copyOf(requests);
            this.outcomes = new RoundOutcome[requests.size()];
        }

        List<RoundOutcome> run() {
            metrics.roundRan(requests.size());
            for (int i = 0; i < requests.size(); i++) {
                CaptureRequest request = requests.get(i);
                if (!request.classification().capturable()) {
                    outcomes[i] = new RoundOutcome.Decided(recordExclusion(request.facts().messageId(), request.facts().captureKey(),
                        request.facts().from().map(party -> party.address()), request.classification()));
                } else {
                    pending.put(i, new Pending(request, mailboxSettings(request)));
                }
            }
            if (!pending.isEmpty()) {
                try {
                    decideAndWrite(lookUp(lookup()));
                } catch (CrmException e) {
                    pending.keySet().forEach(i -> outcomes[i] = new RoundOutcome.Failed(e));
                } catch (StoreUnavailableException e) {
                    // the shared store is down: what was not decided waits in the capture queue, like for a CRM outage
                    CrmException waiting = new CrmUnavailableException("the capture store is unavailable: " + e.getMessage(),
                        Optional.empty(), e);
                    pending.keySet().stream().filter(i -> outcomes[i] == null).forEach(i -> outcomes[i] = new RoundOutcome.Failed(waiting));
                } finally {
                    List.copyOf(claimed).forEach(this::release);
                }
            }
            for (int i = 0; i < outcomes.length; i++) {
                Optional<String> messageId = requests.get(i).facts().messageId();
                if (outcomes[i] instanceof RoundOutcome.Failed) {
                    messageId.ifPresent(waitingThreads::failed);
                } else if (outcomes[i] instanceof RoundOutcome.Decided) {
                    messageId.ifPresent(waitingThreads::settled);
                }
            }
            return List.of(outcomes);
        }

        private MailboxSettings mailboxSettings(CaptureRequest request) {
            EmailAddress mailbox = request.classification().mailbox().orElseThrow();
            return request.classification().manualSave() ? current.forMailbox(mailbox).forManualSave() : current.forMailbox(mailbox);
        }

        private CrmLookup lookup() {
            Set<String> keys = new LinkedHashSet<>();
            Set<String> threadIds = new LinkedHashSet<>();
            Set<EmailAddress> clients = new LinkedHashSet<>();
            Set<EmailAddress> employees = new LinkedHashSet<>();
            Set<EmailAddress> counted = new LinkedHashSet<>();
            Set<String> caseNumbers = new LinkedHashSet<>();
            for (Pending capture : pending.values()) {
                caseNumbers.addAll(caseNumbers(capture.request));
                keys.add(capture.request.facts().captureKey());
                threadIds.addAll(capture.request.facts().threadIds());
                clients.addAll(capture.request.classification().clients());
                employees.addAll(capture.employees());
                if (capture.settings.distribution() == DistributionRule.LEAST_BUSY) {
                    counted.addAll(capture.settings.queue());
                }
            }
            return new CrmLookup(keys, threadIds, clients, employees, counted, caseNumbers);
        }

        private void decideAndWrite(CrmLookupResult found) {
            reportMissingUsers(found);
            Set<EmailAddress> creatingFor = new HashSet<>();
            Set<String> capturedIds = new HashSet<>();
            Set<String> keys = new HashSet<>();
            Map<String, Integer> openItems = new LinkedHashMap<>(found.openItems());
            Map<Integer, Planned> plans = new LinkedHashMap<>();
            // the Message-IDs of the round's captures not decided yet: an answer to one of them waits for it
            Set<String> undecided = new HashSet<>();
            pending.values().forEach(capture -> capture.request.facts().messageId().ifPresent(undecided::add));
            for (Map.Entry<Integer, Pending> entry : pending.entrySet()) {
                int index = entry.getKey();
                Pending capture = entry.getValue();
                CaptureRequest request = capture.request;
                request.facts().messageId().ifPresent(undecided::remove);
                if (!keys.add(request.facts().captureKey())
                    || request.classification().clients().stream().anyMatch(creatingFor::contains)
                    || request.facts().threadIds().stream().anyMatch(id -> capturedIds.contains(id) || undecided.contains(id))) {
                    outcomes[index] = new RoundOutcome.Deferred();
                    request.facts().messageId().ifPresent(undecided::add); // its own answers wait for it in turn
                    continue;
                }
                Optional<String> waitingParent = waitingThreads.firstWaiting(request.facts().threadIds());
                if (waitingParent.isPresent() && found.threadItems(request.facts().threadIds()).isEmpty()) {
                    outcomes[index] = new RoundOutcome.Failed(new CrmUnavailableException("it answers " + waitingParent.get()
                        + ", which waits in the capture queue to be captured first", Optional.of(PARENT_WAIT), null));
                    continue;
                }
                Optional<String> existing = found.activity(request.facts().captureKey());
                Optional<RoundOutcome> claim = claim(capture, existing);
                if (claim.isPresent()) {
                    outcomes[index] = claim.get();
                    continue;
                }
                FloodCheck reservations = reserve(capture);
                if (reservations.over().isPresent()) {
                    release(request.facts().captureKey());
                    outcomes[index] = decided(capture, flooded(reservations.over().get(), current), List.of(), Optional.empty());
                    continue;
                }
                EmailAddress mailbox = request.classification().mailbox().orElseThrow();
                CrmSnapshot snapshot;
                CaptureDecision decision;
                do {
                    snapshot = new CrmSnapshot(found.clients(), found.threadItems(request.facts().threadIds()),
                        found.users(), openItems, positions.current(mailbox), found.cases());
                    decision = rules.decide(request.facts(), request.classification(), snapshot, capture.settings);
                    // a turn another server took meanwhile is not taken twice: the rules decide again at the next one
                } while (decision.captured() && decision.tookTurn() && !positions.advance(mailbox, snapshot.turn()));
                if (!decision.captured()) {
                    reservations.held().forEach(flood::release);
                    release(request.facts().captureKey());
                    outcomes[index] = decided(capture, decision, List.of(), Optional.empty());
                    continue;
                }
                Planned planned = plan(capture, decision, found, reservations.held());
                if (!planned.plan.creations().isEmpty()) {
                    creatingFor.addAll(request.classification().clients());
                    decision.responsibleId().ifPresent(id -> openItems.computeIfPresent(id, (user, count) -> count + 1));
                }
                request.facts().messageId().ifPresent(capturedIds::add);
                plans.put(index, planned);
            }
            write(plans, found);
        }

        /**
         * Claims the capture's key in the ledger before anything is written; empty when this round holds
         * it now, else the outcome: a duplicate (an activity the CRM holds under the key, or one another
         * server wrote), or a wait while another capture writes. An activity found under a key whose last
         * write got no answer is that write's: the capture goes on, and is recorded as captured by it.
         */
        private Optional<RoundOutcome> claim(Pending capture, Optional<String> existing) {
            String key = capture.request.facts().captureKey();
            CaptureLedger.Claim claim = ledger.claim(key, connector.name());
            if (claim instanceof CaptureLedger.AlreadyCaptured done) {
                return Optional.of(decided(capture, CaptureDecision.skip(ReasonCode.DUPLICATE, "already captured as activity "
                    + done.activityId() + " by " + done.node()), List.of(), Optional.of(done.activityId())));
            }
            if (claim instanceof CaptureLedger.Busy busy) {
                return Optional.of(new RoundOutcome.Failed(new CrmUnavailableException("it is being captured by " + busy.node()
                    + " since " + busy.since() + "; tried again once that capture ended", Optional.of(LEDGER_WAIT), null)));
            }
            claimed.add(key);
            if (existing.isPresent()) {
                if (!(claim instanceof CaptureLedger.Resumed)) {
                    release(key);
                    return Optional.of(decided(capture, CaptureDecision.skip(ReasonCode.DUPLICATE,
                        "already captured as activity " + existing.get()), List.of(), existing));
                }
                landedUnanswered.put(key, existing.get());
            }
            return Optional.empty();
        }

        /** Gives the ledger back a key this round claimed and did not write. */
        private void release(String captureKey) {
            if (claimed.remove(captureKey)) {
                ledger.release(captureKey, connector.name());
            }
        }

        /** A flood reservation for each client of the capture; none, and the client, when one is over the limit. */
        private FloodCheck reserve(Pending capture) {
            List<FloodCounters.Reservation> reservations = new ArrayList<>();
            for (EmailAddress client : capture.request.classification().clients()) {
                Optional<FloodCounters.Reservation> reservation = flood.tryReserve(client, current.flood());
                if (reservation.isEmpty()) {
                    reservations.forEach(flood::release);
                    return new FloodCheck(List.of(), Optional.of(client));
                }
                reservations.add(reservation.get());
            }
            return new FloodCheck(reservations, Optional.empty());
        }

        /** The writes of a decision, less the items an interrupted earlier attempt already created. */
        private Planned plan(Pending capture, CaptureDecision decision, CrmLookupResult found,
                             List<FloodCounters.Reservation> reservations) {
            String key = capture.request.facts().captureKey();
            List<ItemRef> existing = new ArrayList<>(decision.bindings());
            List<NewItem> creations = new ArrayList<>();
            Optional<ItemRef> foundContact = Optional.empty();
            for (NewItem item : decision.creations()) {
                Optional<ItemRef> earlier = found.created(key, item.type());
                if (earlier.isPresent()) {
                    existing.add(earlier.get());
                    if (earlier.get().type() == ItemType.CONTACT) {
                        foundContact = earlier;
                    }
                } else {
                    creations.add(item instanceof NewDeal deal ? Plans.linkContact(deal, foundContact) : item);
                }
            }
            NewEmailActivity activity = composer.compose(capture.request.facts(), capture.request.classification(), existing,
                decision.responsibleId(), capture.settings, capture.request.receivedAt(), clock.instant());
            // the raw message only when the activity keeps all of it: a CRM importing it stores no more than the settings allow
            boolean whole = capture.settings.body() == BodyMode.FULL && activity.attachments().stream().allMatch(AttachmentInfo::hasContent);
            List<String> teams = capture.settings.group().map(GroupSettings::teams).orElse(List.of());
            return new Planned(decision, existing, new WritePlan(key, creations, activity,
                whole ? capture.request.rawMessage() : Optional.empty(), teams), reservations);
        }

        private void write(Map<Integer, Planned> plans, CrmLookupResult found) {
            if (plans.isEmpty()) {
                return;
            }
            List<Integer> indexes = List.copyOf(plans.keySet());
            List<WritePlan> writing = indexes.stream().map(index -> plans.get(index).plan)
                .filter(plan -> !landedUnanswered.containsKey(plan.originKey())).toList();
            Iterator<WriteResult> answers = (writing.isEmpty() ? List.<WriteResult>of() : written(writing)).iterator();
            List<WriteResult> results = new ArrayList<>();
            for (int index : indexes) {
                String landed = landedUnanswered.get(plans.get(index).plan.originKey());
                // what the earlier write created is in the plan's existing items: the lookup found it by the key
                results.add(landed != null ? new WriteResult.Written(List.of(), landed) : answers.next());
            }
            for (int i = 0; i < indexes.size(); i++) {
                int index = indexes.get(i);
                Planned planned = plans.get(index);
                String key = planned.plan.originKey();
                if (results.get(i) instanceof WriteResult.Written written) {
                    if (claimed.remove(key)) {
                        ledger.captured(key, connector.name(), written.activityId());
                    }
                    List<ItemRef> items = new ArrayList<>(planned.existing);
                    written.created().stream().filter(item -> !items.contains(item)).forEach(items::add);
                    Pending capture = pending.get(index);
                    // a case opened by these writes, or by an interrupted earlier attempt that never got to acknowledge it
                    Optional<String> opened = written.caseNumber().or(() -> openedEarlier(planned, found));
                    DecisionRecord record = record(capture.request, landedEarlier(planned.decision, key), items,
                        Optional.of(written.activityId()), capture.drivingSettings(),
                        opened.or(() -> caseNumberOf(planned.decision.bindings(), found)));
                    outcomes[index] = new RoundOutcome.Decided(record);
                    opened.flatMap(number -> acknowledgement(capture, number)).ifPresent(CaptureService.this::acknowledge);
                } else {
                    CrmException cause = ((WriteResult.Failed) results.get(i)).cause();
                    planned.reservations.forEach(flood::release);
                    if (cause instanceof CrmUnavailableException && claimed.remove(key)) {
                        // no answer, or one that says nothing was refused: the write may have landed all the same
                        ledger.unanswered(key, connector.name());
                    } else {
                        release(key);
                    }
                    outcomes[index] = new RoundOutcome.Failed(cause);
                }
            }
        }

        /** The decision as recorded: said to be written by an earlier attempt, when that attempt's write landed unanswered. */
        private CaptureDecision landedEarlier(CaptureDecision decision, String key) {
            if (!landedUnanswered.containsKey(key)) {
                return decision;
            }
            return new CaptureDecision(decision.reason(), decision.detail() + "; written by an earlier attempt, whose answer"
                + " never arrived", decision.bindings(), decision.creations(), decision.responsibleId(),
                decision.label(), decision.tookTurn());
        }

        private void reportMissingUsers(CrmLookupResult found) {
            for (Pending capture : pending.values()) {
                EmailAddress mailbox = capture.request.classification().mailbox().orElseThrow();
                capture.employees().stream()
                    .filter(address -> !found.users().containsKey(address))
                    .filter(address -> address.equals(mailbox) || capture.settings.queue().contains(address)
                        || capture.settings.responsible().filter(address::equals).isPresent())
                    .filter(address -> !current.isGroupMailbox(address))
                    .forEach(address -> missingUsers.report(address, connector.name()));
            }
        }

        private RoundOutcome.Decided decided(Pending capture, CaptureDecision decision, List<ItemRef> items,
                                             Optional<String> activityId) {
            return new RoundOutcome.Decided(record(capture.request, decision, items, activityId, capture.drivingSettings(),
                Optional.empty()));
        }

        /**
         * The acknowledgement of the case a capture opened, when its group sends one, the mail is a person's,
         * the client is not on the never-log list and has not had its allowance in the window.
         */
        private Optional<AcknowledgementMail> acknowledgement(Pending capture, String caseNumber) {
            Optional<Acknowledgement> template = capture.settings.group().flatMap(GroupSettings::acknowledgement);
            if (template.isEmpty()) {
                return Optional.empty();
            }
            EmailAddress group = capture.request.classification().mailbox().orElseThrow();
            return acknowledgements.compose(capture.request.facts(), capture.request.classification(), template.get(), group, caseNumber)
                .filter(mail -> !current.neverLog().contains(mail.to()))
                .filter(mail -> acknowledgementsSent.tryReserve(mail.to(), new FloodLimit(template.get().perSender(), template.get().window()))
                    .isPresent());
        }

        /** A capturable request of the round with its mailbox's settings. */
        private final class Pending {
            private final CaptureRequest request;
            private final MailboxSettings settings;

            Pending(CaptureRequest request, MailboxSettings settings) {
                this.request = request;
                this.settings = settings;
            }

            Set<EmailAddress> employees() {
                Set<EmailAddress> employees = new LinkedHashSet<>(request.classification().employees());
                employees.addAll(settings.queue());
                settings.responsible().ifPresent(employees::add);
                return employees;
            }

            Map<String, String> drivingSettings() {
                EmailAddress mailbox = request.classification().mailbox().orElseThrow();
                Map<String, String> driving = CaptureService.drivingSettings(mailbox, settings, current);
                if (request.classification().manualSave()) {
                    driving.put("manualSave", "true");
                }
                return driving;
            }
        }
    }

    /**
     * The flood guard's answer for one capture.
     *
     * @param held the reservations taken, one per client; empty when refused
     * @param over the client over the limit, if any
     */
    private record FloodCheck(List<FloodCounters.Reservation> held, Optional<EmailAddress> over) {
    }

    /** A captured decision with its writes. */
    private record Planned(CaptureDecision decision, List<ItemRef> existing, WritePlan plan,
                           List<FloodCounters.Reservation> reservations) {
    }


    /** Hands an acknowledgement to the outbox; its failure leaves the decision as it is. */
    private void acknowledge(AcknowledgementMail mail) {
        try {
            outbox.send(mail);
        } catch (Exception e) {
            LOGGER.warn("Cannot send the acknowledgement of case {} to {}: {}", mail.caseNumber(), mail.to(), e.toString());
        }
    }

    /**
     * The number of the case a decision opens that an interrupted earlier attempt of the capture already
     * opened (found by its capture key, so left out of the plan): that attempt failed before its
     * acknowledgement, which is still owed.
     */
    private static Optional<String> openedEarlier(Planned planned, CrmLookupResult found) {
        boolean opens = planned.decision().creations().stream().anyMatch(NewCase.class::isInstance);
        if (!opens || planned.plan().creations().stream().anyMatch(NewCase.class::isInstance)) {
            return Optional.empty();
        }
        return caseNumberOf(planned.existing().stream().filter(item -> !planned.decision().bindings().contains(item)).toList(), found);
    }

    /** The number of the first case among {@code items} (a case a decision joins by its thread or token), when the lookup found it. */
    private static Optional<String> caseNumberOf(List<ItemRef> items, CrmLookupResult found) {
        return items.stream().filter(item -> item.type() == ItemType.CASE)
            .flatMap(item -> found.cases().values().stream().filter(known -> known.id().equals(item.id())))
            .map(CaseRecord::number).findFirst();
    }

    private DecisionRecord record(CaptureRequest request, CaptureDecision decision, List<ItemRef> items,
                                  Optional<String> activityId, Map<String, String> drivingSettings, Optional<String> caseNumber) {
        Classification classification = request.classification();
        DecisionRecord record = new DecisionRecord(
            request.facts().messageId(),
            request.facts().captureKey(),
            classification.direction(),
            request.facts().from().map(party -> party.address()),
            classification.clients(),
            classification.employees(),
            classification.mailbox(),
            decision.reason(),
            decision.label(),
            decision.detail(),
            items,
            activityId,
            decision.responsibleId(),
            drivingSettings,
            clock.instant(),
            caseNumber);
        decisions.record(record);
        metrics.decided(record.reason());
        return record;
    }

    private static Map<String, String> drivingSettings(EmailAddress mailbox, MailboxSettings settings, CaptureSettings all) {
        Map<String, String> driving = new LinkedHashMap<>();
        driving.put("mailbox", all.mailboxes().containsKey(mailbox) ? mailbox.value() : "defaults");
        driving.put("connector", all.connector().name());
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

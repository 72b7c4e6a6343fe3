package org.jamescrm.espocrm;

import static org.jamescrm.espocrm.EspoCrmFields.ACCOUNT;
import static org.jamescrm.espocrm.EspoCrmFields.CAPTURE_ITEMS;
import static org.jamescrm.espocrm.EspoCrmFields.CAPTURE_KEY;
import static org.jamescrm.espocrm.EspoCrmFields.CASE;
import static org.jamescrm.espocrm.EspoCrmFields.CONTACT;
import static org.jamescrm.espocrm.EspoCrmFields.EMAIL;
import static org.jamescrm.espocrm.EspoCrmFields.LEAD;
import static org.jamescrm.espocrm.EspoCrmFields.OPPORTUNITY;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.jamescrm.model.AttachmentInfo;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.model.MailParty;
import org.jamescrm.spi.ActivityDirection;
import org.jamescrm.spi.CaseRecord;
import org.jamescrm.spi.ClientRecord;
import org.jamescrm.spi.CrmCapabilities;
import org.jamescrm.spi.CrmConnector;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmLookup;
import org.jamescrm.spi.CrmLookupResult;
import org.jamescrm.spi.CrmRejectedException;
import org.jamescrm.spi.CrmText;
import org.jamescrm.spi.CrmUnavailableException;
import org.jamescrm.spi.CrmUser;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.ItemType;
import org.jamescrm.spi.NewCase;
import org.jamescrm.spi.NewContact;
import org.jamescrm.spi.NewDeal;
import org.jamescrm.spi.NewEmailActivity;
import org.jamescrm.spi.NewItem;
import org.jamescrm.spi.NewLead;
import org.jamescrm.spi.OneByOneCrm;
import org.jamescrm.spi.Plans;
import org.jamescrm.spi.RequestThreads;
import org.jamescrm.spi.WritePlan;
import org.jamescrm.spi.WriteResult;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The EspoCRM connector. EspoCRM has no batch API: the one-by-one operations ({@link OneByOneCrm}) are
 * its writes, plan by plan, several plans at once but never more than {@code requestsInFlight} requests
 * in flight; a round's lookups are list requests with {@code in} filters over all its values
 * ({@link EspoCrmLookups}).
 * <p>
 * Exactly once: every record written carries the capture key in the custom field {@code captureKey}
 * (the duplicate check's 409 answers the existing record instead of a second one). A plan's e-mail is
 * imported from the raw message with {@code importEml} when the plan carries it (EspoCRM keeps the real
 * Message-ID and de-duplicates by it), then bound to the parent the rules chose; without the raw message,
 * or on an EspoCRM older than 8.4, it is archived with {@code POST Email} and {@code status=Archived}
 * (never {@code Sending}: EspoCRM would send it). Its parent is the most specific item bound
 * (Case, Opportunity, Lead, Contact, Account): bound to a Case, the e-mail is in the case's stream.
 * <p>
 * Group mailboxes: a plan's {@code NewCase} becomes a Case (its {@code number} is the acknowledgement's
 * case token), and every record a plan creates, its e-mail included, is assigned to the plan's teams
 * ({@code teamsIds}; the settings name teams, {@link EspoCrmTeams} finds their ids).
 */
public final class EspoCrmConnector implements CrmConnector, OneByOneCrm {
    /** Items as parents of an e-mail, the most specific first. */
    private static final List<ItemType> PARENTS = List.of(ItemType.CASE, ItemType.DEAL, ItemType.LEAD, ItemType.CONTACT, ItemType.COMPANY);

    private final EspoCrmClient client;
    private final Clock clock;
    private final EspoCrmLookups lookups;
    private final EspoCrmTeams teams;
    private final RequestThreads plans;
    private final int parallelPlans;
    /** For the capture keys of the last round's lookup: the e-mail EspoCRM fetched itself with that Message-ID, if any. */
    private final Map<String, Optional<String>> fetchedByEspoCrm = new ConcurrentHashMap<>();
    /** Set when EspoCRM answered importEml with 404 (older than 8.4). */
    private volatile boolean importEmlMissing;

    public EspoCrmConnector(EspoCrmClient client, int requestsInFlight, Clock clock) {
        this.client = client;
        this.clock = clock;
        this.lookups = new EspoCrmLookups(client, clock);
        this.teams = new EspoCrmTeams(client, clock);
        this.parallelPlans = requestsInFlight;
        this.plans = new RequestThreads("espocrm-plans-" + Integer.toHexString(System.identityHashCode(this)) + "-", requestsInFlight);
    }

    /** A connector allowing the client's configured requests in flight. */
    public EspoCrmConnector(EspoCrmClient client, Clock clock) {
        this(client, client.requestsInFlight(), clock);
    }

    @Override
    public String name() {
        return "espocrm";
    }

    @Override
    public CrmCapabilities capabilities() {
        return new EspoCrmProvider().capabilities();
    }

    /**
     * {@code GET App/user}: the key is accepted, the API user may create e-mails and has access to the
     * Import scope, without which EspoCRM refuses to archive mail whose sender is not the API user's own
     * address (403 "Not allowed 'from' address.").
     */
    @Override
    public void checkConnection() throws CrmException {
        JsonNode app = client.get("App/user");
        String user = app.path("user").path("userName").asText(app.path("user").path("id").asText("?"));
        JsonNode table = app.path("acl").path("table");
        if (!table.path("Import").asBoolean(false)) {
            throw new CrmRejectedException("the EspoCRM API user '" + user + "' has no access to the Import scope: EspoCRM refuses "
                + "to archive mail from a client's address (403 \"Not allowed 'from' address.\"); add the Import scope to its role");
        }
        JsonNode email = table.path(EMAIL);
        if (email.isBoolean() ? !email.asBoolean() : email.isObject() && "no".equals(email.path("create").asText("yes"))) {
            throw new CrmRejectedException("the EspoCRM API user '" + user + "' may not create e-mails: give its role create access to Email");
        }
    }

    /**
     * A round's lookups in list requests with {@code in} filters of up to 100 values (about ten requests for
     * a small round, about twenty for 300 mails). The lookups that do not depend on one another run at
     * once, up to {@code requestsInFlight} (EspoCRM answers each after its own latency, and a round's
     * writes wait for its lookups).
     */
    @Override
    public CrmLookupResult lookUp(CrmLookup lookup) throws CrmException {
        Map<String, String> activities = new LinkedHashMap<>();
        Map<String, String> imported = new LinkedHashMap<>();
        Set<EmailAddress> employees = new LinkedHashSet<>(lookup.employees());
        employees.addAll(lookup.openItemsOf());
        CompletableFuture<Void> emails = async(() -> {
            lookups.emailsByKey(lookup.originKeys(), activities, imported);
            return null;
        });
        List<ItemType> createdTypes = List.of(ItemType.LEAD, ItemType.CONTACT, ItemType.DEAL, ItemType.CASE);
        List<CompletableFuture<Map<String, String>>> createdByType = createdTypes.stream()
            .map(type -> async(() -> lookups.byCaptureKey(EspoCrmFields.entity(type), lookup.originKeys()))).toList();
        CompletableFuture<Map<EmailAddress, CrmUser>> users = async(() -> lookups.users(employees));
        CompletableFuture<List<JsonNode>> contacts = async(() -> lookups.contactsOf(lookup.clients()));
        CompletableFuture<List<JsonNode>> leads = async(() -> lookups.leadsOf(lookup.clients()));
        CompletableFuture<List<JsonNode>> accounts = async(() -> lookups.accountsOf(lookup.clients()));
        CompletableFuture<Map<String, List<ItemRef>>> threads = async(() -> lookups.threadItems(lookup.threadMessageIds()));
        List<CompletableFuture<?>> all = new ArrayList<>(List.of(emails, users, contacts, leads, accounts, threads));
        all.addAll(createdByType);
        RequestThreads.awaitAll(all);
        for (CompletableFuture<?> part : all) {
            join(part);
        }
        // what the round's writes need to know, so that they need not ask again: rounds run one at a time
        fetchedByEspoCrm.clear();
        lookup.originKeys().forEach(key -> fetchedByEspoCrm.put(key, Optional.ofNullable(imported.get(key))));
        Map<String, List<ItemRef>> created = new LinkedHashMap<>();
        for (int i = 0; i < createdTypes.size(); i++) {
            ItemType type = createdTypes.get(i);
            join(createdByType.get(i)).forEach((key, id) -> created.computeIfAbsent(key, unused -> new ArrayList<>()).add(new ItemRef(type, id)));
        }
        Map<EmailAddress, CrmUser> usersFound = join(users);
        Set<String> counted = lookup.openItemsOf().stream().map(usersFound::get).filter(user -> user != null).map(CrmUser::id)
            .collect(Collectors.toCollection(LinkedHashSet::new));
        Map<String, List<ItemRef>> threadItems = join(threads);
        Set<String> caseIds = new LinkedHashSet<>();
        threadItems.values().forEach(items -> items.stream().filter(item -> item.type() == ItemType.CASE)
            .forEach(item -> caseIds.add(item.id())));
        created.values().forEach(items -> items.stream().filter(item -> item.type() == ItemType.CASE)
            .forEach(item -> caseIds.add(item.id())));
        // the second step: the Opportunities of the clients found, the open items of the users found, the
        // Cases of the round's case tokens and threads, and those interrupted attempts opened (their numbers
        // for the acknowledgement the retry sends)
        CompletableFuture<Map<String, Integer>> openItems = async(() -> lookups.openItems(counted));
        CompletableFuture<Map<String, CaseRecord>> cases = async(() -> lookups.cases(lookup.caseNumbers(), caseIds));
        Map<EmailAddress, ClientRecord> clients;
        try {
            clients = lookups.clients(lookup.clients(), join(contacts), join(leads), join(accounts));
        } finally {
            RequestThreads.awaitAll(List.of(openItems, cases)); // answered below
        }
        return new CrmLookupResult(activities, created, clients, threadItems, usersFound, join(openItems), join(cases));
    }

    private <T> CompletableFuture<T> async(RequestThreads.Part<T> lookup) {
        return plans.async(lookup);
    }

    private static <T> T join(CompletableFuture<T> part) throws CrmException {
        return RequestThreads.join(part);
    }

    /** The plans of a round, several at once (each plan's writes in order); a failing plan fails alone. */
    @Override
    public List<WriteResult> write(List<WritePlan> round) {
        if (round.size() == 1 || parallelPlans == 1) {
            return round.stream().map(this::write).toList();
        }
        List<CompletableFuture<WriteResult>> results = round.stream()
            .map(plan -> CompletableFuture.supplyAsync(() -> write(plan), plans)).toList();
        return results.stream().map(CompletableFuture::join).toList();
    }

    /**
     * One plan: its items in order (a deal linked to the contact created before it, a case to the lead or
     * contact created before it), then its e-mail, all assigned to the plan's teams.
     */
    private WriteResult write(WritePlan plan) {
        try {
            List<String> teamIds = teams.ids(plan.teams());
            List<ItemRef> created = new ArrayList<>();
            Optional<ItemRef> createdContact = Optional.empty();
            Optional<String> caseNumber = Optional.empty();
            for (NewItem item : plan.creations()) {
                ItemRef ref;
                if (item instanceof NewCase newCase) {
                    CaseRecord opened = createCase(newCase, List.copyOf(created), teamIds);
                    caseNumber = Optional.of(opened.number());
                    ref = opened.ref();
                } else if (item instanceof NewLead lead) {
                    ref = createLead(lead, teamIds);
                } else if (item instanceof NewDeal deal) {
                    ref = createDeal(Plans.linkContact(deal, createdContact), teamIds);
                } else {
                    ref = createContact((NewContact) item, teamIds);
                    createdContact = Optional.of(ref);
                }
                created.add(ref);
            }
            return new WriteResult.Written(created, archive(Plans.bindCreated(plan.activity(), created), plan.rawMessage(), teamIds),
                caseNumber);
        } catch (CrmException e) {
            return new WriteResult.Failed(e);
        }
    }

    @Override
    public Map<EmailAddress, CrmUser> findUsers(Set<EmailAddress> emails) throws CrmException {
        return lookups.users(emails);
    }

    @Override
    public Map<EmailAddress, ClientRecord> findClients(Set<EmailAddress> emails) throws CrmException {
        return lookups.clients(emails);
    }

    @Override
    public List<ItemRef> findThreadItems(List<String> messageIds) throws CrmException {
        Map<String, List<ItemRef>> found = lookups.threadItems(new LinkedHashSet<>(messageIds));
        return messageIds.stream().map(found::get).filter(items -> items != null).findFirst().orElse(List.of());
    }

    @Override
    public Optional<String> findActivityByOriginKey(String originKey) throws CrmException {
        return Optional.ofNullable(lookups.byCaptureKey(EMAIL, Set.of(originKey)).get(originKey));
    }

    @Override
    public Optional<ItemRef> findLeadByOriginKey(String originKey) throws CrmException {
        return byKey(ItemType.LEAD, originKey);
    }

    @Override
    public Optional<ItemRef> findContactByOriginKey(String originKey) throws CrmException {
        return byKey(ItemType.CONTACT, originKey);
    }

    @Override
    public Optional<ItemRef> findDealByOriginKey(String originKey) throws CrmException {
        return byKey(ItemType.DEAL, originKey);
    }

    @Override
    public Optional<ItemRef> findCaseByOriginKey(String originKey) throws CrmException {
        return byKey(ItemType.CASE, originKey);
    }

    @Override
    public Map<String, CaseRecord> findCases(Set<String> numbers, Set<String> ids) throws CrmException {
        return lookups.cases(numbers, ids);
    }

    private Optional<ItemRef> byKey(ItemType type, String originKey) throws CrmException {
        return Optional.ofNullable(lookups.byCaptureKey(EspoCrmFields.entity(type), Set.of(originKey)).get(originKey))
            .map(id -> new ItemRef(type, id));
    }

    @Override
    public Map<String, Integer> countOpenItems(Set<String> userIds) throws CrmException {
        return lookups.openItems(userIds);
    }

    /**
     * {@code POST Lead}; the duplicate check stays on (a 409 answers the existing lead of the address,
     * used instead of a second; a namesake of another address is not the client, so the lead is then
     * created past the check) unless the rules asked for a repeat lead of a known client
     * ({@code X-Skip-Duplicate-Check}).
     */
    @Override
    public ItemRef createLead(NewLead lead) throws CrmException {
        return createLead(lead, List.of());
    }

    private ItemRef createLead(NewLead lead, List<String> teamIds) throws CrmException {
        String[] names = EspoCrmFields.names(lead.name());
        ObjectNode attributes = client.object()
            .put("firstName", names[0])
            .put("lastName", names[1].isEmpty() ? lead.email().localPart() : names[1])
            .put("emailAddress", lead.email().value())
            .put("source", EspoCrmFields.source(lead.source()))
            .put("status", lead.responsibleId().isPresent() ? "Assigned" : "New")
            .put("description", lead.title() + (lead.returnCustomer() ? "\n\nReturning customer." : ""))
            .put(CAPTURE_KEY, lead.originKey());
        assign(attributes, lead.responsibleId(), teamIds);
        return new ItemRef(ItemType.LEAD, created(LEAD, client.create(LEAD, attributes, lead.returnCustomer(),
            existing -> EspoCrmFields.hasAddress(existing, lead.email()))));
    }

    /**
     * {@code POST Contact}, linked to the Account named after the address's domain when the domain is a
     * company's (not a free mail provider's): the Account is created unless the duplicate check finds one
     * of that name.
     */
    @Override
    public ItemRef createContact(NewContact contact) throws CrmException {
        return createContact(contact, List.of());
    }

    private ItemRef createContact(NewContact contact, List<String> teamIds) throws CrmException {
        String[] names = EspoCrmFields.names(contact.name());
        ObjectNode attributes = client.object()
            .put("firstName", names[0])
            .put("lastName", names[1].isEmpty() ? contact.email().localPart() : names[1])
            .put("emailAddress", contact.email().value())
            .put(CAPTURE_KEY, contact.originKey());
        assign(attributes, contact.responsibleId(), teamIds);
        Optional<String> account = companyAccount(contact.email(), contact.responsibleId(), contact.originKey(), teamIds);
        account.ifPresent(id -> attributes.put("accountId", id));
        return new ItemRef(ItemType.CONTACT, created(CONTACT, client.create(CONTACT, attributes, false,
            existing -> EspoCrmFields.hasAddress(existing, contact.email()))));
    }

    private Optional<String> companyAccount(EmailAddress email, Optional<String> responsibleId, String originKey, List<String> teamIds)
            throws CrmException {
        String domain = email.domain().toLowerCase(java.util.Locale.ROOT);
        if (EspoCrmFields.FREE_MAIL.contains(domain)) {
            return Optional.empty();
        }
        ObjectNode attributes = client.object().put("name", domain).put("website", domain).put(CAPTURE_KEY, originKey);
        assign(attributes, responsibleId, teamIds);
        return Optional.of(client.create(ACCOUNT, attributes, false).id());
    }

    /** {@code POST Opportunity} in stage Prospecting, amount 0, closing in 30 days (EspoCRM requires both). */
    @Override
    public ItemRef createDeal(NewDeal deal) throws CrmException {
        return createDeal(deal, List.of());
    }

    private ItemRef createDeal(NewDeal deal, List<String> teamIds) throws CrmException {
        ObjectNode attributes = client.object()
            .put("name", CrmText.truncate(deal.title().isBlank() ? "(No Subject)" : deal.title(), EspoCrmFields.NAME_LENGTH))
            .put("amount", 0)
            .put("closeDate", LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(30).toString())
            .put("stage", "Prospecting")
            .put("probability", 10)
            .put("leadSource", "Email")
            .put(CAPTURE_KEY, deal.originKey());
        if (deal.returnCustomer()) {
            attributes.put("description", "Returning customer.");
        }
        assign(attributes, deal.responsibleId(), teamIds);
        List<String> contacts = deal.contact().map(contact -> List.of(contact.id())).orElse(List.of());
        link(attributes, deal.company().map(ItemRef::id), contacts);
        return new ItemRef(ItemType.DEAL, created(OPPORTUNITY, client.create(OPPORTUNITY, attributes, false)));
    }

    /**
     * Links a record to the client's contacts ({@code contactId}, {@code contactsIds}) and Account: the
     * one given, else the first contact's ({@code GET Contact}), as EspoCRM's own forms fill it.
     */
    private void link(ObjectNode attributes, Optional<String> account, List<String> contacts) throws CrmException {
        if (!contacts.isEmpty()) {
            attributes.put("contactId", contacts.get(0));
            ArrayNode ids = attributes.putArray("contactsIds");
            contacts.forEach(ids::add);
            if (account.isEmpty()) {
                account = EspoCrmLookups.text(client.get(CONTACT + "/" + contacts.get(0)), "accountId");
            }
        }
        account.ifPresent(id -> attributes.put("accountId", id));
    }

    @Override
    public CaseRecord createCase(NewCase newCase, List<ItemRef> createdClientItems) throws CrmException {
        return createCase(newCase, createdClientItems, List.of());
    }

    /**
     * {@code POST Case} in status New, named after the subject, the mail's text as description, bound as
     * EspoCRM's own e-mail-to-case binds a case: to the client's Account and Contacts, else its Lead, from
     * the client's items and the lead or contact the plan created before it. Its {@code number} (EspoCRM's
     * auto-increment, read-only) is the case token's. EspoCRM has no duplicate check on Case: a retry of an
     * interrupted capture finds the case by its capture key in the round's lookup and opens none.
     */
    private CaseRecord createCase(NewCase newCase, List<ItemRef> createdClientItems, List<String> teamIds) throws CrmException {
        List<ItemRef> items = new ArrayList<>(newCase.clientItems());
        createdClientItems.stream().filter(item -> item.type() == ItemType.LEAD || item.type() == ItemType.CONTACT)
            .filter(item -> !items.contains(item)).forEach(items::add);
        ObjectNode attributes = client.object()
            .put("name", CrmText.truncate(newCase.subject().isBlank() ? "(No Subject)" : newCase.subject(), EspoCrmFields.NAME_LENGTH))
            .put("description", newCase.description())
            .put("status", "New")
            .put(CAPTURE_KEY, newCase.originKey());
        assign(attributes, newCase.responsibleId(), teamIds);
        link(attributes, ids(items, ItemType.COMPANY).stream().findFirst(), ids(items, ItemType.CONTACT));
        ids(items, ItemType.LEAD).stream().findFirst().ifPresent(lead -> attributes.put("leadId", lead));
        EspoCrmClient.Created answer = client.create(CASE, attributes, false);
        String id = created(CASE, answer);
        String number = answer.record().path("number").asText("");
        if (number.isEmpty()) {
            throw new CrmRejectedException("EspoCRM answered the new Case " + id + " without its number: give the API user's role"
                + " read access to the Case field 'number' (the acknowledgement's case token)");
        }
        return new CaseRecord(id, number, newCase.responsibleId(), true);
    }

    private static List<String> ids(List<ItemRef> items, ItemType type) {
        return items.stream().filter(item -> item.type() == type).map(ItemRef::id).distinct().toList();
    }

    /** {@code PUT} of the item's {@code teamsIds}: the teams named, by name or id. */
    @Override
    public void assignTeams(ItemRef item, List<String> teamNames) throws CrmException {
        ObjectNode attributes = client.object();
        assign(attributes, Optional.empty(), teams.ids(teamNames));
        client.update(EspoCrmFields.entity(item.type()), item.id(), attributes);
    }

    /** The responsible user ({@code assignedUserId}) and teams ({@code teamsIds}) of a record to write. */
    private static void assign(ObjectNode attributes, Optional<String> responsibleId, List<String> teamIds) {
        responsibleId.ifPresent(id -> attributes.put("assignedUserId", id));
        if (!teamIds.isEmpty()) {
            ArrayNode ids = attributes.putArray("teamsIds");
            teamIds.forEach(ids::add);
        }
    }

    /**
     * {@code POST Email} with {@code status=Archived} (never {@code Sending}), parent the most specific item
     * bound, the attachments uploaded first ({@code POST Attachment}); those without content are listed in
     * the body. An e-mail bound to nothing is refused: EspoCRM would keep it unlinked. When EspoCRM already
     * holds the message (fetched by one of its own mailboxes, Message-ID de-duplicated), that e-mail is
     * bound instead ({@code PUT Email}): never two e-mails of one message.
     */
    @Override
    public String createEmailActivity(NewEmailActivity activity) throws CrmException {
        return archive(activity, Optional.empty(), List.of());
    }

    /**
     * The e-mail of a capture, bound to the most specific item as its parent and to all in
     * {@value EspoCrmFields#CAPTURE_ITEMS}: the e-mail EspoCRM already holds with the Message-ID (fetched
     * by one of its mailboxes, or imported by an interrupted attempt), else the raw message through
     * {@code importEml} (EspoCRM keeps the real Message-ID and de-duplicates by it), else {@code POST Email}.
     * The teams are added to those of an e-mail EspoCRM already held (its own mailbox gave it teams of its
     * own: {@code POST Email/{id}/teams}), set on one the capture writes.
     */
    private String archive(NewEmailActivity activity, Optional<Supplier<byte[]>> raw, List<String> teamIds) throws CrmException {
        ItemRef parent = PARENTS.stream().flatMap(type -> activity.bindings().stream().filter(item -> item.type() == type)).findFirst()
            .orElseThrow(() -> new CrmRejectedException("the e-mail " + activity.originKey()
                + " is bound to no CRM item; EspoCRM would archive it linked to nothing"));
        ObjectNode binding = client.object()
            .put("parentType", EspoCrmFields.entity(parent.type()))
            .put("parentId", parent.id())
            .put(CAPTURE_KEY, activity.originKey())
            .put(CAPTURE_ITEMS, CrmText.truncate(
                EspoCrmFields.captureItems(activity.direction() == ActivityDirection.OUTGOING, activity.bindings()), 255));
        activity.responsibleId().ifPresent(id -> binding.put("assignedUserId", id));
        Optional<String> held = importedByEspoCrm(activity);
        if (held.isPresent()) {
            String id = created(EMAIL, new EspoCrmClient.Created(client.update(EMAIL, held.get(), binding), false));
            if (!teamIds.isEmpty()) {
                client.relate(EMAIL, id, "teams", teamIds);
            }
            return id;
        }
        assign(binding, Optional.empty(), teamIds);
        if (raw.isPresent() && activity.messageId().isPresent() && !importEmlMissing) {
            held = importEml(raw.get().get(), activity.messageId().get());
        }
        if (held.isPresent()) {
            return created(EMAIL, new EspoCrmClient.Created(client.update(EMAIL, held.get(), binding), false));
        }
        return post(activity, binding);
    }

    /** The e-mail {@code importEml} made of the message, or found with its Message-ID; empty when EspoCRM has no importEml. */
    private Optional<String> importEml(byte[] raw, String messageId) throws CrmException {
        ObjectNode file = client.object()
            .put("name", "message.eml")
            .put("type", "message/rfc822")
            .put("role", "Attachment")
            .put("relatedType", "ImportEml")
            .put("field", "file")
            .put("file", "data:message/rfc822;base64," + Base64.getEncoder().encodeToString(raw));
        Optional<EspoCrmClient.Imported> imported = client.importEml(client.create("Attachment", file, false).id());
        if (imported.isEmpty()) {
            importEmlMissing = true; // an EspoCRM older than 8.4: POST Email from now on
            return Optional.empty();
        }
        if (imported.get().emailId().isPresent()) {
            return imported.get().emailId();
        }
        Optional<String> found = byMessageId(messageId);
        if (found.isEmpty()) {
            throw new CrmUnavailableException("EspoCRM says the message " + messageId + " is already imported but lists no e-mail of it",
                Optional.empty(), null);
        }
        return found;
    }

    /** {@code POST Email} with {@code status=Archived}: the fallback without the raw message or importEml. */
    private String post(NewEmailActivity activity, ObjectNode binding) throws CrmException {
        String subject = CrmText.truncate(activity.subject().isBlank() ? "(No Subject)" : activity.subject(), EspoCrmFields.NAME_LENGTH);
        ObjectNode email = client.object()
            .put("name", subject)
            .put("subject", subject)
            .put("from", activity.from().address().value())
            .put("fromString", display(activity.from()))
            .put("to", addresses(activity.to()))
            .put("cc", addresses(activity.cc()))
            .put("status", "Archived")
            .put("dateSent", EspoCrmFields.dateTime(activity.sentAt().orElse(activity.receivedAt())));
        email.setAll(binding);
        body(email, activity);
        ArrayNode attachments = email.putArray("attachmentsIds");
        for (AttachmentInfo attachment : activity.attachments()) {
            if (attachment.hasContent()) {
                attachments.add(upload(attachment));
            }
        }
        return created(EMAIL, client.create(EMAIL, email, false));
    }

    /**
     * The e-mail EspoCRM imported itself with the message's Message-ID, if any: as the round's lookup
     * found it, else one list request.
     */
    private Optional<String> importedByEspoCrm(NewEmailActivity activity) throws CrmException {
        if (activity.messageId().isEmpty()) {
            return Optional.empty();
        }
        Optional<String> looked = activity.messageId().equals(Optional.of(activity.originKey()))
            ? fetchedByEspoCrm.remove(activity.originKey()) : null;
        if (looked != null) {
            return looked;
        }
        return byMessageId(activity.messageId().get());
    }

    private Optional<String> byMessageId(String messageId) throws CrmException {
        ArrayNode where = client.array().add(lookups.in("messageId", List.of(messageId.startsWith("<") ? messageId : "<" + messageId + ">")));
        return client.list(EMAIL, where, "id,messageId").stream().map(email -> email.path("id").asText()).findFirst();
    }

    private static void body(ObjectNode email, NewEmailActivity activity) {
        CrmText.Body body = CrmText.body(activity);
        email.put("isHtml", body.html()).put("body", body.content());
    }

    private String upload(AttachmentInfo attachment) throws CrmException {
        String type = attachment.contentType().isBlank() ? "application/octet-stream" : attachment.contentType();
        ObjectNode file = client.object()
            .put("name", attachment.fileName())
            .put("type", type)
            .put("role", "Attachment")
            .put("parentType", EMAIL)
            .put("field", "attachments")
            .put("file", "data:" + type + ";base64," + Base64.getEncoder().encodeToString(attachment.content()));
        return client.create("Attachment", file, false).id();
    }

    /**
     * The id of a created record, after checking EspoCRM kept its capture key: EspoCRM silently drops an
     * attribute it does not know, and a record without its key would be written again by a retry.
     */
    private static String created(String entityType, EspoCrmClient.Created created) throws CrmException {
        if (!created.existed() && !created.record().hasNonNull(CAPTURE_KEY)) {
            throw new CrmRejectedException("EspoCRM did not keep the capture key of the " + entityType + " " + created.id()
                + ": add the varchar field 'captureKey' (" + CAPTURE_KEY + ") to " + entityType + " in Administration > Entity Manager"
                + (entityType.equals(EMAIL) ? ", and the varchar field 'captureItems' (" + CAPTURE_ITEMS + ") to Email" : ""));
        }
        return created.id();
    }

    private static String addresses(List<MailParty> parties) {
        return parties.stream().map(party -> party.address().value()).collect(Collectors.joining(";"));
    }

    private static String display(MailParty party) {
        return party.displayName().map(name -> name.replace("\"", "") + " <" + party.address().value() + ">")
            .orElse(party.address().value());
    }
}

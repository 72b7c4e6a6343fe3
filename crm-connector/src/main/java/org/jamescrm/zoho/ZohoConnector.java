package org.jamescrm.zoho;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.spi.ClientRecord;
import org.jamescrm.spi.ConnectorView;
import org.jamescrm.spi.CrmCapabilities;
import org.jamescrm.spi.CrmConnector;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmLookup;
import org.jamescrm.spi.CrmLookupResult;
import org.jamescrm.spi.CrmUser;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.ItemType;
import org.jamescrm.spi.NewContact;
import org.jamescrm.spi.NewDeal;
import org.jamescrm.spi.NewEmailActivity;
import org.jamescrm.spi.NewLead;
import org.jamescrm.spi.OneByOneCrm;
import org.jamescrm.spi.RequestThreads;
import org.jamescrm.spi.WritePlan;
import org.jamescrm.spi.WriteResult;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Zoho CRM connector (API v8). A round's lookups are a few COQL queries over all its addresses and
 * capture keys, and its e-mails checked by {@code email_available} five to a composite request
 * ({@link ZohoLookups}); its writes are inserts of up to a hundred records and {@code associate_email}
 * five to a composite request ({@link ZohoWrites}). Exactly once: Leads, Contacts and Deals carry the
 * capture key in the custom field {@value ZohoFields#CAPTURE_KEY}, e-mails carry it as their
 * {@code original_message_id}, and a round finds both before writing. One access token for the
 * connector, refreshed by one thread ({@link ZohoTokens}); the organisation's concurrency and the
 * credits Zoho reports kept on the client side ({@link ZohoLimits}) and shown as the view
 * {@code /crm/zoho} beside the status route.
 */
public final class ZohoConnector implements CrmConnector, OneByOneCrm, ConnectorView {
    /** A round of this many captures or more fills a composite request with its e-mails. */
    static final int FULL_COMPOSITE = ZohoComposite.SUB_REQUESTS;

    private final ZohoClient client;
    private final ZohoMetadata metadata;
    private final ZohoLookups lookups;
    private final ZohoWrites writes;
    private final RequestThreads parts;

    public ZohoConnector(ZohoClient client, Clock clock) {
        this.client = client;
        this.metadata = new ZohoMetadata(client, clock);
        String prefix = "zoho-" + Integer.toHexString(System.identityHashCode(this));
        this.parts = new RequestThreads(prefix + "-round-", client.configuration().concurrency());
        // threads of their own: a round's part waits for its queries and composite requests, which must never wait behind it
        RequestThreads requests = new RequestThreads(prefix + "-request-", client.configuration().concurrency());
        ZohoComposite composite = new ZohoComposite(client, requests);
        this.lookups = new ZohoLookups(client, composite, metadata, clock, requests);
        this.writes = new ZohoWrites(client, composite, metadata, clock, parts);
    }

    @Override
    public String name() {
        return "zoho";
    }

    @Override
    public CrmCapabilities capabilities() {
        return new ZohoProvider().capabilities();
    }

    /**
     * A token from the data centre's accounts host (a wrong data centre is named), then the current user,
     * and the field settings the writes need.
     */
    @Override
    public void checkConnection() throws CrmException {
        client.get("users", "type", "CurrentUser");
        metadata.firstOpenStage();
        metadata.picklist(ZohoFields.LEADS, "Lead_Source");
    }

    /**
     * A round's lookups: in parallel, the e-mails of its capture keys and threads (composite requests of five
     * {@code email_available}), the active users, and the Leads and Contacts of its addresses or capture keys
     * (one COQL query each per fifty values); then the Accounts of the contacts found, the Deals of those
     * contacts and accounts or capture keys, and the open items of the counted users.
     */
    @Override
    public CrmLookupResult lookUp(CrmLookup lookup) throws CrmException {
        Set<String> keys = lookup.originKeys();
        Set<String> messageIds = new LinkedHashSet<>(keys);
        messageIds.addAll(lookup.threadMessageIds());
        Set<EmailAddress> employees = new LinkedHashSet<>(lookup.employees());
        employees.addAll(lookup.openItemsOf());
        CompletableFuture<Map<String, List<ItemRef>>> emails = async(() -> messageIds.isEmpty() ? Map.of() : lookups.emails(messageIds));
        CompletableFuture<Map<EmailAddress, CrmUser>> users = async(() -> lookups.users(employees));
        boolean people = !lookup.clients().isEmpty() || !keys.isEmpty();
        CompletableFuture<List<JsonNode>> leads = async(() -> people
            ? lookups.people(ZohoFields.LEADS, lookup.clients(), keys, " and Converted__s = false") : List.of());
        CompletableFuture<List<JsonNode>> contacts = async(() -> people ? lookups.people(ZohoFields.CONTACTS, lookup.clients(), keys, "")
            : List.of());
        // the second step starts as soon as what it needs is in, while the e-mails are still being checked
        CompletableFuture<Set<String>> contactIds = contacts.thenApply(found -> {
            Set<String> ids = new LinkedHashSet<>();
            found.stream().filter(contact -> lookup.clients().stream().anyMatch(email -> ZohoFields.hasAddress(contact, email)))
                .forEach(contact -> ids.add(contact.path("id").asText()));
            return ids;
        });
        CompletableFuture<Set<String>> accountIds = contacts.thenCombine(contactIds, (found, ids) -> ZohoLookups.ids(found.stream()
            .filter(contact -> ids.contains(contact.path("id").asText())).toList(), "Account_Name"));
        CompletableFuture<List<JsonNode>> accounts = accountIds.thenCompose(ids -> async(() -> ids.isEmpty() ? List.of()
            : lookups.accounts(ids)));
        CompletableFuture<List<JsonNode>> deals = contactIds.thenCombine(accountIds, (contactsOf, accountsOf) -> List.of(contactsOf, accountsOf))
            .thenCompose(ids -> async(() -> ids.get(0).isEmpty() && ids.get(1).isEmpty() && keys.isEmpty() ? List.of()
                : lookups.deals(ids.get(0), ids.get(1), keys)));
        CompletableFuture<Map<String, Integer>> openItems = users.thenCompose(found -> async(() -> {
            Set<String> counted = lookup.openItemsOf().stream().map(found::get).filter(user -> user != null).map(CrmUser::id)
                .collect(Collectors.toCollection(LinkedHashSet::new));
            return counted.isEmpty() ? Map.of() : lookups.openItems(counted);
        }));
        RequestThreads.awaitAll(List.of(emails, users, leads, contacts, accounts, deals, openItems));
        Map<EmailAddress, CrmUser> usersFound = RequestThreads.join(users);
        List<JsonNode> contactsFound = RequestThreads.join(contacts);
        Map<String, List<ItemRef>> found = RequestThreads.join(emails);
        Map<String, String> activities = new LinkedHashMap<>();
        keys.stream().filter(found::containsKey).forEach(key -> activities.put(key, key));
        Map<String, List<ItemRef>> threads = new LinkedHashMap<>();
        lookup.threadMessageIds().stream().filter(found::containsKey).forEach(id -> threads.put(id, found.get(id)));
        Map<String, List<ItemRef>> created = new LinkedHashMap<>();
        addCreated(created, ItemType.LEAD, ZohoLookups.byCaptureKey(RequestThreads.join(leads), keys));
        addCreated(created, ItemType.CONTACT, ZohoLookups.byCaptureKey(contactsFound, keys));
        addCreated(created, ItemType.DEAL, ZohoLookups.byCaptureKey(RequestThreads.join(deals), keys));
        Map<EmailAddress, ClientRecord> clients = lookups.clients(lookup.clients(), contactsFound, RequestThreads.join(leads), RequestThreads.join(accounts), RequestThreads.join(deals));
        return new CrmLookupResult(activities, created, clients, threads, usersFound, RequestThreads.join(openItems));
    }

    private static void addCreated(Map<String, List<ItemRef>> created, ItemType type, Map<String, String> byKey) {
        byKey.forEach((key, id) -> created.computeIfAbsent(key, unused -> new ArrayList<>()).add(new ItemRef(type, id)));
    }

    /** The plans of a round: inserts by kind, then the e-mails; a failing plan fails alone. */
    @Override
    public List<WriteResult> write(List<WritePlan> plans) {
        return writes.write(plans);
    }

    /**
     * Once Zoho reports its credits (half the day's spent), a round waits for enough captures to fill a
     * composite request, which costs one credit for five e-mails, unless no more are coming; before that,
     * a round costs the same now as later.
     */
    @Override
    public Duration budgetWait(int captures, int arriving, Duration roundWait) {
        if (client.limits().creditsRemaining().isEmpty() || captures >= FULL_COMPOSITE || arriving == 0) {
            return Duration.ZERO;
        }
        return roundWait;
    }

    @Override
    public String viewName() {
        return "zoho";
    }

    /** The data centre, the API domain, the token's expiry and refreshes, the concurrency and the credits. */
    @Override
    public Map<String, Object> limits() {
        return client.limits().view();
    }

    @Override
    public Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("dataCentre", client.configuration().dataCentre().name());
        view.put("accountsUrl", client.configuration().accounts());
        Optional<ZohoTokens.Token> token = client.tokens().current();
        view.put("apiDomain", client.configuration().apiUrl().orElse(token.map(ZohoTokens.Token::apiDomain).orElse(null)));
        view.put("tokenExpiresAt", token.map(current -> current.expiresAt().toString()).orElse(null));
        view.put("tokenRefreshes", client.tokens().refreshCount());
        view.putAll(client.limits().view());
        return view;
    }

    // ---- the operations one at a time

    @Override
    public Map<EmailAddress, CrmUser> findUsers(Set<EmailAddress> emails) throws CrmException {
        return lookups.users(emails);
    }

    @Override
    public Map<EmailAddress, ClientRecord> findClients(Set<EmailAddress> emails) throws CrmException {
        CrmLookupResult found = lookUp(new CrmLookup(Set.of(), Set.of(), emails, Set.of(), Set.of()));
        Map<EmailAddress, ClientRecord> clients = new LinkedHashMap<>();
        emails.forEach(email -> clients.put(email, found.clients().getOrDefault(email, ClientRecord.unknown(email))));
        return clients;
    }

    @Override
    public List<ItemRef> findThreadItems(List<String> messageIds) throws CrmException {
        Map<String, List<ItemRef>> found = lookups.emails(new LinkedHashSet<>(messageIds));
        return messageIds.stream().map(found::get).filter(items -> items != null && !items.isEmpty()).findFirst().orElse(List.of());
    }

    @Override
    public Optional<String> findActivityByOriginKey(String originKey) throws CrmException {
        return lookups.emails(Set.of(originKey)).containsKey(originKey) ? Optional.of(originKey) : Optional.empty();
    }

    @Override
    public Optional<ItemRef> findLeadByOriginKey(String originKey) throws CrmException {
        return lookUp(new CrmLookup(Set.of(originKey), Set.of(), Set.of(), Set.of(), Set.of())).created(originKey, ItemType.LEAD);
    }

    @Override
    public Optional<ItemRef> findContactByOriginKey(String originKey) throws CrmException {
        return lookUp(new CrmLookup(Set.of(originKey), Set.of(), Set.of(), Set.of(), Set.of())).created(originKey, ItemType.CONTACT);
    }

    @Override
    public Optional<ItemRef> findDealByOriginKey(String originKey) throws CrmException {
        return lookUp(new CrmLookup(Set.of(originKey), Set.of(), Set.of(), Set.of(), Set.of())).created(originKey, ItemType.DEAL);
    }

    @Override
    public Map<String, Integer> countOpenItems(Set<String> userIds) throws CrmException {
        return lookups.openItems(userIds);
    }

    @Override
    public ItemRef createLead(NewLead lead) throws CrmException {
        return writes.create(lead);
    }

    @Override
    public ItemRef createContact(NewContact contact) throws CrmException {
        return writes.create(contact);
    }

    @Override
    public ItemRef createDeal(NewDeal deal) throws CrmException {
        return writes.create(deal);
    }

    @Override
    public String createEmailActivity(NewEmailActivity activity) throws CrmException {
        return writes.associate(activity);
    }

    private <T> CompletableFuture<T> async(RequestThreads.Part<T> part) {
        return parts.async(part);
    }
}

package org.jamescrm.salesforce;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.spi.ClientRecord;
import org.jamescrm.spi.ConnectorView;
import org.jamescrm.spi.CrmCapabilities;
import org.jamescrm.spi.CrmConnector;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmLookup;
import org.jamescrm.spi.CrmLookupResult;
import org.jamescrm.spi.CrmRejectedException;
import org.jamescrm.spi.CrmUser;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.ItemType;
import org.jamescrm.spi.NewContact;
import org.jamescrm.spi.NewDeal;
import org.jamescrm.spi.NewEmailActivity;
import org.jamescrm.spi.NewLead;
import org.jamescrm.spi.OneByOneCrm;
import org.jamescrm.spi.WritePlan;
import org.jamescrm.spi.WriteResult;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Salesforce connector. A round's lookups are two Composite requests of SOQL queries
 * ({@link SalesforceLookups}); its writes are sObject Collections calls of 200 records ({@link SalesforceWrites}):
 * a round of 200 mails to known clients costs four API calls. The org's daily API budget is read from every
 * answer and shown by {@link #view()} ({@code GET /crm/salesforce}); above {@code budgetShare} the open items of
 * least-busy are no longer counted and rounds wait to fill, at the limit the captures wait in the queue.
 * <p>
 * The e-mail activity is an {@code EmailMessage} where the org has Enhanced Email, else a Task of subtype Email:
 * found once, by the describe of {@link #checkConnection()} or of the first write. Exactly once: every record
 * carries the SHA-256 of its capture key in the custom field {@code captureKeyField}, by which the round's lookup
 * finds what an interrupted capture wrote (and which, as an External ID, upserts the activities).
 */
public final class SalesforceConnector implements CrmConnector, OneByOneCrm, ConnectorView {
    private final SalesforceClient client;
    private final SalesforceConfiguration configuration;
    private final SalesforceLookups lookups;
    private final SalesforceWrites writes;
    /** {@code EmailMessage} or {@code Task}, once found. */
    private volatile String activityObject;

    public SalesforceConnector(SalesforceClient client, SalesforceConfiguration configuration, Clock clock) {
        this.client = client;
        this.configuration = configuration;
        this.lookups = new SalesforceLookups(client, configuration);
        this.writes = new SalesforceWrites(client, configuration, clock);
    }

    @Override
    public String name() {
        return "salesforce";
    }

    @Override
    public CrmCapabilities capabilities() {
        return new SalesforceProvider().capabilities();
    }

    /**
     * One Composite request of describes: the token is granted, the org has the capture key field on Lead, Contact,
     * Opportunity and on the activity's object (EmailMessage, else Task), and whether it has Enhanced Email.
     */
    @Override
    public void checkConnection() throws CrmException {
        List<String> objects = List.of(SalesforceFields.LEAD, SalesforceFields.CONTACT, SalesforceFields.OPPORTUNITY,
            SalesforceFields.EMAIL_MESSAGE, SalesforceFields.TASK);
        Map<String, Optional<JsonNode>> described = client.describe(objects);
        String activity = described.get(SalesforceFields.EMAIL_MESSAGE).isPresent() ? SalesforceFields.EMAIL_MESSAGE : SalesforceFields.TASK;
        for (String object : List.of(SalesforceFields.LEAD, SalesforceFields.CONTACT, SalesforceFields.OPPORTUNITY, activity)) {
            JsonNode describe = described.get(object).orElseThrow(() -> new CrmRejectedException("the Salesforce run-as user cannot see "
                + "the object " + object));
            if (!hasField(describe, configuration.captureKeyField())) {
                throw new CrmRejectedException("Salesforce's " + object + " has no field " + configuration.captureKeyField()
                    + ": add a text field (length 64) of that API name to Lead, Contact, Opportunity and " + activity
                    + " (Setup > Object Manager), readable and editable by the run-as user, or set <salesforce><captureKeyField>");
            }
        }
        activityObject = activity;
    }

    private static boolean hasField(JsonNode describe, String field) {
        for (JsonNode candidate : describe.path("fields")) {
            if (candidate.path("name").asText("").equalsIgnoreCase(field)) {
                return true;
            }
        }
        return false;
    }

    /** The activity's object: {@code EmailMessage} with Enhanced Email, else {@code Task}; one describe the first time. */
    private String activityObject() throws CrmException {
        String found = activityObject;
        if (found == null) {
            found = client.describe(List.of(SalesforceFields.EMAIL_MESSAGE)).get(SalesforceFields.EMAIL_MESSAGE).isPresent()
                ? SalesforceFields.EMAIL_MESSAGE : SalesforceFields.TASK;
            activityObject = found;
        }
        return found;
    }

    /** Two Composite requests for a round of up to 200 addresses and keys; least-busy counts only below the budget share. */
    @Override
    public CrmLookupResult lookUp(CrmLookup lookup) throws CrmException {
        return lookups.lookUp(lookup, activityObject(), client.budget().optionalWorkAllowed());
    }

    /** The round's plans in sObject Collections calls; a plan refused fails alone. */
    @Override
    public List<WriteResult> write(List<WritePlan> plans) {
        String activity;
        try {
            activity = activityObject();
        } catch (CrmException e) {
            return plans.stream().<WriteResult>map(plan -> new WriteResult.Failed(e)).toList();
        }
        return writes.write(plans, activity);
    }

    /**
     * Above the budget share a round costs the same few calls for 1 capture as for 200: it waits up to
     * {@code roundWait} for others while it is not full. Below it, a round starts at once.
     */
    @Override
    public Duration budgetWait(int captures, int arriving, Duration roundWait) {
        return client.budget().tight() && captures < SalesforceClient.COLLECTION_RECORDS ? roundWait : Duration.ZERO;
    }

    @Override
    public String viewName() {
        return "salesforce";
    }

    /** The daily API budget as the last answer gave it, whether optional work stopped, and the API calls sent. */
    @Override
    public Map<String, Object> limits() {
        return Map.of("dailyApiBudget", client.budget().view());
    }

    @Override
    public Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>(client.budget().view());
        view.put("apiCallsSent", client.apiCalls());
        view.put("activityObject", activityObject);
        return view;
    }

    // ---- the one-by-one operations, answered with the round's requests ----

    private CrmLookupResult lookUp(Set<String> keys, Set<String> threads, Set<EmailAddress> clients, Set<EmailAddress> employees)
            throws CrmException {
        return lookUp(new CrmLookup(keys, threads, clients, employees, Set.of()));
    }

    @Override
    public Map<EmailAddress, CrmUser> findUsers(Set<EmailAddress> emails) throws CrmException {
        return lookUp(Set.of(), Set.of(), Set.of(), emails).users();
    }

    @Override
    public Map<EmailAddress, ClientRecord> findClients(Set<EmailAddress> emails) throws CrmException {
        Map<EmailAddress, ClientRecord> found = new LinkedHashMap<>(lookUp(Set.of(), Set.of(), emails, Set.of()).clients());
        emails.forEach(email -> found.putIfAbsent(email, ClientRecord.unknown(email)));
        return found;
    }

    @Override
    public List<ItemRef> findThreadItems(List<String> messageIds) throws CrmException {
        return lookUp(Set.of(), new LinkedHashSet<>(messageIds), Set.of(), Set.of()).threadItems(messageIds);
    }

    @Override
    public Optional<String> findActivityByOriginKey(String originKey) throws CrmException {
        return lookUp(Set.of(originKey), Set.of(), Set.of(), Set.of()).activity(originKey);
    }

    @Override
    public Optional<ItemRef> findLeadByOriginKey(String originKey) throws CrmException {
        return lookUp(Set.of(originKey), Set.of(), Set.of(), Set.of()).created(originKey, ItemType.LEAD);
    }

    @Override
    public Optional<ItemRef> findContactByOriginKey(String originKey) throws CrmException {
        return lookUp(Set.of(originKey), Set.of(), Set.of(), Set.of()).created(originKey, ItemType.CONTACT);
    }

    @Override
    public Optional<ItemRef> findDealByOriginKey(String originKey) throws CrmException {
        return lookUp(Set.of(originKey), Set.of(), Set.of(), Set.of()).created(originKey, ItemType.DEAL);
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
        WriteResult result = write(List.of(new WritePlan(activity.originKey(), List.of(), activity))).get(0);
        if (result instanceof WriteResult.Failed failed) {
            throw failed.cause();
        }
        return ((WriteResult.Written) result).activityId();
    }
}

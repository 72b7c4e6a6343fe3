package org.jamescrm.bitrix24;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.spi.ClientRecord;
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
import org.jamescrm.spi.WritePlan;
import org.jamescrm.spi.WriteResult;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The capture's CRM operations on Bitrix24 (bitrix24-api §7): lookups combined into {@code batch}
 * calls (a whole round of captures in about two requests), writes marked with
 * ORIGINATOR_ID/ORIGIN_ID so a retry finds them, and e-mail activities created the safe way (an
 * outgoing one is created open and completed by an update: created completed, Bitrix24 would send
 * the mail to the client again). No capture rules here.
 */
public final class Bitrix24Connector implements CrmConnector, OneByOneCrm {
    /** What the capture reads of its activities: the origin key and the items they are bound to. */
    private static final String[] ACTIVITY_FIELDS = {"ID", "ORIGIN_ID", "OWNER_TYPE_ID", "OWNER_ID", "COMMUNICATIONS", "DIRECTION",
        "COMPLETED"};

    private final Bitrix24Client client;
    private final Bitrix24Fields fields;
    private final Bitrix24Lookups lookups;
    private final Bitrix24PlanWriter writer;
    /** The portal's CRM mode once asked (null before): simple mode converts REST leads into deals. */
    private volatile Boolean portalMode;
    private final Cache<EmailAddress, Optional<CrmUser>> users = Caffeine.newBuilder()
        .expireAfterWrite(Duration.ofMinutes(10)).maximumSize(10_000).build();

    /**
     * @param client       the portal's client, shared by every capture thread (it holds the rate limit)
     * @param originatorId the ORIGINATOR_ID marking everything the capture writes
     */
    public Bitrix24Connector(Bitrix24Client client, String originatorId) {
        this.client = client;
        this.fields = new Bitrix24Fields(client, originatorId);
        this.lookups = new Bitrix24Lookups(client, fields);
        this.writer = new Bitrix24PlanWriter(client, fields, lookups);
    }

    @Override
    public String name() {
        return "bitrix24";
    }

    @Override
    public CrmCapabilities capabilities() {
        return new Bitrix24Provider().capabilities();
    }

    /**
     * Calls {@code crm.settings.mode.get}: cheap, and it needs valid credentials and the crm scope.
     * The answer, the portal's CRM mode, is kept for the writes.
     */
    @Override
    public void checkConnection() throws CrmException {
        portalMode = client.call("crm.settings.mode.get", client.params()).path("result").asInt(1) == 2;
    }

    // ---- lookups ----

    @Override
    public Map<EmailAddress, CrmUser> findUsers(Set<EmailAddress> emails) throws CrmException {
        List<EmailAddress> unknown = emails.stream().filter(email -> users.getIfPresent(email) == null).toList();
        for (List<EmailAddress> chunk : Bitrix24Lookups.chunks(unknown, Bitrix24Lookups.BATCH)) {
            Map<String, Bitrix24Client.Command> commands = new LinkedHashMap<>();
            for (int i = 0; i < chunk.size(); i++) {
                ObjectNode params = client.params();
                ObjectNode filter = params.putObject("FILTER");
                filter.put("EMAIL", chunk.get(i).value());
                filter.put("ACTIVE", true);
                commands.put("u" + i, new Bitrix24Client.Command("user.get", params));
            }
            Bitrix24Client.BatchResult result = client.batch(commands, false);
            for (int i = 0; i < chunk.size(); i++) {
                EmailAddress email = chunk.get(i);
                Optional<CrmUser> user = Optional.empty();
                for (JsonNode candidate : result.get("u" + i)) {
                    // the filter may be loose on some portals: compare the address ourselves
                    if (candidate.path("EMAIL").asText("").equalsIgnoreCase(email.value())) {
                        String name = (candidate.path("NAME").asText("") + " " + candidate.path("LAST_NAME").asText("")).strip();
                        user = Optional.of(new CrmUser(candidate.path("ID").asText(), email, name.isEmpty() ? email.value() : name));
                        break;
                    }
                }
                users.put(email, user);
            }
        }
        Map<EmailAddress, CrmUser> found = new LinkedHashMap<>();
        for (EmailAddress email : emails) {
            Optional<CrmUser> user = users.getIfPresent(email);
            if (user != null && user.isPresent()) {
                found.put(email, user.get());
            }
        }
        return found;
    }

    /** {@code crm.duplicate.findbycomm} in one request, then the details and deals in another. */
    @Override
    public Map<EmailAddress, ClientRecord> findClients(Set<EmailAddress> emails) throws CrmException {
        if (emails.isEmpty()) {
            return Map.of();
        }
        Map<String, Bitrix24Client.Command> find = new LinkedHashMap<>();
        lookups.findByComm(find, emails);
        return lookups.clients(emails, details(lookups.clientIds(lookups.run(find))));
    }

    /** The details and deals of the items found by address; no request when nothing was found. */
    private Bitrix24Lookups.Rows details(Bitrix24Lookups.ClientIds ids) throws CrmException {
        Map<String, Bitrix24Client.Command> details = new LinkedHashMap<>();
        lookups.details(details, ids);
        return lookups.run(details);
    }

    @Override
    public List<ItemRef> findThreadItems(List<String> messageIds) throws CrmException {
        if (messageIds.isEmpty()) {
            return List.of();
        }
        Map<String, Bitrix24Client.Command> commands = new LinkedHashMap<>();
        lookups.byOrigin(commands, "t", "crm.activity.list", messageIds, ACTIVITY_FIELDS);
        return threadItems(Bitrix24Lookups.byOrigin(lookups.run(commands), "t"), messageIds);
    }

    @Override
    public Optional<String> findActivityByOriginKey(String originKey) throws CrmException {
        return firstByOrigin("crm.activity.list", originKey);
    }

    @Override
    public Optional<ItemRef> findLeadByOriginKey(String originKey) throws CrmException {
        return firstByOrigin("crm.lead.list", originKey).map(id -> new ItemRef(ItemType.LEAD, id));
    }

    @Override
    public Optional<ItemRef> findContactByOriginKey(String originKey) throws CrmException {
        return firstByOrigin("crm.contact.list", originKey).map(id -> new ItemRef(ItemType.CONTACT, id));
    }

    @Override
    public Optional<ItemRef> findDealByOriginKey(String originKey) throws CrmException {
        return firstByOrigin("crm.deal.list", originKey).map(id -> new ItemRef(ItemType.DEAL, id));
    }

    @Override
    public Map<String, Integer> countOpenItems(Set<String> userIds) throws CrmException {
        Map<String, Bitrix24Client.Command> commands = new LinkedHashMap<>();
        List<String> ids = List.copyOf(userIds);
        lookups.openItems(commands, ids);
        return Bitrix24Lookups.openItems(lookups.run(commands), ids);
    }

    /**
     * The whole round's lookups in (usually) two requests: users come from the cache; one batch
     * asks findbycomm for every client address, the capture's own activities by origin key
     * (duplicates and threads alike) and the open-item counts; a second one the details and deals
     * of the clients found, among which are the leads, contacts and deals an interrupted capture
     * of the round already created.
     */
    @Override
    public CrmLookupResult lookUp(CrmLookup lookup) throws CrmException {
        Set<EmailAddress> employees = new LinkedHashSet<>(lookup.employees());
        employees.addAll(lookup.openItemsOf());
        Map<EmailAddress, CrmUser> found = employees.isEmpty() ? Map.of() : findUsers(employees);
        List<String> counted = lookup.openItemsOf().stream().map(found::get).filter(user -> user != null).map(CrmUser::id)
            .distinct().toList();
        Set<String> activityKeys = new LinkedHashSet<>(lookup.originKeys());
        activityKeys.addAll(lookup.threadMessageIds());

        Map<String, Bitrix24Client.Command> first = new LinkedHashMap<>();
        lookups.findByComm(first, lookup.clients());
        lookups.byOrigin(first, "activities", "crm.activity.list", activityKeys, ACTIVITY_FIELDS);
        lookups.openItems(first, counted);
        Bitrix24Lookups.Rows rows = lookups.run(first);

        Map<String, List<JsonNode>> activities = Bitrix24Lookups.byOrigin(rows, "activities");
        Map<String, String> captured = new LinkedHashMap<>();
        List<String> leftOpen = new ArrayList<>();
        for (String key : lookup.originKeys()) {
            List<JsonNode> rowsOfKey = activities.get(key);
            if (rowsOfKey != null) {
                JsonNode activity = rowsOfKey.get(0);
                captured.put(key, activity.path("ID").asText());
                if (activity.path("DIRECTION").asInt() == 2 && "N".equals(activity.path("COMPLETED").asText())) {
                    leftOpen.add(activity.path("ID").asText());
                }
            }
        }
        completeLeftOpen(leftOpen);
        Map<String, List<ItemRef>> threads = new LinkedHashMap<>();
        for (String messageId : lookup.threadMessageIds()) {
            List<ItemRef> items = threadItems(activities, List.of(messageId));
            if (!items.isEmpty()) {
                threads.put(messageId, items);
            }
        }
        Bitrix24Lookups.Rows details = details(lookups.clientIds(rows));
        return new CrmLookupResult(captured, lookups.createdFor(lookup.originKeys(), details), lookups.clients(lookup.clients(), details),
            threads, found, Bitrix24Lookups.openItems(rows, counted));
    }

    /**
     * Completes the outgoing activities an interrupted capture created but did not complete (the
     * update after the creation failed): the capture of their mail is found done, and without this
     * they would stay open for good. Completing by update never makes the portal send the mail.
     */
    private void completeLeftOpen(List<String> activityIds) throws CrmException {
        for (List<String> chunk : Bitrix24Lookups.chunks(activityIds, Bitrix24Lookups.BATCH)) {
            Map<String, Bitrix24Client.Command> updates = new LinkedHashMap<>();
            for (int i = 0; i < chunk.size(); i++) {
                updates.put("complete" + i, new Bitrix24Client.Command("crm.activity.update", fields.complete(chunk.get(i))));
            }
            Bitrix24Client.BatchResult result = client.batch(updates, false);
            for (String id : updates.keySet()) {
                result.get(id);
            }
        }
    }

    private static List<ItemRef> threadItems(Map<String, List<JsonNode>> activities, List<String> messageIds) {
        for (String messageId : messageIds) {
            Set<ItemRef> items = new LinkedHashSet<>();
            activities.getOrDefault(messageId, List.of()).forEach(activity -> items.addAll(Bitrix24Records.activityItems(activity)));
            if (!items.isEmpty()) {
                return List.copyOf(items);
            }
        }
        return List.of();
    }

    // ---- writes ----

    @Override
    public ItemRef createLead(NewLead lead) throws CrmException {
        String leadId = add("crm.lead.add", fields.lead(lead));
        if (simpleMode()) {
            // a portal without leads converts a REST lead into a deal at once: the mail belongs to that deal
            Optional<String> deal = firstId("crm.deal.list", "LEAD_ID", leadId);
            if (deal.isPresent()) {
                return new ItemRef(ItemType.DEAL, deal.get());
            }
        }
        return new ItemRef(ItemType.LEAD, leadId);
    }

    /** Whether the portal runs the simple (leadless) CRM mode: {@code crm.settings.mode.get} = 2, asked once. */
    private boolean simpleMode() throws CrmException {
        Boolean simple = portalMode;
        if (simple == null) {
            simple = client.call("crm.settings.mode.get", client.params()).path("result").asInt(1) == 2;
            portalMode = simple;
        }
        return simple;
    }

    @Override
    public ItemRef createContact(NewContact contact) throws CrmException {
        return new ItemRef(ItemType.CONTACT, add("crm.contact.add", fields.contact(contact)));
    }

    @Override
    public ItemRef createDeal(NewDeal deal) throws CrmException {
        return new ItemRef(ItemType.DEAL, add("crm.deal.add", fields.deal(deal)));
    }

    /** Created open, then completed by an update in the same halting batch when the mail is outgoing. */
    @Override
    public String createEmailActivity(NewEmailActivity email) throws CrmException {
        Map<String, Bitrix24Client.Command> commands = new LinkedHashMap<>();
        commands.put("add", new Bitrix24Client.Command("crm.activity.add", fields.add(fields.activity(email))));
        if (email.completed()) {
            commands.put("complete", new Bitrix24Client.Command("crm.activity.update", fields.complete("$result[add]")));
        }
        Bitrix24Client.BatchResult result = client.batch(commands, true);
        String id = result.get("add").asText();
        if (email.completed()) {
            result.get("complete");
        }
        return id;
    }

    /**
     * The round's plans in a few batches (see {@link Bitrix24PlanWriter}). On a simple-mode portal
     * each new lead is replaced by the deal made from it, looked up for the whole round at once.
     */
    @Override
    public List<WriteResult> write(List<WritePlan> plans) {
        boolean simple;
        try {
            simple = plans.stream().anyMatch(plan -> plan.creations().stream().anyMatch(NewLead.class::isInstance)) && simpleMode();
        } catch (CrmException e) {
            return plans.stream().<WriteResult>map(plan -> new WriteResult.Failed(e)).toList();
        }
        return writer.write(plans, simple);
    }

    /**
     * A round of {@code captures} costs at most two lookup requests and two write steps per 50
     * captures (creations, then the activities with their completions). It starts at once when the
     * client's bucket drains those requests by the end of {@code roundWait} anyway (what drains from
     * an empty bucket is budget lost), or when the bucket can pay for it and for a round of its own
     * for each capture likely to come within {@code roundWait} ({@code arriving}), a tenth of the
     * burst kept in reserve: then the server is quiet or moderately busy and nothing is worth
     * waiting for. Otherwise waiting saves: the burst those requests would spend is what the bigger
     * rounds of a busy server need.
     */
    /** The portal's request budget as the connector keeps it (2 requests a second, burst 50 on most plans). */
    @Override
    public Map<String, Object> limits() {
        return Map.of("requestBudget", client.budget());
    }

    @Override
    public Duration budgetWait(int captures, int arriving, Duration roundWait) {
        int requests = roundRequests(captures);
        Duration free = client.untilFree(requests, roundWait);
        return free.isZero() ? free : min(free, client.untilAffordable(requests + arriving * LONE_CAPTURE_REQUESTS, roundWait,
            roundRequests(1)));
    }

    private static Duration min(Duration one, Duration other) {
        return one.compareTo(other) <= 0 ? one : other;
    }

    /**
     * What a round of one capture costs at most: the lookup by address, the known client's details,
     * one request of writes (a new client's round has no details: two requests).
     */
    static final int LONE_CAPTURE_REQUESTS = 3;

    /** The most requests a round of {@code captures} makes (lookups, then write steps). */
    static int roundRequests(int captures) {
        return 2 + 2 * ((Math.max(1, captures) + Bitrix24Lookups.BATCH - 1) / Bitrix24Lookups.BATCH);
    }

    // ---- helpers ----

    private String add(String method, ObjectNode fieldValues) throws CrmException {
        return client.call(method, fields.add(fieldValues)).path("result").asText();
    }

    private Optional<String> firstByOrigin(String method, String originKey) throws CrmException {
        ObjectNode params = client.params();
        fields.originFilter(params).put("ORIGIN_ID", originKey);
        return firstId(method, params);
    }

    private Optional<String> firstId(String method, String field, String value) throws CrmException {
        ObjectNode params = client.params();
        params.putObject("filter").put(field, value);
        return firstId(method, params);
    }

    private Optional<String> firstId(String method, ObjectNode params) throws CrmException {
        params.putArray("select").add("ID");
        params.put("start", -1);
        JsonNode rows = client.call(method, params).path("result");
        return rows.isArray() && rows.size() > 0 ? Optional.of(rows.get(0).path("ID").asText()) : Optional.empty();
    }
}

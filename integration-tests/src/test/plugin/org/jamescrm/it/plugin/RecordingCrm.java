package org.jamescrm.it.plugin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.model.MailParty;
import org.jamescrm.spi.ClientRecord;
import org.jamescrm.spi.CrmCapabilities;
import org.jamescrm.spi.CrmConnector;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmLookup;
import org.jamescrm.spi.CrmLookupResult;
import org.jamescrm.spi.CrmRejectedException;
import org.jamescrm.spi.CrmUnavailableException;
import org.jamescrm.spi.CrmUser;
import org.jamescrm.spi.DealStage;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.ItemType;
import org.jamescrm.spi.NewContact;
import org.jamescrm.spi.NewDeal;
import org.jamescrm.spi.NewEmailActivity;
import org.jamescrm.spi.NewLead;
import org.jamescrm.spi.OneByOneCrm;
import org.jamescrm.spi.OneCallAtATime;
import org.jamescrm.spi.WritePlan;
import org.jamescrm.spi.WriteResult;

/**
 * The recording CRM: keeps what it is asked to write in memory, so that its lookups answer as a CRM
 * would (a retry finds what an earlier attempt wrote, a reply finds its thread), and appends every
 * write to its file as one JSON line, where a test in another class loader reads it:
 * <pre>
 * {"write":"contact","id":"1","name":"Carol Client","email":"carol@client.example","responsibleId":"u-alice","originKey":"..."}
 * {"write":"deal","id":"2","title":"...","contact":"CONTACT:1","responsibleId":"u-alice","returnCustomer":false,"originKey":"..."}
 * {"write":"activity","id":"3","direction":"INCOMING","subject":"...","from":"carol@client.example","messageId":"&lt;...&gt;",
 *  "clients":["carol@client.example"],"bindings":["CONTACT:1","DEAL:2"],"responsibleId":"u-alice","completed":false,"originKey":"..."}
 * </pre>
 * A CRM without a batch API: the round operations are {@link OneCallAtATime}'s. Thread-safe.
 */
final class RecordingCrm implements CrmConnector, OneByOneCrm {
    private final Path file;
    private final Map<EmailAddress, CrmUser> users = new LinkedHashMap<>();
    private final Clock clock;
    private final OneCallAtATime rounds = new OneCallAtATime(this);

    private long lastId;
    private final Map<String, String> activityByOriginKey = new HashMap<>();
    private final Map<String, ItemRef> contactByOriginKey = new HashMap<>();
    private final Map<String, ItemRef> dealByOriginKey = new HashMap<>();
    private final Map<String, List<ItemRef>> itemsByMessageId = new HashMap<>();
    private final Map<String, EmailAddress> emailOfContact = new HashMap<>();
    private final Map<EmailAddress, List<ClientRecord.Contact>> contactsByEmail = new HashMap<>();
    private final Map<EmailAddress, List<ClientRecord.Deal>> dealsByEmail = new HashMap<>();

    RecordingCrm(RecordingSettings settings, Clock clock) {
        this.file = settings.file();
        this.clock = clock;
        settings.users().forEach(user -> users.put(user.email(), user));
    }

    @Override
    public String name() {
        return "recording";
    }

    @Override
    public CrmCapabilities capabilities() {
        return RecordingCrmProvider.CAPABILITIES;
    }

    /** Reachable while the file's folder is writable. */
    @Override
    public void checkConnection() throws CrmException {
        if (!Files.isWritable(file.getParent())) {
            throw new CrmUnavailableException("cannot record in " + file + ": its folder is not writable");
        }
    }

    @Override
    public CrmLookupResult lookUp(CrmLookup lookup) throws CrmException {
        return rounds.lookUp(lookup);
    }

    @Override
    public List<WriteResult> write(List<WritePlan> plans) {
        return rounds.write(plans);
    }

    @Override
    public synchronized Map<EmailAddress, CrmUser> findUsers(Set<EmailAddress> emails) {
        Map<EmailAddress, CrmUser> found = new HashMap<>();
        emails.stream().filter(users::containsKey).forEach(email -> found.put(email, users.get(email)));
        return found;
    }

    @Override
    public synchronized Map<EmailAddress, ClientRecord> findClients(Set<EmailAddress> emails) {
        Map<EmailAddress, ClientRecord> found = new HashMap<>();
        for (EmailAddress email : emails) {
            found.put(email, new ClientRecord(email, contactsByEmail.getOrDefault(email, List.of()), List.of(), List.of(),
                dealsByEmail.getOrDefault(email, List.of())));
        }
        return found;
    }

    @Override
    public synchronized List<ItemRef> findThreadItems(List<String> messageIds) {
        List<ItemRef> items = new ArrayList<>();
        messageIds.forEach(messageId -> items.addAll(itemsByMessageId.getOrDefault(messageId, List.of())));
        return items;
    }

    @Override
    public synchronized Optional<String> findActivityByOriginKey(String originKey) {
        return Optional.ofNullable(activityByOriginKey.get(originKey));
    }

    /** No leads in this CRM. */
    @Override
    public Optional<ItemRef> findLeadByOriginKey(String originKey) {
        return Optional.empty();
    }

    @Override
    public synchronized Optional<ItemRef> findContactByOriginKey(String originKey) {
        return Optional.ofNullable(contactByOriginKey.get(originKey));
    }

    @Override
    public synchronized Optional<ItemRef> findDealByOriginKey(String originKey) {
        return Optional.ofNullable(dealByOriginKey.get(originKey));
    }

    @Override
    public synchronized Map<String, Integer> countOpenItems(Set<String> userIds) {
        Map<String, Integer> counts = new HashMap<>();
        userIds.forEach(id -> counts.put(id, 0));
        dealsByEmail.values().stream().flatMap(List::stream).filter(deal -> deal.stage().active())
            .flatMap(deal -> deal.responsibleId().stream()).filter(userIds::contains)
            .forEach(id -> counts.merge(id, 1, Integer::sum));
        return counts;
    }

    /** The capability check keeps the settings from asking for leads: a lead reaching here is a defect. */
    @Override
    public ItemRef createLead(NewLead lead) throws CrmException {
        throw new CrmRejectedException("the recording CRM has no leads, and was asked for one for " + lead.email());
    }

    @Override
    public synchronized ItemRef createContact(NewContact contact) throws CrmException {
        ItemRef ref = new ItemRef(ItemType.CONTACT, nextId());
        record(new JsonLine().put("write", "contact").put("id", ref.id()).put("name", contact.name())
            .put("email", contact.email().value()).put("responsibleId", contact.responsibleId())
            .put("originKey", contact.originKey()));
        contactByOriginKey.put(contact.originKey(), ref);
        emailOfContact.put(ref.id(), contact.email());
        contactsByEmail.computeIfAbsent(contact.email(), email -> new ArrayList<>())
            .add(new ClientRecord.Contact(ref.id(), contact.responsibleId(), Optional.empty()));
        return ref;
    }

    @Override
    public synchronized ItemRef createDeal(NewDeal deal) throws CrmException {
        ItemRef ref = new ItemRef(ItemType.DEAL, nextId());
        record(new JsonLine().put("write", "deal").put("id", ref.id()).put("title", deal.title())
            .put("contact", deal.contact().map(ItemRef::toString)).put("responsibleId", deal.responsibleId())
            .put("returnCustomer", deal.returnCustomer()).put("originKey", deal.originKey()));
        dealByOriginKey.put(deal.originKey(), ref);
        deal.contact().map(contact -> emailOfContact.get(contact.id())).ifPresent(email -> dealsByEmail
            .computeIfAbsent(email, key -> new ArrayList<>())
            .add(new ClientRecord.Deal(ref.id(), DealStage.IN_PROGRESS, deal.responsibleId(), clock.instant(), Optional.empty())));
        return ref;
    }

    @Override
    public synchronized String createEmailActivity(NewEmailActivity activity) throws CrmException {
        String id = nextId();
        record(new JsonLine().put("write", "activity").put("id", id).put("direction", activity.direction().name())
            .put("subject", activity.subject()).put("from", activity.from().address().value())
            .put("to", activity.to().stream().map(MailParty::address).map(EmailAddress::value).toList())
            .put("messageId", activity.messageId())
            .put("clients", activity.clients().stream().map(EmailAddress::value).toList())
            .put("bindings", activity.bindings().stream().map(ItemRef::toString).toList())
            .put("responsibleId", activity.responsibleId()).put("completed", activity.completed())
            .put("originKey", activity.originKey()));
        activityByOriginKey.put(activity.originKey(), id);
        activity.messageId().ifPresent(messageId -> itemsByMessageId.put(messageId, activity.bindings()));
        return id;
    }

    private String nextId() {
        return Long.toString(++lastId);
    }

    private void record(JsonLine line) throws CrmUnavailableException {
        try {
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new CrmUnavailableException("cannot record in " + file + ": " + e.getMessage());
        }
    }
}

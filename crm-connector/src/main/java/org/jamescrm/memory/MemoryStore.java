package org.jamescrm.memory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jamescrm.memory.MemoryRecords.Activity;
import org.jamescrm.memory.MemoryRecords.Company;
import org.jamescrm.memory.MemoryRecords.Contact;
import org.jamescrm.memory.MemoryRecords.Deal;
import org.jamescrm.memory.MemoryRecords.Lead;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.spi.CrmUser;

/**
 * The records of the in-memory CRM, guarded by one lock: what {@link InMemoryCrm} reads and writes,
 * and what the tests' administration of the CRM (its users entering contacts and deals, converting
 * leads) changes, in this package of the test sources.
 */
final class MemoryStore {
    /** The indexes of the record tables: a record's e-mail address, the capture key that created it, its links. */
    static final String EMAIL = "email";
    static final String ORIGIN_KEY = "originKey";
    static final String CONTACT_ID = "contactId";
    static final String COMPANY_ID = "companyId";
    static final String LEAD_ID = "leadId";
    static final String NUMBER = "number";

    final Clock clock;
    final Object lock = new Object();
    final Map<String, CrmUser> users = new LinkedHashMap<>();
    final RecordTable<Lead> leads = new RecordTable<>(Map.of(
        EMAIL, lead -> Optional.of(lead.email()), ORIGIN_KEY, Lead::originKey));
    final RecordTable<Contact> contacts = new RecordTable<>(Map.of(
        EMAIL, contact -> Optional.of(contact.email()), ORIGIN_KEY, Contact::originKey));
    final RecordTable<Company> companies = new RecordTable<>(Map.of(EMAIL, Company::email));
    final RecordTable<Deal> deals = new RecordTable<>(Map.of(
        CONTACT_ID, Deal::contactId, COMPANY_ID, Deal::companyId, LEAD_ID, Deal::leadId, ORIGIN_KEY, Deal::originKey));
    final Map<String, Activity> activities = new LinkedHashMap<>();
    final RecordTable<MemoryRecords.Case> cases = new RecordTable<>(Map.of(
        NUMBER, open -> Optional.of(open.number()), ORIGIN_KEY, MemoryRecords.Case::originKey));
    /** The teams of each item a group mailbox's capture created, by {@code TYPE:id}. */
    final Map<String, List<String>> teams = new LinkedHashMap<>();
    /** The first activity of each origin key, as the capture looks it up for every mail. */
    final Map<String, String> activityByOriginKey = new HashMap<>();
    /** The activities of each Message-ID in the order they were added, as threads look them up. */
    final Map<String, List<String>> activitiesByMessageId = new HashMap<>();
    private final long contentLimit;
    private long contentBytes;
    /** Activities whose attachments' contents are still held, oldest first. */
    private final java.util.ArrayDeque<String> holdingAttachments = new java.util.ArrayDeque<>();
    /** Activities whose bodies are still held, oldest first. */
    private final java.util.ArrayDeque<String> holdingBodies = new java.util.ArrayDeque<>();
    private long nextId = 1;
    private long nextCaseNumber = 1;

    /**
     * @param contentLimit the most bytes of bodies and attachment contents kept; the oldest are dropped
     *                     past it, their records kept
     */
    MemoryStore(Clock clock, long contentLimit) {
        this.clock = clock;
        this.contentLimit = contentLimit;
    }

    /**
     * Stores an activity, then drops the oldest contents until the store is within its limit: the
     * attachments' contents first, then bodies; every record is kept and marked. Called under the lock.
     * The activities still holding attachments, and those still holding a body, wait in creation order:
     * dropping takes the oldest at once, never walking every activity (once the store reached its
     * limit, a walk per captured mail made each capture cost more than the last).
     */
    void addActivity(Activity activity) {
        activities.put(activity.id(), activity);
        activityByOriginKey.putIfAbsent(activity.email().originKey(), activity.id());
        activity.email().messageId().ifPresent(messageId ->
            activitiesByMessageId.computeIfAbsent(messageId, id -> new ArrayList<>()).add(activity.id()));
        contentBytes += activity.contentBytes();
        if (activity.holdsAttachments()) {
            holdingAttachments.addLast(activity.id());
        }
        if (activity.holdsBody()) {
            holdingBodies.addLast(activity.id());
        }
        while (contentBytes > contentLimit && !holdingAttachments.isEmpty()) {
            Activity oldest = activities.get(holdingAttachments.pollFirst());
            if (oldest.holdsAttachments()) {
                replace(oldest, oldest.withoutAttachments());
            }
        }
        while (contentBytes > contentLimit && !holdingBodies.isEmpty()) {
            Activity oldest = activities.get(holdingBodies.pollFirst());
            if (oldest.holdsBody()) {
                replace(oldest, oldest.withoutContent());
            }
        }
    }

    private void replace(Activity activity, Activity lighter) {
        activities.put(activity.id(), lighter);
        contentBytes += lighter.contentBytes() - activity.contentBytes();
    }

    /** The bytes of content held now. */
    long contentBytes() {
        synchronized (lock) {
            return contentBytes;
        }
    }

    /** Adds a CRM user; an existing user with the same address is returned unchanged. */
    CrmUser addUser(EmailAddress email, String name) {
        synchronized (lock) {
            return users.values().stream().filter(user -> user.email().equals(email)).findFirst()
                .orElseGet(() -> {
                    CrmUser user = new CrmUser(newId(), email, name);
                    users.put(user.id(), user);
                    return user;
                });
        }
    }

    /** The next record id; called under the lock. */
    String newId() {
        return String.valueOf(nextId++);
    }

    /** The next case number; called under the lock. */
    String newCaseNumber() {
        return String.valueOf(nextCaseNumber++);
    }

    /** A copy of the values of {@code records}, taken under the lock. */
    <T> List<T> snapshot(Map<String, T> records) {
        synchronized (lock) {
            return List.copyOf(records.values());
        }
    }

    /** A copy of the records of {@code table}, taken under the lock. */
    <T> List<T> snapshot(RecordTable<T> table) {
        synchronized (lock) {
            return List.copyOf(table.values());
        }
    }

    /** The record {@code id} of {@code records}, or an error naming the kind: what a CRM answers for a wrong id. */
    static <T> T existing(Map<String, T> records, String id, String kind) {
        return found(records.get(id), id, kind);
    }

    /** The record {@code id} of {@code table}, or an error naming the kind. */
    static <T> T existing(RecordTable<T> table, String id, String kind) {
        return found(table.get(id), id, kind);
    }

    private static <T> T found(T record, String id, String kind) {
        if (record == null) {
            throw new IllegalArgumentException("no " + kind + " with id " + id);
        }
        return record;
    }
}

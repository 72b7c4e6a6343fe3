package org.jamescrm.bitrix24;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmUnavailableException;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.ItemType;
import org.jamescrm.spi.NewContact;
import org.jamescrm.spi.NewDeal;
import org.jamescrm.spi.NewItem;
import org.jamescrm.spi.NewLead;
import org.jamescrm.spi.Plans;
import org.jamescrm.spi.WritePlan;
import org.jamescrm.spi.WriteResult;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Writes the plans of a round in a few {@code batch} requests (bitrix24-api §5). The writes go in
 * steps: first every creation whose fields are known (leads, contacts, deals of existing contacts);
 * then the deals of the contacts just created (and, on a simple-mode portal, the deals the portal
 * made of the new leads, one list command per 50 leads); then the activities of the created items.
 * The activities of plans that create nothing fill the room each step's last request leaves. Each activity travels with the update that completes it,
 * which refers to it by {@code $result[...]}. A step's commands share requests, fifty each, without
 * halting: one plan's failed command fails that plan only, and a plan that failed is not carried to
 * the next step. A round of one plan sends all its writes in one request instead, each referring to
 * the items created before it by {@code $result[...]}, halting at the first failure: a quiet server's
 * lone mail of a new client costs two requests (its lookup and its writes), not three, which keeps
 * one mail a second within the portal's two requests a second. Every write carries the plan's origin
 * key, so a retry finds what was written.
 */
final class Bitrix24PlanWriter {
    private final Bitrix24Client client;
    private final Bitrix24Fields fields;
    private final Bitrix24Lookups lookups;

    Bitrix24PlanWriter(Bitrix24Client client, Bitrix24Fields fields, Bitrix24Lookups lookups) {
        this.client = client;
        this.fields = fields;
        this.lookups = lookups;
    }

    /**
     * @param plans      the round's plans
     * @param simpleMode the portal has no leads (bitrix24-api §6.5): a lead created over REST becomes a
     *                   deal at once, and the activity belongs to that deal
     */
    List<WriteResult> write(List<WritePlan> plans, boolean simpleMode) {
        List<Progress> progress = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            progress.add(new Progress(plans.get(i), "p" + i, simpleMode));
        }
        if (progress.size() == 1 && !simpleMode) {
            return List.of(writeChained(progress.get(0)));
        }
        Optional<CrmException> unavailable = Optional.empty();
        while (unavailable.isEmpty()) {
            if (simpleMode) {
                unavailable = dealsOfNewLeads(progress);
                if (unavailable.isPresent()) {
                    break;
                }
            }
            Map<String, Bitrix24Client.Command> step = new LinkedHashMap<>();
            Map<String, Target> targets = new LinkedHashMap<>();
            List<List<String>> groups = new ArrayList<>();
            List<Progress> activityOnly = new ArrayList<>();
            for (Progress plan : progress) {
                if (plan.createsNothing()) {
                    activityOnly.add(plan);
                } else {
                    plan.nextCommands(step, targets, groups);
                }
            }
            // a plan that creates nothing fits any step: it fills the room the step's last request has left,
            // and waits for the last step otherwise, so the requests of a round go out full
            int room = groups.isEmpty() ? Integer.MAX_VALUE : roomInLastBatch(groups);
            for (Progress plan : activityOnly) {
                int size = plan.plan.activity().completed() ? 2 : 1;
                if (plan.pending() && size <= room) {
                    plan.nextCommands(step, targets, groups);
                    room -= size;
                }
            }
            if (groups.isEmpty()) {
                break;
            }
            unavailable = send(step, targets, groups);
        }
        // the portal is unavailable or refuses us: the plans still open end here, for the queue to retry
        unavailable.ifPresent(cause -> progress.forEach(plan -> plan.fail(cause)));
        return progress.stream().map(Progress::result).toList();
    }

    /**
     * Writes a lone plan in one request, halting at the first failing command, so that no write
     * refers to a creation that failed. Not on a simple-mode portal, where the activity of a new lead
     * belongs to the deal the portal makes of it, which only a later request can find.
     */
    private WriteResult writeChained(Progress plan) {
        Map<String, Bitrix24Client.Command> commands = new LinkedHashMap<>();
        Map<String, Target> targets = new LinkedHashMap<>();
        plan.chainedCommands(commands, targets);
        if (!commands.isEmpty()) {
            try {
                Bitrix24Client.BatchResult result = client.batch(commands, true);
                targets.forEach((id, target) -> plan.accept(id, target.creation(), result));
            } catch (CrmException e) {
                plan.fail(e);
            }
        }
        return plan.result();
    }

    /**
     * Replaces each lead just created on a simple-mode portal by the deal the portal made of it, with
     * one list command per 50 leads; a lead the portal did not convert stays a lead.
     */
    private Optional<CrmException> dealsOfNewLeads(List<Progress> progress) {
        Map<String, Progress> byLead = new LinkedHashMap<>();
        for (Progress plan : progress) {
            plan.unconvertedLeads().forEach(lead -> byLead.put(lead, plan));
        }
        if (byLead.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Bitrix24Client.Command> commands = new LinkedHashMap<>();
        lookups.listIn(commands, "deals", "crm.deal.list", "LEAD_ID", byLead.keySet(), "ID", "LEAD_ID");
        try {
            for (JsonNode deal : lookups.run(commands).named("deals")) {
                Progress plan = byLead.get(deal.path("LEAD_ID").asText());
                if (plan != null) {
                    plan.convertedTo(deal.path("LEAD_ID").asText(), deal.path("ID").asText());
                }
            }
        } catch (CrmException e) {
            return Optional.of(e);
        }
        byLead.values().forEach(Progress::leadsResolved);
        return Optional.empty();
    }

    /** The commands still free in the last request of a step made of {@code groups}. */
    private static int roomInLastBatch(List<List<String>> groups) {
        int used = 0;
        for (List<String> group : groups) {
            used = used + group.size() > Bitrix24Lookups.BATCH ? group.size() : used + group.size();
        }
        return Bitrix24Lookups.BATCH - used;
    }

    /** Where the result of a command goes: a plan's creation, its activity, or the activity's completion. */
    private record Target(Progress progress, int creation) {
        static final int ACTIVITY = -1;
        static final int COMPLETION = -2;
    }

    /**
     * Sends the step's command groups, fifty commands per request, a group never split; stops at a
     * request that fails as a whole and returns its failure.
     */
    private Optional<CrmException> send(Map<String, Bitrix24Client.Command> step, Map<String, Target> targets,
                                        List<List<String>> groups) {
        List<Map<String, Bitrix24Client.Command>> batches = new ArrayList<>();
        Map<String, Bitrix24Client.Command> batch = new LinkedHashMap<>();
        for (List<String> group : groups) {
            if (batch.size() + group.size() > Bitrix24Lookups.BATCH) {
                batches.add(batch);
                batch = new LinkedHashMap<>();
            }
            for (String id : group) {
                batch.put(id, step.get(id));
            }
        }
        batches.add(batch);
        for (Map<String, Bitrix24Client.Command> commands : batches) {
            try {
                Bitrix24Client.BatchResult result = client.batch(commands, false);
                for (String id : commands.keySet()) {
                    Target target = targets.get(id);
                    target.progress().accept(id, target.creation(), result);
                }
            } catch (CrmException e) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** How far one plan got. */
    private final class Progress {
        private final WritePlan plan;
        private final String prefix;
        private final ItemRef[] created;
        private final boolean[] sent;
        private boolean activitySent;
        private String activityId;
        private CrmException failure;
        /** Leads created on a simple-mode portal whose deal is not looked up yet. */
        private final List<Integer> unresolvedLeads = new ArrayList<>();
        private final boolean simpleMode;

        /**
         * @param prefix     the start of the plan's command names, unique in the round
         * @param simpleMode whether created leads become deals
         */
        Progress(WritePlan plan, String prefix, boolean simpleMode) {
            this.plan = plan;
            this.prefix = prefix;
            this.simpleMode = simpleMode;
            this.created = new ItemRef[plan.creations().size()];
            this.sent = new boolean[plan.creations().size()];
        }

        /** The ids of the leads this plan created whose deal is still to be looked up. */
        List<String> unconvertedLeads() {
            return failure == null ? unresolvedLeads.stream().map(c -> created[c].id()).toList() : List.of();
        }

        /** The portal made {@code dealId} of the lead {@code leadId}. */
        void convertedTo(String leadId, String dealId) {
            for (int c : unresolvedLeads) {
                if (created[c].id().equals(leadId)) {
                    created[c] = new ItemRef(ItemType.DEAL, dealId);
                }
            }
        }

        void leadsResolved() {
            unresolvedLeads.clear();
        }

        boolean createsNothing() {
            return created.length == 0;
        }

        /** Whether the plan still has commands to send. */
        boolean pending() {
            return failure == null && !activitySent;
        }

        /** Adds the commands this plan can send now; a group holds commands that must share a request. */
        void nextCommands(Map<String, Bitrix24Client.Command> step, Map<String, Target> targets,
                          List<List<String>> groups) {
            if (failure != null || activitySent) {
                return;
            }
            boolean allCreated = true;
            Optional<ItemRef> createdContact = Optional.empty();
            for (int c = 0; c < created.length; c++) {
                NewItem item = plan.creations().get(c);
                if (created[c] == null) {
                    allCreated = false;
                    boolean waitsForContact = item instanceof NewDeal deal && deal.contact().isEmpty() && contactBefore(c)
                        && createdContact.isEmpty();
                    if (!sent[c] && !waitsForContact) {
                        String id = prefix + "c" + c;
                        step.put(id, creation(item, createdContact));
                        targets.put(id, new Target(this, c));
                        groups.add(List.of(id));
                        sent[c] = true;
                    }
                } else if (created[c].type() == ItemType.CONTACT) {
                    createdContact = Optional.of(created[c]);
                }
            }
            if (!allCreated || !unresolvedLeads.isEmpty()) {
                return;
            }
            try {
                groups.add(addActivity(step, targets, List.of(created)));
            } catch (CrmException e) {
                failure = e;
            }
        }

        /**
         * Adds the activity bound to {@code created} and, when it is completed, the update that completes it;
         * returns their command names, which must share a request.
         */
        private List<String> addActivity(Map<String, Bitrix24Client.Command> step, Map<String, Target> targets, List<ItemRef> created)
            throws CrmException {
            String add = prefix + "a";
            step.put(add, new Bitrix24Client.Command("crm.activity.add",
                fields.add(fields.activity(Plans.bindCreated(plan.activity(), created)))));
            targets.put(add, new Target(this, Target.ACTIVITY));
            List<String> group = new ArrayList<>(List.of(add));
            if (plan.activity().completed()) {
                String complete = prefix + "u";
                step.put(complete, new Bitrix24Client.Command("crm.activity.update", fields.complete("$result[" + add + "]")));
                targets.put(complete, new Target(this, Target.COMPLETION));
                group.add(complete);
            }
            activitySent = true;
            return group;
        }

        /**
         * Adds all this plan's commands, in order: its creations, a deal referring to the contact
         * created before it, and the activity bound to what they create, each by {@code $result[...]}.
         * Only for a request that halts at the first failure.
         */
        void chainedCommands(Map<String, Bitrix24Client.Command> step, Map<String, Target> targets) {
            List<ItemRef> references = new ArrayList<>();
            Optional<ItemRef> createdContact = Optional.empty();
            for (int c = 0; c < created.length; c++) {
                NewItem item = plan.creations().get(c);
                String id = prefix + "c" + c;
                step.put(id, creation(item, createdContact));
                targets.put(id, new Target(this, c));
                sent[c] = true;
                ItemRef reference = new ItemRef(item.type(), "$result[" + id + "]");
                references.add(reference);
                if (item.type() == ItemType.CONTACT) {
                    createdContact = Optional.of(reference);
                }
            }
            try {
                addActivity(step, targets, references);
            } catch (CrmException e) {
                failure = e;
                step.clear();
                targets.clear();
            }
        }

        private boolean contactBefore(int creation) {
            return plan.creations().subList(0, creation).stream().anyMatch(NewContact.class::isInstance);
        }

        private Bitrix24Client.Command creation(NewItem item, Optional<ItemRef> createdContact) {
            if (item instanceof NewLead lead) {
                return new Bitrix24Client.Command("crm.lead.add", fields.add(fields.lead(lead)));
            }
            if (item instanceof NewDeal deal) {
                return new Bitrix24Client.Command("crm.deal.add", fields.add(fields.deal(Plans.linkContact(deal, createdContact))));
            }
            return new Bitrix24Client.Command("crm.contact.add", fields.add(fields.contact((NewContact) item)));
        }

        /** Takes the result of one of this plan's commands. */
        void accept(String id, int creation, Bitrix24Client.BatchResult result) {
            try {
                String value = result.get(id).asText("");
                if (creation == Target.ACTIVITY) {
                    activityId = requireId(id, value);
                } else if (creation >= 0) {
                    created[creation] = new ItemRef(plan.creations().get(creation).type(), requireId(id, value));
                    if (simpleMode && created[creation].type() == ItemType.LEAD) {
                        unresolvedLeads.add(creation);
                    }
                }
            } catch (CrmException e) {
                fail(e);
            }
        }

        /** Fails the plan unless it is complete. */
        void fail(CrmException e) {
            if (failure == null && !(activitySent && activityId != null)) {
                failure = e;
            }
        }

        WriteResult result() {
            if (failure != null) {
                return new WriteResult.Failed(failure);
            }
            if (activityId == null) {
                return new WriteResult.Failed(new CrmUnavailableException(
                    "Bitrix24 answered no id for the e-mail activity of " + plan.originKey()));
            }
            return new WriteResult.Written(List.of(created), activityId);
        }

        private String requireId(String id, String value) throws CrmException {
            if (value.isEmpty() || value.equals("0") || value.equals("false")) {
                throw new CrmUnavailableException("Bitrix24 answered no id to command " + id + " of " + plan.originKey());
            }
            return value;
        }
    }

}

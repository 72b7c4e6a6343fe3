package org.jamescrm.salesforce;

import static org.jamescrm.salesforce.SalesforceFields.EMAIL_MESSAGE;
import static org.jamescrm.salesforce.SalesforceFields.cut;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.jamescrm.model.AttachmentInfo;
import org.jamescrm.model.MailParty;
import org.jamescrm.model.SafeHtml;
import org.jamescrm.spi.ActivityDirection;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmRejectedException;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.ItemType;
import org.jamescrm.spi.NewContact;
import org.jamescrm.spi.NewDeal;
import org.jamescrm.spi.NewEmailActivity;
import org.jamescrm.spi.NewItem;
import org.jamescrm.spi.NewLead;
import org.jamescrm.spi.Plans;
import org.jamescrm.spi.WritePlan;
import org.jamescrm.spi.WriteResult;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A round's write plans in as few sObject Collections calls as their order allows (200 records a call, each record
 * judged on its own): the Leads and Contacts of every plan, then their Opportunities (linked to the Contact created
 * before, {@code ContactId} making its primary contact role), then the e-mail activities, then the senders'
 * {@code EmailMessageRelation}s of incoming mail. A plan whose record is refused fails alone; a duplicate rule's
 * answer gives the record to use instead of a second. Every record carries the SHA-256 of its capture key.
 * <p>
 * Activities are {@code EmailMessage}s (Enhanced Email: {@code Incoming}, {@code Status}, {@code MessageDate},
 * {@code MessageIdentifier}, {@code RelatedToId} the Opportunity or Account, {@code ToIds} the people of outgoing
 * mail), or Tasks with {@code TaskSubtype=Email} in an org without Enhanced Email; upserted by the capture key
 * field when it is an External ID, inserted otherwise. Inserting an e-mail record sends nothing. Attachments with
 * content become ContentVersions published on the e-mail; those over the size limit are listed in the body.
 */
final class SalesforceWrites {
    /** Items an e-mail is related to, the most specific first. */
    private static final List<ItemType> WHAT = List.of(ItemType.DEAL, ItemType.COMPANY);
    private static final List<ItemType> WHO = List.of(ItemType.CONTACT, ItemType.LEAD);

    private final SalesforceClient client;
    private final SalesforceConfiguration configuration;
    private final Clock clock;

    SalesforceWrites(SalesforceClient client, SalesforceConfiguration configuration, Clock clock) {
        this.client = client;
        this.configuration = configuration;
        this.clock = clock;
    }

    /** One plan's progress through the round. */
    private static final class Progress {
        final WritePlan plan;
        final ItemRef[] created;
        CrmException failure;
        String activityId;
        /** False when an upsert found the e-mail already written: its links and files are there too. */
        boolean activityCreated;

        Progress(WritePlan plan) {
            this.plan = plan;
            this.created = new ItemRef[plan.creations().size()];
        }

        boolean failed() {
            return failure != null;
        }

        List<ItemRef> createdSoFar() {
            List<ItemRef> items = new ArrayList<>();
            for (ItemRef item : created) {
                if (item != null) {
                    items.add(item);
                }
            }
            return items;
        }

        Optional<ItemRef> createdContact() {
            return createdSoFar().stream().filter(item -> item.type() == ItemType.CONTACT).findFirst();
        }

        WriteResult result() {
            return failed() ? new WriteResult.Failed(failure) : new WriteResult.Written(createdSoFar(), activityId);
        }
    }

    /** A record to write for a plan, and where its id goes. */
    private record Pending(Progress progress, int creation, ObjectNode record) {
    }

    /** The plans of a round; the results in their order. */
    List<WriteResult> write(List<WritePlan> plans, String activityObject) {
        List<Progress> round = plans.stream().map(Progress::new).toList();
        List<Pending> people = new ArrayList<>();
        for (Progress progress : round) {
            List<NewItem> creations = progress.plan.creations();
            for (int i = 0; i < creations.size(); i++) {
                if (creations.get(i) instanceof NewLead lead) {
                    people.add(new Pending(progress, i, lead(lead)));
                } else if (creations.get(i) instanceof NewContact contact) {
                    people.add(new Pending(progress, i, contact(contact)));
                }
            }
        }
        save(people);
        List<Pending> deals = new ArrayList<>();
        for (Progress progress : round) {
            List<NewItem> creations = progress.plan.creations();
            for (int i = 0; i < creations.size() && !progress.failed(); i++) {
                if (creations.get(i) instanceof NewDeal deal) {
                    deals.add(new Pending(progress, i, deal(Plans.linkContact(deal, progress.createdContact()))));
                }
            }
        }
        save(deals);
        writeActivities(round.stream().filter(progress -> !progress.failed()).toList(), activityObject);
        return round.stream().map(Progress::result).toList();
    }

    /** One item on its own (the one-by-one operations): its id, or the duplicate's. */
    ItemRef create(NewItem item) throws CrmException {
        ObjectNode record = item instanceof NewLead lead ? lead(lead) : item instanceof NewDeal deal ? deal(deal) : contact((NewContact) item);
        SalesforceClient.Saved saved = client.create(List.of(record)).get(0);
        CrmException[] failure = new CrmException[1];
        String id = id(saved, refused -> failure[0] = refused);
        if (id == null) {
            throw failure[0];
        }
        return new ItemRef(item.type(), id);
    }

    private void save(List<Pending> pending) {
        List<Pending> live = pending.stream().filter(item -> !item.progress().failed()).toList();
        if (live.isEmpty()) {
            return;
        }
        List<SalesforceClient.Saved> saved;
        try {
            saved = client.create(live.stream().map(Pending::record).toList());
        } catch (CrmException e) {
            live.forEach(item -> item.progress().failure = e);
            return;
        }
        for (int i = 0; i < live.size(); i++) {
            Pending item = live.get(i);
            NewItem creation = item.progress().plan.creations().get(item.creation());
            String id = id(saved.get(i), item.progress());
            if (id != null) {
                item.progress().created[item.creation()] = new ItemRef(creation.type(), id);
            }
        }
    }

    /** The id of a saved record or of the duplicate to use; null, the plan failed, when refused. */
    private static String id(SalesforceClient.Saved saved, Progress progress) {
        return id(saved, failure -> {
            if (progress.failure == null) {
                progress.failure = failure;
            }
        });
    }

    private static String id(SalesforceClient.Saved saved, Consumer<CrmException> refused) {
        if (saved instanceof SalesforceClient.Ok ok) {
            return ok.id();
        }
        SalesforceErrors.Outcome outcome = ((SalesforceClient.Refused) saved).outcome();
        if (outcome instanceof SalesforceErrors.Duplicate duplicate) {
            return duplicate.existingId();
        }
        refused.accept(outcome instanceof SalesforceErrors.Failure failure ? failure.exception()
            : new CrmRejectedException("Salesforce refused a record: " + outcome));
        return null;
    }

    private void writeActivities(List<Progress> round, String activityObject) {
        boolean email = activityObject.equals(EMAIL_MESSAGE);
        List<Progress> writing = new ArrayList<>();
        List<ObjectNode> records = new ArrayList<>();
        for (Progress progress : round) {
            NewEmailActivity activity = Plans.bindCreated(progress.plan.activity(), progress.createdSoFar());
            if (activity.bindings().isEmpty()) {
                progress.failure = new CrmRejectedException("the e-mail " + activity.originKey()
                    + " is bound to no CRM item; Salesforce would keep it linked to nothing");
                continue;
            }
            writing.add(progress);
            records.add(email ? emailMessage(activity) : task(activity));
        }
        if (writing.isEmpty()) {
            return;
        }
        List<SalesforceClient.Saved> saved;
        try {
            saved = configuration.externalId()
                ? client.upsert(activityObject, configuration.captureKeyField(), records)
                : client.create(records);
        } catch (CrmException e) {
            writing.forEach(progress -> progress.failure = e);
            return;
        }
        List<Progress> relating = new ArrayList<>();
        List<ObjectNode> relations = new ArrayList<>();
        for (int i = 0; i < writing.size(); i++) {
            Progress progress = writing.get(i);
            progress.activityId = id(saved.get(i), progress);
            boolean created = !(saved.get(i) instanceof SalesforceClient.Ok ok) || ok.created();
            progress.activityCreated = created;
            NewEmailActivity activity = Plans.bindCreated(progress.plan.activity(), progress.createdSoFar());
            if (email && created && progress.activityId != null && activity.direction() == ActivityDirection.INCOMING) {
                for (ItemRef person : people(activity)) {
                    relating.add(progress);
                    relations.add(senderRelation(progress.activityId, person, activity.from()));
                }
            }
        }
        saveRelations(relating, relations);
        saveAttachments(writing.stream().filter(progress -> progress.activityId != null && progress.activityCreated && !progress.failed())
            .toList());
    }

    /**
     * The attachments with content, each a ContentVersion published on the e-mail ({@code FirstPublishLocationId}:
     * Salesforce links the file to it), in Composite requests of 25; a refused file fails its plan with the reason.
     */
    private void saveAttachments(List<Progress> written) {
        List<Progress> owners = new ArrayList<>();
        List<ObjectNode> files = new ArrayList<>();
        for (Progress progress : written) {
            for (AttachmentInfo attachment : progress.plan.activity().attachments()) {
                if (attachment.hasContent()) {
                    owners.add(progress);
                    ObjectNode file = client.mapper().createObjectNode();
                    file.putObject("attributes").put("type", SalesforceFields.CONTENT_VERSION);
                    files.add(file.put("Title", cut(attachment.fileName(), SalesforceFields.TITLE))
                        .put("PathOnClient", cut(attachment.fileName(), SalesforceFields.TITLE))
                        .put("VersionData", java.util.Base64.getEncoder().encodeToString(attachment.content()))
                        .put("FirstPublishLocationId", progress.activityId));
                }
            }
        }
        if (files.isEmpty()) {
            return;
        }
        try {
            List<SalesforceClient.Saved> saved = client.createEach(files);
            for (int i = 0; i < saved.size(); i++) {
                id(saved.get(i), owners.get(i));
            }
        } catch (CrmException e) {
            owners.forEach(progress -> progress.failure = e);
        }
    }

    /** The sender of incoming mail linked to the e-mail, so it shows on the client's timeline. */
    private void saveRelations(List<Progress> relating, List<ObjectNode> relations) {
        if (relations.isEmpty()) {
            return;
        }
        try {
            List<SalesforceClient.Saved> saved = client.create(relations);
            for (int i = 0; i < saved.size(); i++) {
                id(saved.get(i), relating.get(i));
            }
        } catch (CrmException e) {
            relating.forEach(progress -> progress.failure = e);
        }
    }

    /** {@code LastName}, {@code Company} (the address's domain), {@code LeadSource}, the owner the rules chose. */
    ObjectNode lead(NewLead lead) {
        String[] names = SalesforceFields.names(lead.name(), lead.email());
        ObjectNode record = record(SalesforceFields.LEAD, lead.originKey())
            .put("FirstName", names[0])
            .put("LastName", names[1])
            .put("Company", SalesforceFields.company(lead.email()))
            .put("Email", lead.email().value())
            .put("LeadSource", SalesforceFields.leadSource(lead.source()))
            .put("Description", cut("Captured e-mail: " + lead.title() + (lead.returnCustomer() ? "\nReturning customer." : ""),
                SalesforceFields.LONG_TEXT));
        lead.responsibleId().ifPresent(id -> record.put("OwnerId", id));
        return record;
    }

    ObjectNode contact(NewContact contact) {
        String[] names = SalesforceFields.names(contact.name(), contact.email());
        ObjectNode record = record(SalesforceFields.CONTACT, contact.originKey())
            .put("FirstName", names[0])
            .put("LastName", names[1])
            .put("Email", contact.email().value());
        contact.responsibleId().ifPresent(id -> record.put("OwnerId", id));
        return record;
    }

    /** Stage Prospecting, closing in 30 days; {@code ContactId} makes the contact's primary contact role. */
    ObjectNode deal(NewDeal deal) {
        ObjectNode record = record(SalesforceFields.OPPORTUNITY, deal.originKey())
            .put("Name", cut(deal.title().isBlank() ? "(No Subject)" : deal.title(), SalesforceFields.OPPORTUNITY_NAME))
            .put("StageName", "Prospecting")
            .put("CloseDate", LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(30).toString());
        if (deal.returnCustomer()) {
            record.put("Description", "Returning customer.");
        }
        deal.responsibleId().ifPresent(id -> record.put("OwnerId", id));
        deal.company().ifPresent(company -> record.put("AccountId", company.id()));
        deal.contact().ifPresent(contact -> record.put("ContactId", contact.id()));
        return record;
    }

    /** Enhanced Email: immutable after insert, so everything in one record. */
    ObjectNode emailMessage(NewEmailActivity activity) {
        boolean outgoing = activity.direction() == ActivityDirection.OUTGOING;
        ObjectNode record = record(EMAIL_MESSAGE, activity.originKey())
            .put("Subject", cut(activity.subject(), SalesforceFields.EMAIL_SUBJECT))
            .put("TextBody", cut(activity.textBody() + notStored(activity, "\n\n", "\n"), SalesforceFields.LONG_TEXT))
            .put("FromAddress", activity.from().address().value())
            .put("FromName", cut(activity.from().nameOrLocalPart(), SalesforceFields.FROM_NAME))
            .put("ToAddress", addresses(activity.to()))
            .put("CcAddress", addresses(activity.cc()))
            .put("Incoming", !outgoing)
            // 3 Sent for outgoing mail, 1 Read when someone already worked on it, 0 New
            .put("Status", outgoing ? "3" : activity.completed() ? "1" : "0")
            .put("MessageDate", activity.sentAt().orElse(activity.receivedAt()).toString());
        activity.htmlBody().ifPresent(html -> record.put("HtmlBody", cut(html.html()
            + SafeHtml.escape(notStored(activity, "\n", "\n")).replace("\n", "<br>"), SalesforceFields.LONG_TEXT)));
        activity.messageId().filter(id -> id.length() <= 255).ifPresent(id -> record.put("MessageIdentifier", id));
        what(activity).ifPresent(item -> record.put("RelatedToId", item.id()));
        if (outgoing) {
            people(activity).forEach(person -> record.withArray("ToIds").add(person.id()));
        }
        return record;
    }

    /** The fallback where the org has no Enhanced Email: a Task of subtype Email (a Lead as WhoId takes no WhatId). */
    ObjectNode task(NewEmailActivity activity) {
        ObjectNode record = record(SalesforceFields.TASK, activity.originKey())
            .put("Subject", cut("Email: " + activity.subject(), SalesforceFields.TASK_SUBJECT))
            .put("Description", cut(activity.textBody() + notStored(activity, "\n\n", "\n"), SalesforceFields.LONG_TEXT))
            .put("Status", activity.completed() ? "Completed" : "Not Started")
            .put("ActivityDate", LocalDate.ofInstant(activity.sentAt().orElse(activity.receivedAt()), ZoneOffset.UTC).toString())
            .put("TaskSubtype", "Email");
        Optional<ItemRef> who = people(activity).stream().findFirst();
        who.ifPresent(person -> record.put("WhoId", person.id()));
        if (who.isEmpty() || who.get().type() != ItemType.LEAD) {
            what(activity).ifPresent(item -> record.put("WhatId", item.id()));
        }
        activity.responsibleId().ifPresent(id -> record.put("OwnerId", id));
        return record;
    }

    private ObjectNode senderRelation(String emailId, ItemRef person, MailParty from) {
        ObjectNode record = client.mapper().createObjectNode();
        record.putObject("attributes").put("type", SalesforceFields.EMAIL_RELATION);
        return record.put("EmailMessageId", emailId).put("RelationId", person.id()).put("RelationType", "FromAddress")
            .put("RelationAddress", from.address().value());
    }

    private ObjectNode record(String type, String originKey) {
        ObjectNode record = client.mapper().createObjectNode();
        record.putObject("attributes").put("type", type);
        return record.put(configuration.captureKeyField(), SalesforceFields.keyHash(originKey));
    }

    private static Optional<ItemRef> what(NewEmailActivity activity) {
        return WHAT.stream().flatMap(type -> activity.bindings().stream().filter(item -> item.type() == type)).findFirst();
    }

    private static List<ItemRef> people(NewEmailActivity activity) {
        return WHO.stream().flatMap(type -> activity.bindings().stream().filter(item -> item.type() == type)).toList();
    }

    private static String addresses(List<MailParty> parties) {
        return cut(parties.stream().map(party -> party.address().value()).collect(Collectors.joining("; ")), SalesforceFields.ADDRESS_LIST);
    }

    /** The attachments the activity lists without content (over the size limit), as a paragraph. */
    private static String notStored(NewEmailActivity activity, String before, String between) {
        List<AttachmentInfo> attachments = activity.attachments().stream().filter(attachment -> !attachment.hasContent()).toList();
        if (attachments.isEmpty()) {
            return "";
        }
        return before + "Attachments (not stored): " + attachments.stream().map(attachment -> attachment.fileName() + " ("
            + attachment.size() + " bytes)").collect(Collectors.joining(between.equals("\n") ? ", " : between));
    }
}

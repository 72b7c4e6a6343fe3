package org.jamescrm.zoho;

import static org.jamescrm.zoho.ZohoFields.CAPTURE_KEY;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.IntStream;

import org.jamescrm.model.AttachmentInfo;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.model.MailParty;
import org.jamescrm.spi.ActivityDirection;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmText;
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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The writes of a round: its leads, then its contacts, then its deals, each kind in inserts of up to
 * {@value ZohoProvider#RECORDS_PER_REQUEST} records (one result per record: 201, 207 or 400), every
 * record carrying its capture key in {@value ZohoFields#CAPTURE_KEY}; then each plan's e-mail through
 * {@code associate_email} on the record the rules chose, with the capture key as its
 * {@code original_message_id}, five to a composite request. A plan whose write fails fails alone.
 */
final class ZohoWrites {
    /** The order kinds are written in: a deal links the contact created before it. */
    private static final List<ItemType> KINDS = List.of(ItemType.LEAD, ItemType.CONTACT, ItemType.DEAL);
    /** The record an e-mail is associated with, the most telling first. */
    private static final List<ItemType> RECORDS = List.of(ItemType.LEAD, ItemType.CONTACT, ItemType.COMPANY, ItemType.DEAL);
    /** The record linked to it, a deal first. */
    private static final List<ItemType> LINKED = List.of(ItemType.DEAL, ItemType.CONTACT, ItemType.COMPANY);

    private final ZohoClient client;
    private final ZohoComposite composite;
    private final ZohoMetadata metadata;
    private final Clock clock;
    private final Executor executor;

    /** @param executor associates the e-mails of plans that create nothing while the inserts of the others go */
    ZohoWrites(ZohoClient client, ZohoComposite composite, ZohoMetadata metadata, Clock clock, Executor executor) {
        this.client = client;
        this.composite = composite;
        this.metadata = metadata;
        this.clock = clock;
        this.executor = executor;
    }

    /** A record written or refused. */
    private record Outcome(String id, CrmException failure) {
    }

    /**
     * The plans of a round, in their order. The e-mails of the plans that create nothing are associated at
     * once, while the others' records are inserted; then the others' e-mails.
     */
    List<WriteResult> write(List<WritePlan> plans) {
        int count = plans.size();
        CrmException[] failed = new CrmException[count];
        List<Integer> alone = IntStream.range(0, count).filter(p -> plans.get(p).creations().isEmpty()).boxed().toList();
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> associate(plans, alone, List.of(), failed), executor);
        List<ItemRef[]> created = new ArrayList<>();
        plans.forEach(plan -> created.add(new ItemRef[plan.creations().size()]));
        for (ItemType kind : KINDS) {
            List<int[]> positions = new ArrayList<>();
            List<ObjectNode> records = new ArrayList<>();
            for (int p = 0; p < count; p++) {
                List<NewItem> creations = plans.get(p).creations();
                for (int c = 0; c < creations.size() && failed[p] == null; c++) {
                    if (creations.get(c).type() == kind) {
                        try {
                            records.add(record(creations.get(c), createdContact(created.get(p))));
                            positions.add(new int[] {p, c});
                        } catch (CrmException e) {
                            failed[p] = e;
                        }
                    }
                }
            }
            List<Outcome> outcomes = insert(ZohoFields.module(kind), records);
            for (int i = 0; i < positions.size(); i++) {
                int[] at = positions.get(i);
                if (outcomes.get(i).failure() != null) {
                    failed[at[0]] = failed[at[0]] == null ? outcomes.get(i).failure() : failed[at[0]];
                } else {
                    created.get(at[0])[at[1]] = new ItemRef(kind, outcomes.get(i).id());
                }
            }
        }
        List<Integer> creating = IntStream.range(0, count).filter(p -> !plans.get(p).creations().isEmpty() && failed[p] == null).boxed()
            .toList();
        associate(plans, creating, created, failed);
        first.join();
        List<WriteResult> results = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            results.add(failed[p] != null ? new WriteResult.Failed(failed[p])
                : new WriteResult.Written(List.of(created.get(p)), plans.get(p).originKey()));
        }
        return results;
    }

    /** The e-mails of the plans {@code which}, bound to what they created, five to a composite request; refusals into {@code failed}. */
    private void associate(List<WritePlan> plans, List<Integer> which, List<ItemRef[]> created, CrmException[] failed) {
        List<Integer> live = new ArrayList<>();
        List<ZohoComposite.Sub> associations = new ArrayList<>();
        for (int p : which) {
            try {
                List<ItemRef> made = created.isEmpty() ? List.of() : List.of(created.get(p));
                associations.add(association(Plans.bindCreated(plans.get(p).activity(), made)));
                live.add(p);
            } catch (CrmException e) {
                failed[p] = e;
            }
        }
        List<ZohoComposite.Answer> answers = associations.isEmpty() ? List.of() : composite.run(associations);
        for (int i = 0; i < live.size(); i++) {
            Optional<CrmException> refused = refusal(answers.get(i));
            if (refused.isPresent()) {
                failed[live.get(i)] = refused.get();
            }
        }
    }

    /** One record, alone: the one-by-one operations. */
    ItemRef create(NewItem item) throws CrmException {
        Outcome outcome = insert(ZohoFields.module(item.type()), List.of(record(item, Optional.empty()))).get(0);
        if (outcome.failure() != null) {
            throw outcome.failure();
        }
        return new ItemRef(item.type(), outcome.id());
    }

    /** One e-mail, alone; its id is its {@code original_message_id}, the capture key. */
    String associate(NewEmailActivity activity) throws CrmException {
        Optional<CrmException> refused = refusal(composite.run(List.of(association(activity))).get(0));
        if (refused.isPresent()) {
            throw refused.get();
        }
        return activity.originKey();
    }

    private static Optional<ItemRef> createdContact(ItemRef[] created) {
        for (ItemRef ref : created) {
            if (ref != null && ref.type() == ItemType.CONTACT) {
                return Optional.of(ref);
            }
        }
        return Optional.empty();
    }

    /** Inserts of up to 100 records; one outcome per record, in order. */
    private List<Outcome> insert(String module, List<ObjectNode> records) {
        List<Outcome> outcomes = new ArrayList<>();
        for (int from = 0; from < records.size(); from += ZohoProvider.RECORDS_PER_REQUEST) {
            List<ObjectNode> chunk = records.subList(from, Math.min(records.size(), from + ZohoProvider.RECORDS_PER_REQUEST));
            ObjectNode body = client.object();
            ArrayNode data = body.putArray("data");
            chunk.forEach(data::add);
            if (!client.configuration().workflows()) {
                body.putArray("trigger"); // none of Zoho's workflows, approvals, blueprints
            }
            try {
                JsonNode answer = client.post(module, body);
                for (int i = 0; i < chunk.size(); i++) {
                    JsonNode item = answer.path("data").path(i);
                    if (ZohoErrors.success(item)) {
                        outcomes.add(new Outcome(item.path("details").path("id").asText(), null));
                    } else {
                        Optional<String> existing = ZohoErrors.duplicateOf(item);
                        outcomes.add(existing.isPresent() ? new Outcome(existing.get(), null)
                            : new Outcome(null, ZohoErrors.item("POST " + module, 400, item)));
                    }
                }
            } catch (CrmException e) {
                chunk.forEach(record -> outcomes.add(new Outcome(null, e)));
            }
        }
        return outcomes;
    }

    private ObjectNode record(NewItem item, Optional<ItemRef> createdContact) throws CrmException {
        if (item instanceof NewLead lead) {
            return lead(lead);
        }
        if (item instanceof NewDeal deal) {
            return deal(Plans.linkContact(deal, createdContact));
        }
        NewContact contact = (NewContact) item;
        return person(contact.name(), contact.email(), contact.responsibleId(), contact.originKey());
    }

    private ObjectNode lead(NewLead lead) throws CrmException {
        ObjectNode record = person(lead.name(), lead.email(), lead.responsibleId(), lead.originKey());
        record.put("Company", CrmText.truncate(lead.email().domain(), ZohoFields.COMPANY_LENGTH));
        // a restricted picklist refuses a value it does not list (INVALID_DATA): only a listed one is sent
        metadata.option(ZohoFields.LEADS, "Lead_Source", lead.source())
            .or(() -> optionOrEmpty(ZohoFields.LEADS, "Lead_Source", lead.source().equalsIgnoreCase("EMAIL") ? "Email" : "Other"))
            .ifPresent(source -> record.put("Lead_Source", source));
        record.put("Description", lead.title() + (lead.returnCustomer() ? "\n\nReturning customer." : ""));
        return record;
    }

    private Optional<String> optionOrEmpty(String module, String field, String wanted) {
        try {
            return metadata.option(module, field, wanted);
        } catch (CrmException e) {
            return Optional.empty();
        }
    }

    private ObjectNode person(String name, EmailAddress email, Optional<String> responsibleId, String originKey) {
        String[] names = ZohoFields.names(name, email);
        ObjectNode record = client.object();
        if (!names[0].isEmpty()) {
            record.put("First_Name", names[0]);
        }
        record.put("Last_Name", names[1]).put("Email", email.value()).put(CAPTURE_KEY, originKey);
        responsibleId.ifPresent(id -> record.putObject("Owner").put("id", id));
        return record;
    }

    private ObjectNode deal(NewDeal deal) throws CrmException {
        ObjectNode record = client.object()
            .put("Deal_Name", CrmText.truncate(deal.title().isBlank() ? "(No Subject)" : deal.title(), ZohoFields.DEAL_NAME_LENGTH))
            .put("Stage", metadata.firstOpenStage())
            .put("Closing_Date", LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(30).toString())
            .put(CAPTURE_KEY, deal.originKey());
        if (deal.returnCustomer()) {
            record.put("Description", "Returning customer.");
        }
        deal.contact().ifPresent(contact -> record.putObject("Contact_Name").put("id", contact.id()));
        deal.company().ifPresent(company -> record.putObject("Account_Name").put("id", company.id()));
        deal.responsibleId().ifPresent(id -> record.putObject("Owner").put("id", id));
        return record;
    }

    /**
     * {@code associate_email} on the most telling record bound (Lead, Contact, Account, Deal), a second one
     * linked to it ({@code linked_record}: a Deal, else a Contact or Account); {@code sent} says the direction (Zoho never sends the mail). The
     * attachments with content are uploaded first; those without are listed in the content.
     */
    private ZohoComposite.Sub association(NewEmailActivity activity) throws CrmException {
        ItemRef record = RECORDS.stream().flatMap(type -> activity.bindings().stream().filter(item -> item.type() == type)).findFirst()
            .orElseThrow(() -> new CrmRejectedException("the e-mail " + activity.originKey()
                + " is bound to no CRM item; Zoho associates an e-mail with a record"));
        Optional<ItemRef> linked = LINKED.stream().flatMap(type -> activity.bindings().stream()
            .filter(item -> item.type() == type && !item.equals(record))).findFirst();
        ObjectNode email = client.object();
        email.set("from", party(activity.from()));
        List<MailParty> to = activity.to().isEmpty() ? activity.cc().isEmpty() ? List.of(activity.from()) : activity.cc() : activity.to();
        ArrayNode toArray = email.putArray("to");
        to.forEach(party -> toArray.add(party(party)));
        ArrayNode cc = email.putArray("cc");
        if (!activity.to().isEmpty()) {
            activity.cc().forEach(party -> cc.add(party(party)));
        }
        email.put("subject", CrmText.truncate(activity.subject().isBlank() ? "(No Subject)" : activity.subject(), ZohoFields.SUBJECT_LENGTH));
        content(email, activity);
        email.put("original_message_id", activity.originKey())
            .put("sent", activity.direction() == ActivityDirection.OUTGOING)
            .put("date_time", ZohoFields.dateTime(activity.sentAt().orElse(activity.receivedAt())));
        linked.ifPresent(deal -> {
            ObjectNode link = email.putObject("linked_record");
            link.putObject("module").put("api_name", ZohoFields.module(deal.type()));
            link.put("id", deal.id());
        });
        ArrayNode attachments = email.putArray("attachments");
        for (AttachmentInfo attachment : activity.attachments()) {
            if (attachment.hasContent()) {
                String type = attachment.contentType().isBlank() ? "application/octet-stream" : attachment.contentType();
                attachments.addObject().put("id", client.upload(attachment.fileName(), type, attachment.content()));
            }
        }
        ObjectNode body = client.object();
        body.putArray("Emails").add(email);
        return ZohoComposite.Sub.post(ZohoFields.module(record.type()) + "/" + record.id() + "/actions/associate_email", body);
    }

    private ObjectNode party(MailParty party) {
        ObjectNode node = client.object();
        party.displayName().ifPresent(name -> node.put("user_name", name));
        return node.put("email", party.address().value());
    }

    private static void content(ObjectNode email, NewEmailActivity activity) {
        CrmText.Body body = CrmText.body(activity);
        // Zoho requires a content: a headers-only capture keeps none
        email.put("mail_format", body.html() ? "html" : "text").put("content", body.content().isBlank() ? "(headers only)" : body.content());
    }

    /** What the answer of an {@code associate_email} says: nothing when the e-mail is in Zoho (also from an earlier try). */
    private static Optional<CrmException> refusal(ZohoComposite.Answer answer) {
        if (answer.failed()) {
            return Optional.of(answer.failure());
        }
        JsonNode item = answer.body().path("Emails").path(0);
        if (ZohoErrors.success(item) || item.path("code").asText("").equals("DUPLICATE_DATA")) {
            return Optional.empty();
        }
        return Optional.of(ZohoErrors.item("POST associate_email", answer.status(), item));
    }
}

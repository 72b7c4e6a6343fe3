package org.jamescrm.bitrix24;

import java.time.Instant;
import java.util.Base64;

import org.jamescrm.model.AttachmentInfo;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.model.MailParty;
import org.jamescrm.spi.ActivityDirection;
import org.jamescrm.spi.CrmRejectedException;
import org.jamescrm.spi.CrmText;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.ItemType;
import org.jamescrm.spi.NewContact;
import org.jamescrm.spi.NewDeal;
import org.jamescrm.spi.NewEmailActivity;
import org.jamescrm.spi.NewLead;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code fields} of the items and e-mail activities the capture writes (bitrix24-api §7.1,
 * §7.3, §7.4, §7.6), each marked with ORIGINATOR_ID/ORIGIN_ID so a retry finds it.
 */
final class Bitrix24Fields {
    private final Bitrix24Client client;
    private final String originatorId;

    Bitrix24Fields(Bitrix24Client client, String originatorId) {
        this.client = client;
        this.originatorId = originatorId;
    }

    /** Whether a row was written by this capture (its ORIGINATOR_ID). */
    boolean isOurs(com.fasterxml.jackson.databind.JsonNode row) {
        return originatorId.equalsIgnoreCase(row.path("ORIGINATOR_ID").asText(""));
    }

    /** The filter on the capture's own records: this ORIGINATOR_ID. */
    ObjectNode originFilter(ObjectNode params) {
        ObjectNode filter = params.putObject("filter");
        filter.put("ORIGINATOR_ID", originatorId);
        return filter;
    }

    ObjectNode lead(NewLead lead) {
        ObjectNode fields = client.params();
        fields.put("TITLE", lead.title());
        fields.put("NAME", lead.name());
        email(fields, lead.email());
        fields.put("SOURCE_ID", lead.source());
        fields.put("OPENED", "Y");
        lead.responsibleId().ifPresent(id -> fields.put("ASSIGNED_BY_ID", id));
        // IS_RETURN_CUSTOMER cannot be written: Bitrix24 sets it when the lead names the client's contact or company
        lead.clientItems().stream().filter(item -> item.type() == ItemType.CONTACT).findFirst()
            .ifPresent(contact -> fields.put("CONTACT_ID", contact.id()));
        lead.clientItems().stream().filter(item -> item.type() == ItemType.COMPANY).findFirst()
            .ifPresent(company -> fields.put("COMPANY_ID", company.id()));
        origin(fields, lead.originKey());
        return fields;
    }

    ObjectNode contact(NewContact contact) {
        ObjectNode fields = client.params();
        fields.put("NAME", contact.name());
        email(fields, contact.email());
        fields.put("TYPE_ID", "CLIENT");
        fields.put("SOURCE_ID", "EMAIL");
        fields.put("OPENED", "Y");
        contact.responsibleId().ifPresent(id -> fields.put("ASSIGNED_BY_ID", id));
        origin(fields, contact.originKey());
        return fields;
    }

    ObjectNode deal(NewDeal deal) {
        ObjectNode fields = client.params();
        fields.put("TITLE", deal.title());
        deal.contact().ifPresent(contact -> fields.put("CONTACT_ID", contact.id()));
        deal.company().ifPresent(company -> fields.put("COMPANY_ID", company.id()));
        deal.responsibleId().ifPresent(id -> fields.put("ASSIGNED_BY_ID", id));
        fields.put("IS_RETURN_CUSTOMER", deal.returnCustomer() ? "Y" : "N");
        fields.put("SOURCE_ID", "EMAIL");
        fields.put("OPENED", "Y");
        origin(fields, deal.originKey());
        return fields;
    }

    /**
     * An e-mail activity, always created open: one created completed with DIRECTION 2 makes
     * Bitrix24 send the mail to the client again (bitrix24-api §7.6); it is completed by an update.
     */
    ObjectNode activity(NewEmailActivity email) throws CrmRejectedException {
        if (email.bindings().isEmpty()) {
            throw new CrmRejectedException("an e-mail activity needs at least one CRM item to bind to");
        }
        ItemRef owner = email.bindings().get(0);
        ObjectNode fields = client.params();
        fields.put("OWNER_TYPE_ID", Bitrix24Records.ownerType(owner.type()));
        fields.put("OWNER_ID", owner.id());
        fields.put("TYPE_ID", 4);
        fields.put("DIRECTION", email.direction() == ActivityDirection.INCOMING ? 1 : 2);
        fields.put("SUBJECT", email.subject().isBlank() ? "(no subject)" : email.subject());
        description(fields, email);
        fields.put("COMPLETED", "N");
        email.responsibleId().ifPresent(id -> fields.put("RESPONSIBLE_ID", id));
        Instant start = email.sentAt().orElse(email.receivedAt());
        fields.put("START_TIME", start.toString());
        fields.put("END_TIME", start.toString());
        ArrayNode communications = fields.putArray("COMMUNICATIONS");
        EmailAddress clientAddress = email.clients().isEmpty() ? email.from().address() : email.clients().get(0);
        for (ItemRef binding : email.bindings()) {
            ObjectNode communication = communications.addObject();
            communication.put("VALUE", clientAddress.value());
            communication.put("ENTITY_TYPE_ID", Bitrix24Records.ownerType(binding.type()));
            communication.put("ENTITY_ID", binding.id());
            communication.put("TYPE", "EMAIL");
        }
        origin(fields, email.originKey());
        ObjectNode settings = fields.putObject("SETTINGS");
        ObjectNode meta = settings.putObject("EMAIL_META");
        meta.put("from", party(email.from()));
        meta.put("to", String.join(", ", email.to().stream().map(Bitrix24Fields::party).toList()));
        meta.put("cc", String.join(", ", email.cc().stream().map(Bitrix24Fields::party).toList()));
        email.messageId().ifPresent(id -> settings.putObject("MESSAGE_HEADERS").put("Message-Id", id));
        ArrayNode files = fields.putArray("FILES");
        for (AttachmentInfo attachment : email.attachments()) {
            if (attachment.hasContent() && attachment.size() > 0) {
                files.addObject().putArray("fileData").add(attachment.fileName()).add(Base64.getEncoder().encodeToString(attachment.content()));
            }
        }
        return fields;
    }

    /** The parameters of an {@code *.add} call: the fields wrapped. */
    ObjectNode add(ObjectNode fields) {
        ObjectNode params = client.params();
        params.set("fields", fields);
        return params;
    }

    /** The update that completes an activity; {@code id} may be a {@code $result[...]} reference. */
    ObjectNode complete(String id) {
        ObjectNode update = client.params();
        update.put("id", id);
        update.putObject("fields").put("COMPLETED", "Y");
        return update;
    }

    private void origin(ObjectNode fields, String originKey) {
        fields.put("ORIGINATOR_ID", originatorId);
        fields.put("ORIGIN_ID", originKey);
    }

    private static void email(ObjectNode fields, EmailAddress email) {
        ObjectNode value = fields.putArray("EMAIL").addObject();
        value.put("VALUE", email.value());
        value.put("VALUE_TYPE", "WORK");
    }

    /** The body, with the attachments not stored listed; HTML (type 3) when the mail has it, else text (type 1). */
    private static void description(ObjectNode fields, NewEmailActivity email) {
        CrmText.Body body = CrmText.body(email); // HTML sanitized by the parser (the type says so): the CRM shows it to its users
        fields.put("DESCRIPTION", body.content());
        fields.put("DESCRIPTION_TYPE", body.html() ? 3 : 1);
    }

    private static String party(MailParty party) {
        return party.displayName().map(name -> name + " <" + party.address().value() + ">").orElse(party.address().value());
    }
}

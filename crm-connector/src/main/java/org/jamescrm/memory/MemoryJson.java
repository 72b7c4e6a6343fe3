package org.jamescrm.memory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jamescrm.memory.MemoryRecords.Activity;
import org.jamescrm.memory.MemoryRecords.Company;
import org.jamescrm.memory.MemoryRecords.Contact;
import org.jamescrm.memory.MemoryRecords.Deal;
import org.jamescrm.memory.MemoryRecords.Lead;
import org.jamescrm.model.MailParty;
import org.jamescrm.model.SafeHtml;
import org.jamescrm.spi.CrmUser;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.NewEmailActivity;

/**
 * The view of the in-memory CRM ({@code GET /crm/memory}): one list per record kind, as explicit maps,
 * so the JSON contract is written down here instead of following the Java field names.
 */
final class MemoryJson {

    private MemoryJson() {
    }

    /** Everything {@code store} holds, taken under its lock so the kinds agree with each other. */
    static Map<String, Object> view(MemoryStore store) {
        synchronized (store.lock) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("users", store.users.values().stream().map(MemoryJson::user).toList());
            view.put("leads", store.leads.values().stream().map(MemoryJson::lead).toList());
            view.put("contacts", store.contacts.values().stream().map(MemoryJson::contact).toList());
            view.put("companies", store.companies.values().stream().map(MemoryJson::company).toList());
            view.put("deals", store.deals.values().stream().map(MemoryJson::deal).toList());
            view.put("cases", store.cases.values().stream().map(MemoryJson::supportCase).toList());
            view.put("activities", store.activities.values().stream().map(MemoryJson::activity).toList());
            view.put("teams", new LinkedHashMap<>(store.teams));
            return view;
        }
    }

    private static Map<String, Object> user(CrmUser user) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", user.id());
        view.put("email", user.email().value());
        view.put("name", user.name());
        return view;
    }

    private static Map<String, Object> lead(Lead lead) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", lead.id());
        view.put("title", lead.title());
        view.put("name", lead.name());
        view.put("email", lead.email().value());
        view.put("status", lead.status().name());
        view.put("responsibleId", lead.responsibleId().orElse(null));
        view.put("source", lead.source());
        view.put("returnCustomer", lead.returnCustomer());
        view.put("originKey", lead.originKey().orElse(null));
        view.put("createdAt", lead.createdAt().toString());
        view.put("modifiedAt", lead.modifiedAt().toString());
        return view;
    }

    private static Map<String, Object> contact(Contact contact) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", contact.id());
        view.put("name", contact.name());
        view.put("email", contact.email().value());
        view.put("companyId", contact.companyId().orElse(null));
        view.put("leadId", contact.leadId().orElse(null));
        view.put("responsibleId", contact.responsibleId().orElse(null));
        view.put("originKey", contact.originKey().orElse(null));
        view.put("createdAt", contact.createdAt().toString());
        return view;
    }

    private static Map<String, Object> company(Company company) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", company.id());
        view.put("title", company.title());
        view.put("email", company.email().map(Object::toString).orElse(null));
        view.put("responsibleId", company.responsibleId().orElse(null));
        view.put("createdAt", company.createdAt().toString());
        return view;
    }

    private static Map<String, Object> deal(Deal deal) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", deal.id());
        view.put("title", deal.title());
        view.put("stage", deal.stage().name());
        view.put("contactId", deal.contactId().orElse(null));
        view.put("companyId", deal.companyId().orElse(null));
        view.put("leadId", deal.leadId().orElse(null));
        view.put("responsibleId", deal.responsibleId().orElse(null));
        view.put("returnCustomer", deal.returnCustomer());
        view.put("originKey", deal.originKey().orElse(null));
        view.put("createdAt", deal.createdAt().toString());
        view.put("modifiedAt", deal.modifiedAt().toString());
        return view;
    }

    private static Map<String, Object> supportCase(MemoryRecords.Case supportCase) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", supportCase.id());
        view.put("number", supportCase.number());
        view.put("subject", supportCase.subject());
        view.put("description", supportCase.description());
        view.put("email", supportCase.email().value());
        view.put("clientItems", supportCase.clientItems().stream().map(MemoryJson::item).toList());
        view.put("responsibleId", supportCase.responsibleId().orElse(null));
        view.put("open", supportCase.open());
        view.put("originKey", supportCase.originKey().orElse(null));
        view.put("createdAt", supportCase.createdAt().toString());
        return view;
    }

    private static Map<String, Object> activity(Activity activity) {
        NewEmailActivity email = activity.email();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", activity.id());
        view.put("direction", email.direction().name());
        view.put("subject", email.subject());
        view.put("from", email.from().address().value());
        view.put("to", addresses(email.to()));
        view.put("cc", addresses(email.cc()));
        view.put("messageId", email.messageId().orElse(null));
        view.put("completed", email.completed());
        view.put("responsibleId", email.responsibleId().orElse(null));
        view.put("bindings", email.bindings().stream().map(MemoryJson::item).toList());
        view.put("sentAt", email.sentAt().map(Object::toString).orElse(null));
        view.put("receivedAt", email.receivedAt().toString());
        view.put("capturedAt", email.capturedAt().toString());
        view.put("textBody", email.textBody());
        view.put("htmlBody", email.htmlBody().map(SafeHtml::html).orElse(null));
        view.put("attachments", email.attachments().stream().map(attachment -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("fileName", attachment.fileName());
            item.put("contentType", attachment.contentType());
            item.put("size", attachment.size());
            item.put("stored", attachment.hasContent());
            return item;
        }).toList());
        view.put("originKey", email.originKey());
        view.put("contentDropped", activity.contentDropped());
        return view;
    }

    private static List<String> addresses(List<MailParty> parties) {
        return parties.stream().map(party -> party.address().value()).toList();
    }

    private static Map<String, Object> item(ItemRef item) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("type", item.type().name());
        view.put("id", item.id());
        return view;
    }
}

package org.jamescrm.bitrix24;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jamescrm.emulator.bitrix24.Bitrix24Emulator;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.spi.CrmFixture;
import org.jamescrm.spi.NewLead;

/** What a CRM user does by hand in a Bitrix24 portal, done on the emulator without touching its limits. */
final class Bitrix24Fixture implements CrmFixture {
    private final Bitrix24Emulator portal;

    Bitrix24Fixture(Bitrix24Emulator portal) {
        this.portal = portal;
    }

    @Override
    public String addUser(EmailAddress email, String name) {
        String[] names = name.split(" ", 2);
        return String.valueOf(portal.addUser(Map.of("NAME", names[0], "LAST_NAME", names.length > 1 ? names[1] : "",
            "EMAIL", email.value(), "ACTIVE", "Y")));
    }

    @Override
    public String addContact(String name, EmailAddress email, Optional<String> responsibleId) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("NAME", name);
        fields.put("EMAIL", List.of(Map.of("VALUE", email.value(), "VALUE_TYPE", "WORK")));
        responsibleId.ifPresent(id -> fields.put("ASSIGNED_BY_ID", id));
        return String.valueOf(portal.addContact(fields));
    }

    @Override
    public String addDeal(String title, String contactId, Optional<String> responsibleId) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("TITLE", title);
        fields.put("CONTACT_ID", contactId);
        fields.put("STAGE_ID", "NEW");
        responsibleId.ifPresent(id -> fields.put("ASSIGNED_BY_ID", id));
        return String.valueOf(portal.addDeal(fields));
    }

    /** As the connector writes a lead: marked with ORIGINATOR_ID and the capture key as ORIGIN_ID. */
    @Override
    public String addLeadOfInterruptedCapture(NewLead lead) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("TITLE", lead.title());
        fields.put("NAME", lead.name());
        fields.put("EMAIL", List.of(Map.of("VALUE", lead.email().value(), "VALUE_TYPE", "WORK")));
        fields.put("SOURCE_ID", lead.source());
        lead.responsibleId().ifPresent(id -> fields.put("ASSIGNED_BY_ID", id));
        fields.put("ORIGINATOR_ID", "james-crm-capture");
        fields.put("ORIGIN_ID", lead.originKey());
        return portal.call("crm.lead.add", Map.of("fields", fields)).asText();
    }

    @Override
    public void winDeal(String dealId) {
        portal.call("crm.deal.update", Map.of("id", dealId, "fields", Map.of("STAGE_ID", "WON")));
    }

    @Override
    public void junkLead(String leadId) {
        portal.call("crm.lead.update", Map.of("id", leadId, "fields", Map.of("STATUS_ID", "JUNK")));
    }

    @Override
    public boolean activityCompleted(String activityId) {
        return "Y".equals(String.valueOf(portal.activity(Long.parseLong(activityId)).get("COMPLETED")));
    }
}

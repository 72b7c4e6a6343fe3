package org.jamescrm.espocrm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jamescrm.emulator.espocrm.EspoCrmEmulator;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.spi.CrmFixture;
import org.jamescrm.spi.NewLead;

/** What a CRM user does by hand in EspoCRM, done on the emulator's administration. */
final class EspoCrmFixture implements CrmFixture {
    private final EspoCrmEmulator site;

    EspoCrmFixture(EspoCrmEmulator site) {
        this.site = site;
    }

    @Override
    public String addUser(EmailAddress email, String name) {
        return site.addUser(email.value(), name);
    }

    @Override
    public String addContact(String name, EmailAddress email, Optional<String> responsibleId) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("lastName", name);
        attributes.put("emailAddress", email.value());
        responsibleId.ifPresent(id -> attributes.put("assignedUserId", id));
        return site.add("Contact", attributes);
    }

    @Override
    public String addDeal(String title, String contactId, Optional<String> responsibleId) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("name", title);
        attributes.put("amount", 1000);
        attributes.put("closeDate", "2027-01-31");
        attributes.put("stage", "Qualification");
        attributes.put("contactId", contactId);
        attributes.put("contactsIds", List.of(contactId));
        responsibleId.ifPresent(id -> attributes.put("assignedUserId", id));
        return site.add("Opportunity", attributes);
    }

    /** As the connector writes a lead: with the capture key in {@code cCaptureKey}. */
    @Override
    public String addLeadOfInterruptedCapture(NewLead lead) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("lastName", lead.name());
        attributes.put("emailAddress", lead.email().value());
        attributes.put("source", "Email");
        attributes.put("description", lead.title());
        attributes.put("cCaptureKey", lead.originKey());
        lead.responsibleId().ifPresent(id -> attributes.put("assignedUserId", id));
        return site.add("Lead", attributes);
    }

    @Override
    public void winDeal(String dealId) {
        site.update("Opportunity", dealId, Map.of("stage", "Closed Won"));
    }

    @Override
    public void junkLead(String leadId) {
        site.update("Lead", leadId, Map.of("status", "Dead"));
    }

    /** EspoCRM e-mails have no open or completed state: the connector records the direction beside the items. */
    @Override
    public boolean activityCompleted(String activityId) {
        return site.record("Email", activityId).path("cCaptureItems").asText("").startsWith("outgoing");
    }
}

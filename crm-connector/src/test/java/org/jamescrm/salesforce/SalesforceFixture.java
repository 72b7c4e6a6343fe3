package org.jamescrm.salesforce;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.jamescrm.emulator.salesforce.SalesforceEmulator;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.spi.CrmFixture;
import org.jamescrm.spi.NewLead;

/** What a Salesforce user does by hand, done on the emulator's administration. */
final class SalesforceFixture implements CrmFixture {
    private final SalesforceEmulator org;

    SalesforceFixture(SalesforceEmulator org) {
        this.org = org;
    }

    @Override
    public String addUser(EmailAddress email, String name) {
        return org.addUser(email.value(), name);
    }

    @Override
    public String addContact(String name, EmailAddress email, Optional<String> responsibleId) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("LastName", name);
        fields.put("Email", email.value());
        responsibleId.ifPresent(id -> fields.put("OwnerId", id));
        return org.add("Contact", fields);
    }

    /** An open Opportunity with the contact in its contact roles, as a user adds it from the contact. */
    @Override
    public String addDeal(String title, String contactId, Optional<String> responsibleId) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("Name", title);
        fields.put("StageName", "Qualification");
        fields.put("CloseDate", "2027-01-31");
        fields.put("ContactId", contactId);
        responsibleId.ifPresent(id -> fields.put("OwnerId", id));
        return org.add("Opportunity", fields);
    }

    /** As the connector writes a lead: the SHA-256 of the capture key in {@code Capture_Key__c}. */
    @Override
    public String addLeadOfInterruptedCapture(NewLead lead) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("LastName", lead.name());
        fields.put("Company", "client.example");
        fields.put("Email", lead.email().value());
        fields.put("Capture_Key__c", SalesforceFields.keyHash(lead.originKey()));
        lead.responsibleId().ifPresent(id -> fields.put("OwnerId", id));
        return org.add("Lead", fields);
    }

    @Override
    public void winDeal(String dealId) {
        org.update(dealId, Map.of("StageName", "Closed Won"));
    }

    @Override
    public void junkLead(String leadId) {
        org.update(leadId, Map.of("Status", "Closed - Not Converted"));
    }

    /** An EmailMessage is completed once read or sent (Status other than 0 New); a Task when Completed. */
    @Override
    public boolean activityCompleted(String activityId) {
        String status = org.record(activityId).path("Status").asText("");
        return activityId.startsWith("00T") ? status.equals("Completed") : !status.equals("0");
    }
}

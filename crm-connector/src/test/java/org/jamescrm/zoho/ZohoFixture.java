package org.jamescrm.zoho;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.jamescrm.emulator.zoho.ZohoEmulator;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.spi.CrmFixture;
import org.jamescrm.spi.NewLead;

/** What a CRM user does by hand in Zoho CRM, done on the emulator's administration. */
final class ZohoFixture implements CrmFixture {
    private final ZohoEmulator zoho;

    ZohoFixture(ZohoEmulator zoho) {
        this.zoho = zoho;
    }

    /** A connection to the emulator's organisation, its accounts host on loopback. */
    static ZohoConfiguration configuration(ZohoEmulator zoho) {
        return ZohoConfiguration.of(ZohoDataCentre.valueOf(zoho.dataCentre()), zoho.clientId(), zoho.clientSecret(), zoho.refreshToken())
            .withAccountsUrl(zoho.accountsUrl());
    }

    /** A connector to the emulator's organisation. */
    static ZohoConnector connector(ZohoEmulator zoho) {
        return connector(configuration(zoho));
    }

    static ZohoConnector connector(ZohoConfiguration configuration) {
        return new ZohoConnector(new ZohoClient(configuration, java.time.Clock.systemUTC()), java.time.Clock.systemUTC());
    }

    @Override
    public String addUser(EmailAddress email, String name) {
        return zoho.addUser(email.value(), name);
    }

    @Override
    public String addContact(String name, EmailAddress email, Optional<String> responsibleId) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("Last_Name", name);
        fields.put("Email", email.value());
        responsibleId.ifPresent(id -> fields.put("Owner", id));
        return zoho.add("Contacts", fields);
    }

    @Override
    public String addDeal(String title, String contactId, Optional<String> responsibleId) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("Deal_Name", title);
        fields.put("Stage", "Needs Analysis");
        fields.put("Closing_Date", "2027-01-31");
        fields.put("Contact_Name", contactId);
        responsibleId.ifPresent(id -> fields.put("Owner", id));
        return zoho.add("Deals", fields);
    }

    /** As the connector writes a lead: with the capture key in {@code Capture_Key}. */
    @Override
    public String addLeadOfInterruptedCapture(NewLead lead) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("Last_Name", lead.name());
        fields.put("Email", lead.email().value());
        fields.put("Company", lead.email().domain());
        fields.put("Description", lead.title());
        fields.put("Capture_Key", lead.originKey());
        lead.responsibleId().ifPresent(id -> fields.put("Owner", id));
        return zoho.add("Leads", fields);
    }

    @Override
    public void winDeal(String dealId) {
        zoho.update("Deals", dealId, Map.of("Stage", "Closed Won"));
    }

    @Override
    public void junkLead(String leadId) {
        zoho.update("Leads", leadId, Map.of("Lead_Status", "Junk Lead"));
    }

    /** Zoho keeps the direction as {@code sent}: true for mail the company sent. */
    @Override
    public boolean activityCompleted(String activityId) {
        return zoho.email(activityId).orElseThrow().path("sent").asBoolean();
    }
}

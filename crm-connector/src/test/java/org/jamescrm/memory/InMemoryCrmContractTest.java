package org.jamescrm.memory;

import java.time.Clock;
import java.util.Optional;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.spi.CrmConnector;
import org.jamescrm.spi.CrmConnectorContract;
import org.jamescrm.spi.CrmFixture;
import org.jamescrm.spi.DealStage;
import org.jamescrm.spi.LeadStatus;

/** The in-memory CRM keeps the connector contract. */
class InMemoryCrmContractTest implements CrmConnectorContract {
    private final InMemoryCrm crm = new InMemoryCrm(Clock.systemUTC());

    @Override
    public CrmConnector connector() {
        return crm;
    }

    @Override
    public CrmFixture fixture() {
        return new CrmFixture() {
            @Override
            public String addUser(EmailAddress email, String name) {
                return crm.addUser(email, name).id();
            }

            @Override
            public String addContact(String name, EmailAddress email, Optional<String> responsibleId) {
                return crm.addContact(name, email, Optional.empty(), responsibleId).id();
            }

            @Override
            public String addDeal(String title, String contactId, Optional<String> responsibleId) {
                return crm.addDeal(title, Optional.of(contactId), Optional.empty(), responsibleId).id();
            }

            @Override
            public void winDeal(String dealId) {
                crm.setDealStage(dealId, DealStage.WON);
            }

            @Override
            public void junkLead(String leadId) {
                crm.setLeadStatus(leadId, LeadStatus.JUNK);
            }

            @Override
            public boolean activityCompleted(String activityId) {
                return crm.activities().stream().filter(activity -> activity.id().equals(activityId)).findFirst()
                    .orElseThrow().email().completed();
            }
        };
    }
}

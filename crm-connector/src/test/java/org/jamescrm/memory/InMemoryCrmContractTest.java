package org.jamescrm.memory;

import java.time.Clock;
import java.util.Optional;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.spi.CrmConnector;
import org.jamescrm.spi.CrmConnectorContract;
import org.jamescrm.spi.CrmFixture;
import org.jamescrm.spi.DealStage;
import org.jamescrm.spi.LeadStatus;
import org.jamescrm.spi.NewLead;
import org.jamescrm.spi.OneByOneCrm;
import org.jamescrm.spi.OneByOneCrmContract;
import org.junit.jupiter.api.Nested;

/** The in-memory CRM keeps the connector contract and the contract of its one-by-one operations. */
class InMemoryCrmContractTest {

    /** The in-memory CRM administered as its users would, for the contracts' fixtures. */
    static CrmFixture fixture(MemoryCrmAdmin crm) {
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
            public String addLeadOfInterruptedCapture(NewLead lead) {
                try {
                    return crm.connector().createLead(lead).id();
                } catch (org.jamescrm.spi.CrmException e) {
                    throw new AssertionError(e);
                }
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

    @Nested
    class Connector implements CrmConnectorContract {
        private final MemoryCrmAdmin crm = MemoryCrmAdmin.create(Clock.systemUTC());

        @Override
        public CrmConnector connector() {
            return crm.connector();
        }

        @Override
        public CrmFixture fixture() {
            return InMemoryCrmContractTest.fixture(crm);
        }
    }

    @Nested
    class OneByOne implements OneByOneCrmContract {
        private final MemoryCrmAdmin crm = MemoryCrmAdmin.create(Clock.systemUTC());

        @Override
        public OneByOneCrm crm() {
            return crm.connector();
        }

        @Override
        public CrmFixture fixture() {
            return InMemoryCrmContractTest.fixture(crm);
        }
    }
}

package org.jamescrm.salesforce;

import java.time.Clock;

import org.jamescrm.emulator.salesforce.SalesforceEmulator;
import org.jamescrm.emulator.salesforce.SalesforceEmulatorExtension;
import org.jamescrm.spi.CrmFixture;
import org.jamescrm.spi.EmulatedCrmContract;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Salesforce connector keeps the connector contract, and that of its one-by-one operations, against the strict
 * Salesforce emulator over real HTTP, with the JWT bearer flow and the client-credentials flow, with Enhanced Email
 * and with the Task fallback; no test may leave a violation (a duplicate, a value cut by the CRM).
 */
class SalesforceConnectorContractTest {

    /** The contract over one way of authenticating and one org; each test on a fresh, empty org. */
    abstract static class OverAuth extends EmulatedCrmContract<SalesforceEmulator, SalesforceConnector> {
        @RegisterExtension
        final SalesforceEmulatorExtension salesforce = new SalesforceEmulatorExtension(org());

        SalesforceEmulator.Builder org() {
            return SalesforceEmulator.builder();
        }

        abstract SalesforceConfiguration configuration(SalesforceEmulator org);

        @Override
        protected SalesforceEmulator emulator() {
            return salesforce.emulator();
        }

        @Override
        protected SalesforceConnector connect(SalesforceEmulator org) {
            SalesforceConfiguration configuration = configuration(org);
            return new SalesforceConnector(new SalesforceClient(configuration, Clock.systemUTC()), configuration, Clock.systemUTC());
        }

        @Override
        public CrmFixture fixture() {
            return new SalesforceFixture(salesforce.emulator());
        }
    }

    /** The JWT bearer flow: an assertion signed RS256 with the app's key. */
    @Nested
    class JwtBearer extends OverAuth {
        @Override
        SalesforceConfiguration configuration(SalesforceEmulator org) {
            return SalesforceConfiguration.jwt(org.loginUrl(), org.clientId(), org.username(), org.privateKeyPem());
        }
    }

    /** The client-credentials flow at the org's My Domain. */
    @Nested
    class ClientCredentials extends OverAuth {
        @Override
        SalesforceConfiguration configuration(SalesforceEmulator org) {
            return SalesforceConfiguration.clientCredentials(org.loginUrl(), org.clientId(), org.clientSecret());
        }
    }

    /** An org without Enhanced Email: the e-mails are Tasks of subtype Email. */
    @Nested
    class WithoutEnhancedEmail extends OverAuth {
        @Override
        SalesforceEmulator.Builder org() {
            return SalesforceEmulator.builder().enhancedEmail(false);
        }

        @Override
        SalesforceConfiguration configuration(SalesforceEmulator org) {
            return SalesforceConfiguration.jwt(org.loginUrl(), org.clientId(), org.username(), org.privateKeyPem());
        }
    }

    /** The capture key field an External ID: activities upserted by it. */
    @Nested
    class WithExternalId extends OverAuth {
        @Override
        SalesforceEmulator.Builder org() {
            return SalesforceEmulator.builder().externalId(true);
        }

        @Override
        SalesforceConfiguration configuration(SalesforceEmulator org) {
            return SalesforceConfiguration.clientCredentials(org.loginUrl(), org.clientId(), org.clientSecret()).withExternalId(true);
        }
    }
}

package org.jamescrm.zoho;

import org.jamescrm.emulator.Fault;
import org.jamescrm.emulator.zoho.ZohoEmulator;
import org.jamescrm.emulator.zoho.ZohoEmulatorExtension;
import org.jamescrm.spi.CrmFixture;
import org.jamescrm.spi.EmulatedCrmContract;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Zoho connector keeps the connector contract, and that of its one-by-one operations, against the
 * strict Zoho emulator over real HTTP: with the refresh-token grant of a Self Client (the only grant for
 * a server without a person), from a fresh token and with the first token refused as invalid; no test may
 * leave a violation (a duplicate record, an e-mail associated twice).
 */
class ZohoConnectorContractTest {

    /** The contract over one start of the token; each test on a fresh, empty organisation. */
    abstract static class OverToken extends EmulatedCrmContract<ZohoEmulator, ZohoConnector> {
        @RegisterExtension
        final ZohoEmulatorExtension zoho = new ZohoEmulatorExtension(ZohoEmulator.builder().dataCentre("EU"));

        @Override
        protected ZohoEmulator emulator() {
            return zoho.emulator();
        }

        @Override
        public CrmFixture fixture() {
            return new ZohoFixture(zoho.emulator());
        }
    }

    /** The refresh-token grant at the EU accounts host. */
    @Nested
    class RefreshToken extends OverToken {
        @Override
        protected ZohoConnector connect(ZohoEmulator emulator) {
            return ZohoFixture.connector(emulator);
        }
    }

    /** The first API request answered {@code INVALID_TOKEN}: a new token, the request sent again. */
    @Nested
    class InvalidatedToken extends OverToken {
        @Override
        protected ZohoConnector connect(ZohoEmulator emulator) {
            emulator.faults().nextMatching(1, request -> request.path().startsWith("/crm/"), Fault.expiredToken());
            return ZohoFixture.connector(emulator);
        }
    }
}

package org.jamescrm.espocrm;

import java.time.Clock;

import org.jamescrm.emulator.espocrm.EspoCrmEmulator;
import org.jamescrm.emulator.espocrm.EspoCrmEmulatorExtension;
import org.jamescrm.spi.CrmConnector;
import org.jamescrm.spi.CrmConnectorContract;
import org.jamescrm.spi.CrmFixture;
import org.jamescrm.spi.OneByOneCrm;
import org.jamescrm.spi.OneByOneCrmContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The EspoCRM connector keeps the connector contract, and that of its one-by-one operations, against the
 * strict EspoCRM emulator over real HTTP, with an API key and with HMAC; no test may leave a violation
 * (a duplicate, an e-mail sent by the CRM).
 */
class EspoCrmConnectorContractTest {

    /** The contract over one way of authenticating; each test on a fresh, empty site. */
    abstract static class OverAuth implements CrmConnectorContract, OneByOneCrmContract {
        @RegisterExtension
        final EspoCrmEmulatorExtension espo = new EspoCrmEmulatorExtension(site());
        private EspoCrmConnector connector;

        abstract EspoCrmEmulator.Builder site();

        abstract EspoCrmConfiguration configuration(EspoCrmEmulator site);

        @BeforeEach
        void connect() {
            connector = new EspoCrmConnector(new EspoCrmClient(configuration(espo.emulator())), Clock.systemUTC());
        }

        @AfterEach
        void noViolation() {
            espo.emulator().violations().assertNone();
        }

        @Override
        public CrmConnector connector() {
            return connector;
        }

        @Override
        public OneByOneCrm crm() {
            return connector;
        }

        @Override
        public CrmFixture fixture() {
            return new EspoCrmFixture(espo.emulator());
        }
    }

    /** With the API key ({@code X-Api-Key}). */
    @Nested
    class ApiKey extends OverAuth {
        @Override
        EspoCrmEmulator.Builder site() {
            return EspoCrmEmulator.builder().apiKey("contract-api-key-1");
        }

        @Override
        EspoCrmConfiguration configuration(EspoCrmEmulator site) {
            return EspoCrmConfiguration.apiKey(site.baseUrl().toString(), site.apiKey());
        }
    }

    /** With HMAC ({@code X-Hmac-Authorization}). */
    @Nested
    class Hmac extends OverAuth {
        @Override
        EspoCrmEmulator.Builder site() {
            return EspoCrmEmulator.builder().apiKey("contract-api-key-2").hmac("contract-secret-key-2");
        }

        @Override
        EspoCrmConfiguration configuration(EspoCrmEmulator site) {
            return EspoCrmConfiguration.hmac(site.baseUrl().toString(), site.apiKey(), site.secretKey().orElseThrow());
        }
    }
}

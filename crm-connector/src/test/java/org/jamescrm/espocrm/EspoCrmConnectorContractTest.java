package org.jamescrm.espocrm;

import java.time.Clock;

import org.jamescrm.emulator.espocrm.EspoCrmEmulator;
import org.jamescrm.emulator.espocrm.EspoCrmEmulatorExtension;
import org.jamescrm.spi.CrmFixture;
import org.jamescrm.spi.EmulatedCrmContract;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The EspoCRM connector keeps the connector contract, and that of its one-by-one operations, against the
 * strict EspoCRM emulator over real HTTP, with an API key and with HMAC; no test may leave a violation
 * (a duplicate, an e-mail sent by the CRM).
 */
class EspoCrmConnectorContractTest {

    /** The contract over one way of authenticating; each test on a fresh, empty site. */
    abstract static class OverAuth extends EmulatedCrmContract<EspoCrmEmulator, EspoCrmConnector> {
        @RegisterExtension
        final EspoCrmEmulatorExtension espo = new EspoCrmEmulatorExtension(site());

        abstract EspoCrmEmulator.Builder site();

        abstract EspoCrmConfiguration configuration(EspoCrmEmulator site);

        @Override
        protected EspoCrmEmulator emulator() {
            return espo.emulator();
        }

        @Override
        protected EspoCrmConnector connect(EspoCrmEmulator site) {
            return new EspoCrmConnector(new EspoCrmClient(configuration(site)), Clock.systemUTC());
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

package org.jamescrm.bitrix24;

import java.time.Clock;

import org.jamescrm.emulator.bitrix24.Bitrix24Emulator;
import org.jamescrm.emulator.bitrix24.Bitrix24EmulatorExtension;
import org.jamescrm.spi.CrmFixture;
import org.jamescrm.spi.EmulatedCrmContract;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Bitrix24 connector keeps the connector contract, and that of its one-by-one operations, against
 * the strict Bitrix24 emulator over real HTTP, with a webhook and with OAuth; no test may leave a
 * violation (the portal re-sending an outgoing mail to the client).
 */
class Bitrix24ConnectorContractTest {

    /** The contract over one way of authenticating; each test on a fresh, empty portal. */
    abstract static class OverAuth extends EmulatedCrmContract<Bitrix24Emulator, Bitrix24Connector> {
        @RegisterExtension
        final Bitrix24EmulatorExtension b24 = new Bitrix24EmulatorExtension(portal());

        /** The emulated portal. */
        abstract Bitrix24Emulator.Builder portal();

        /** How the connector authenticates to {@code portal}. */
        abstract Bitrix24Auth auth(Bitrix24Emulator portal);

        @Override
        protected Bitrix24Emulator emulator() {
            return b24.emulator();
        }

        @Override
        protected Bitrix24Connector connect(Bitrix24Emulator portal) {
            Bitrix24Configuration configuration = Bitrix24Configuration.of(portal.portalUrl().toString(), auth(portal));
            return new Bitrix24Connector(new Bitrix24Client(configuration, Clock.systemUTC(), duration -> Thread.sleep(duration.toMillis())),
                configuration.originatorId());
        }

        @Override
        public CrmFixture fixture() {
            return new Bitrix24Fixture(b24.emulator());
        }
    }

    /** Through an inbound webhook. */
    @Nested
    class Webhook extends OverAuth {
        @Override
        Bitrix24Emulator.Builder portal() {
            return Bitrix24Emulator.builder();
        }

        @Override
        Bitrix24Auth auth(Bitrix24Emulator portal) {
            return new Bitrix24Auth.Webhook(portal.webhookUserId(), portal.webhookCode());
        }
    }

    /** Through an OAuth application whose access token has expired before every test. */
    @Nested
    class OAuth extends OverAuth {
        @Override
        Bitrix24Emulator.Builder portal() {
            return Bitrix24Emulator.builder().oauth("app.client", "app-secret", "refresh-1");
        }

        @Override
        Bitrix24Auth auth(Bitrix24Emulator portal) {
            portal.expireAccessTokens();
            return new Bitrix24Auth.OAuth("app.client", "app-secret", "refresh-1", portal.tokenEndpoint().toString());
        }
    }
}

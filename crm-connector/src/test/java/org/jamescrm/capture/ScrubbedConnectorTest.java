package org.jamescrm.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.List;
import java.util.Set;

import org.jamescrm.memory.MemoryCrmAdmin;
import org.jamescrm.spi.ConnectorView;
import org.jamescrm.spi.CrmCapabilities;
import org.jamescrm.spi.CrmConnector;
import org.jamescrm.spi.CrmLookup;
import org.jamescrm.spi.CrmLookupResult;
import org.jamescrm.spi.CrmRejectedException;
import org.jamescrm.spi.CrmUnavailableException;
import org.jamescrm.spi.SecretScrubber;
import org.jamescrm.spi.WritePlan;
import org.jamescrm.spi.WriteResult;
import org.junit.jupiter.api.Test;

/** Every failure that leaves a connector is scrubbed of the connector's secrets. */
class ScrubbedConnectorTest {
    static final String SECRET = "hook-code-4f9a2c";
    static final SecretScrubber SCRUBBER = new SecretScrubber(List.of(SECRET));

    /** A CRM whose every answer echoes the secret it was called with. */
    static final class EchoingCrm implements CrmConnector {
        @Override
        public String name() {
            return "echo";
        }

        @Override
        public CrmCapabilities capabilities() {
            return new CrmCapabilities(true, false, 1);
        }

        @Override
        public void checkConnection() throws CrmRejectedException {
            throw new CrmRejectedException("401 for /rest/1/" + SECRET + "/profile");
        }

        @Override
        public CrmLookupResult lookUp(CrmLookup lookup) throws CrmUnavailableException {
            throw new CrmUnavailableException("503: the portal said " + SECRET);
        }

        @Override
        public List<WriteResult> write(List<WritePlan> plans) {
            if (plans.isEmpty()) {
                throw new IllegalStateException("client secret " + SECRET + " refused");
            }
            return List.of(new WriteResult.Failed(new CrmRejectedException("400: echo of " + SECRET)));
        }
    }

    @Test
    void checksLookupsAndWritesShouldFailWithoutTheSecret() {
        CrmConnector connector = ScrubbedConnector.of(new EchoingCrm(), SCRUBBER);
        CrmLookup lookup = new CrmLookup(Set.of(), Set.of(), Set.of(), Set.of(), Set.of());

        assertThatThrownBy(connector::checkConnection).isInstanceOf(CrmRejectedException.class).hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> connector.lookUp(lookup)).isInstanceOf(CrmUnavailableException.class).hasMessage("503: the portal said ***");
        assertThatThrownBy(() -> connector.write(List.of())).hasMessageNotContaining(SECRET);
        WriteResult.Failed failed = (WriteResult.Failed) connector.write(List.of(org.mockito.Mockito.mock(WritePlan.class))).get(0);
        assertThat(failed.cause()).isInstanceOf(CrmRejectedException.class).hasMessage("400: echo of ***");
        assertThat(connector).isNotInstanceOf(ConnectorView.class);
    }

    @Test
    void aConnectorWithAViewShouldKeepItBehindTheScrubber() throws Exception {
        CrmConnector connector = ScrubbedConnector.of(MemoryCrmAdmin.create(Clock.systemUTC()).connector(), SCRUBBER);

        assertThat(connector).isInstanceOfSatisfying(ConnectorView.class, view -> {
            assertThat(view.viewName()).isEqualTo("memory");
            assertThat(view.view()).containsKeys("users", "leads", "activities");
        });
        assertThat(connector.name()).isEqualTo("memory");
    }
}

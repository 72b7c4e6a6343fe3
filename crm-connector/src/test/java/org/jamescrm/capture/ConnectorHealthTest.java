package org.jamescrm.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.jamescrm.spi.CrmCapabilities;
import org.jamescrm.spi.CrmConnector;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmLookup;
import org.jamescrm.spi.CrmLookupResult;
import org.jamescrm.spi.CrmUnavailableException;
import org.jamescrm.spi.WritePlan;
import org.jamescrm.spi.WriteResult;
import org.jamescrm.testing.SteppingClock;
import org.junit.jupiter.api.Test;

class ConnectorHealthTest {
    final SteppingClock clock = new SteppingClock(Instant.parse("2026-11-22T09:00:00Z"));
    final Checked connector = new Checked();
    final ConnectorHealth health = new ConnectorHealth(connector, clock);

    @Test
    void aRecentCheckShouldBeReusedWithoutAskingTheCrmAgain() {
        health.checkNow();
        clock.step(Duration.ofSeconds(20));

        assertThat(health.upToDate(Duration.ofSeconds(30)).error()).isEmpty();
        assertThat(connector.checks).hasValue(1);
    }

    @Test
    void anOldCheckShouldBeRepeatedAndItsFailureKept() {
        health.checkNow();
        clock.step(Duration.ofSeconds(31));
        connector.down = true;

        ConnectorHealth.Check check = health.upToDate(Duration.ofSeconds(30));

        assertThat(check.error()).contains("connection refused");
        assertThat(health.last()).contains(check);
        assertThat(connector.checks).hasValue(2);
    }

    @Test
    void theFirstAskShouldCheck() {
        assertThat(health.upToDate(Duration.ofSeconds(30)).at()).isEqualTo(clock.instant());
        assertThat(connector.checks).hasValue(1);
    }

    private static final class Checked implements CrmConnector {
        final AtomicInteger checks = new AtomicInteger();
        volatile boolean down;

        @Override
        public String name() {
            return "checked";
        }

        @Override
        public CrmCapabilities capabilities() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void checkConnection() throws CrmException {
            checks.incrementAndGet();
            if (down) {
                throw new CrmUnavailableException("connection refused");
            }
        }

        @Override
        public CrmLookupResult lookUp(CrmLookup lookup) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<WriteResult> write(List<WritePlan> plans) {
            throw new UnsupportedOperationException();
        }
    }
}

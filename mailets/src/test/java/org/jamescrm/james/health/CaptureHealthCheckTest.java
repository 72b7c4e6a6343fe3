package org.jamescrm.james.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.apache.james.core.healthcheck.Result;
import org.apache.james.core.healthcheck.ResultStatus;
import org.apache.james.metrics.api.NoopGaugeRegistry;
import org.jamescrm.capture.ConnectorHealth;
import org.jamescrm.james.metrics.QueueDepths;
import org.jamescrm.james.settings.CaptureSettingsSource;
import org.jamescrm.settings.SettingsParser;
import org.jamescrm.spi.ConnectorProviders;
import org.jamescrm.spi.CrmConnector;
import org.jamescrm.spi.CrmUnavailableException;
import org.jamescrm.testing.SteppingClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.Mockito;

import reactor.core.publisher.Mono;

class CaptureHealthCheckTest {
    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    static final ConnectorHealth.Check ANSWERED = new ConnectorHealth.Check(NOW, Optional.empty());

    @TempDir
    Path conf;
    Path file;
    final SteppingClock clock = new SteppingClock(NOW);
    final CrmConnector connector = mock(CrmConnector.class);
    CaptureHealthCheck healthCheck;

    @BeforeEach
    void setUp() throws Exception {
        file = conf.resolve("crm-capture.xml");
        write("<crmcapture/>", 1);
        when(connector.name()).thenReturn("bitrix24");
        CaptureSettingsSource settings = new CaptureSettingsSource(file, new SettingsParser(ConnectorProviders.load()), clock);
        healthCheck = new CaptureHealthCheck(new ConnectorHealth(connector, clock), settings, new QueueDepths(new NoopGaugeRegistry()));
    }

    @Test
    void everythingFineShouldBeHealthy() {
        Result result = Mono.from(healthCheck.check()).block();

        assertThat(result.getStatus()).isEqualTo(ResultStatus.HEALTHY);
        assertThat(result.getComponentName().getName()).isEqualTo("CRM capture");
    }

    @Test
    void aCrmThatDoesNotAnswerShouldDegradeNotFail() throws Exception {
        Mockito.doThrow(new CrmUnavailableException("connection refused")).when(connector).checkConnection();

        Result result = Mono.from(healthCheck.check()).block();

        assertThat(result.getStatus()).isEqualTo(ResultStatus.DEGRADED);
        assertThat(result.getCause()).contains("the CRM does not answer (connection refused): mail is delivered, captures wait in the queue");
    }

    @Test
    void aRefusedSettingsChangeShouldDegradeAsSoonAsTheFileChanged() throws Exception {
        healthCheck.checkNow();
        write("<crmcapture><defaults><integration>maybe</integration></defaults></crmcapture>", 2);
        clock.step(Duration.ofSeconds(2));

        Result result = healthCheck.checkNow();

        assertThat(result.getStatus()).isEqualTo(ResultStatus.DEGRADED);
        assertThat(result.getCause()).hasValueSatisfying(cause -> assertThat(cause)
            .startsWith("the last change of the capture settings was refused, the previous settings stay in force: ")
            .contains("key 'defaults.integration' has value 'maybe'"));
    }

    @Test
    void aQueueBackingUpShouldBeNamedWithItsDepth() {
        assertThat(CaptureHealthCheck.problems(ANSWERED, Optional.empty(),
            Map.of("crm-capture", new CaptureHealthCheck.QueueDepth(3000, 3000))))
            .containsExactly("the capture queue crm-capture backs up: 3000 captures wait (from 3000)");
        assertThat(CaptureHealthCheck.problems(ANSWERED, Optional.empty(),
            Map.of("crm-capture", new CaptureHealthCheck.QueueDepth(2999, 3000)))).isEmpty();
    }

    private void write(String content, long second) throws Exception {
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-11-22T00:00:00Z").plusSeconds(second)));
    }
}

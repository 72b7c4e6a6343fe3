package org.jamescrm.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * A short CRM outage under load ({@link OutageRun}): 100 mails from 8 SMTP clients, the Bitrix24
 * portal down for 10 s in the middle, then 10 s of errors, rate-limit refusals, latency and dropped
 * connections. Every mail reaches its mailbox, every capture reaches the portal exactly once, and
 * the portal sees no misuse. Retries are 2 and 5 seconds apart and the open breaker probes every 5
 * seconds here to keep the test short; the long run with the product's settings is
 * {@code bin/benchmark outage}.
 */
class CaptureThroughOutageEndToEndTest {

    @Test
    void everyMailShouldBeDeliveredAndCapturedExactlyOnceThroughAnOutage() throws Exception {
        OutageRun.Figures figures = OutageRun.run(new OutageRun.Plan(100, 8, Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(10), Duration.ofMinutes(3), false, Map.of("retryDelays", "2 seconds, 5 seconds", "breakerProbe", "5 seconds")));

        assertThat(figures.inMailboxes()).as(figures.report()).isEqualTo(100);
        assertThat(figures.lost()).as(figures.report()).isZero();
        assertThat(figures.duplicated()).as(figures.report()).isZero();
        assertThat(figures.captured()).as(figures.report()).isEqualTo(100);
        assertThat(figures.violations()).as(figures.report()).isEmpty();
    }
}

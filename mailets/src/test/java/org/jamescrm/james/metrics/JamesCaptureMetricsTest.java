package org.jamescrm.james.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.apache.james.metrics.api.Gauge;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.jamescrm.capture.CaptureMetrics;
import org.jamescrm.rules.ReasonCode;
import org.junit.jupiter.api.Test;

class JamesCaptureMetricsTest {
    final RecordingMetricFactory factory = new RecordingMetricFactory();
    final Gauges gauges = new Gauges();
    final JamesCaptureMetrics metrics = new JamesCaptureMetrics(factory, gauges);

    @Test
    void decisionsShouldBeCountedInTotalAndByReasonCode() {
        metrics.decided(ReasonCode.NEW_LEAD);
        metrics.decided(ReasonCode.INTERNAL);
        metrics.decided(ReasonCode.INTERNAL);

        assertThat(factory.countFor("crm_capture_captured")).isEqualTo(1);
        assertThat(factory.countFor("crm_capture_captured_new_lead")).isEqualTo(1);
        assertThat(factory.countFor("crm_capture_not_captured")).isEqualTo(2);
        assertThat(factory.countFor("crm_capture_not_captured_internal")).isEqualTo(2);
    }

    @Test
    void crmRequestsShouldBeTimedAndCountedPerConnectorAndOperation() {
        metrics.crmRequest("bitrix24", CaptureMetrics.CrmOperation.LOOKUP).ended(false);
        metrics.crmRequest("bitrix24", CaptureMetrics.CrmOperation.WRITE).ended(true);

        assertThat(factory.countFor("crm_capture_crm_requests_bitrix24_lookup")).isEqualTo(1);
        assertThat(factory.countFor("crm_capture_crm_failures_bitrix24_lookup")).isZero();
        assertThat(factory.executionTimesFor("crm_capture_crm_latency_bitrix24_lookup")).hasSize(1);
        assertThat(factory.countFor("crm_capture_crm_requests_bitrix24_write")).isEqualTo(1);
        assertThat(factory.countFor("crm_capture_crm_failures_bitrix24_write")).isEqualTo(1);
    }

    @Test
    void roundsShouldCountTheirCapturesAndShowTheLastSize() {
        metrics.roundRan(3);
        metrics.roundRan(5);

        assertThat(factory.countFor("crm_capture_rounds")).isEqualTo(2);
        assertThat(factory.countFor("crm_capture_round_captures")).isEqualTo(8);
        assertThat(gauges.registered.get("crm_capture_round_size_last").get()).isEqualTo(5);
    }

    @Test
    void retriesAndParkedCapturesShouldBeCounted() {
        metrics.retried();
        metrics.parked();
        metrics.parked();

        assertThat(factory.countFor("crm_capture_retries")).isEqualTo(1);
        assertThat(factory.countFor("crm_capture_parked")).isEqualTo(2);
    }

    @Test
    void aConnectorNameShouldBecomeAPlainMetricName() {
        assertThat(JamesCaptureMetrics.name("My-CRM.v2")).isEqualTo("my_crm_v2");
    }

    /** A gauge registry that keeps what is registered and refuses a name twice, as James's does. */
    static final class Gauges implements GaugeRegistry {
        final Map<String, Gauge<?>> registered = new HashMap<>();

        @Override
        public <T> GaugeRegistry register(String name, Gauge<T> gauge) {
            if (registered.putIfAbsent(name, gauge) != null) {
                throw new IllegalArgumentException("A metric named " + name + " already exists");
            }
            return this;
        }

        @Override
        public <T> SettableGauge<T> settableGauge(String name) {
            throw new UnsupportedOperationException();
        }
    }
}

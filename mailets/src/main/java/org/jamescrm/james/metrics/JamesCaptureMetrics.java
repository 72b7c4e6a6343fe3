package org.jamescrm.james.metrics;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.metrics.api.TimeMetric;
import org.jamescrm.capture.CaptureMetrics;
import org.jamescrm.rules.ReasonCode;

/**
 * The capture's metrics, published through James's {@link MetricFactory}: they appear wherever James
 * shows its own (WebAdmin {@code GET /metrics} for Prometheus, JMX, the logging reporter). Names as
 * given to James; Prometheus shows a counter with {@code _total} appended
 * ({@code crm_capture_captured_total}) and a timer as a summary in seconds with {@code _count}:
 * <ul>
 * <li>{@code crm_capture_captured}, {@code crm_capture_not_captured}: decisions, and
 *     {@code crm_capture_captured_<reason>} / {@code crm_capture_not_captured_<reason>} by reason code
 *     in lower case ({@code crm_capture_not_captured_internal}; every filter counts as {@code filtered});</li>
 * <li>{@code crm_capture_retries}: captures sent back to the queue while the CRM is unavailable;
 *     {@code crm_capture_parked}: captures parked in the capture error repository;</li>
 * <li>{@code crm_capture_crm_requests_<connector>_<lookup|write>}, {@code crm_capture_crm_failures_<connector>_<lookup|write>}
 *     and the timer {@code crm_capture_crm_latency_<connector>_<lookup|write>} (a summary with quantiles);</li>
 * <li>{@code crm_capture_rounds}, {@code crm_capture_round_captures} (their sum of captures: the
 *     average round size is the ratio) and the gauge {@code crm_capture_round_size_last};</li>
 * <li>the gauge {@code crm_capture_queue_depth_<queue>} ({@link QueueDepths}).</li>
 * </ul>
 */
public class JamesCaptureMetrics implements CaptureMetrics {
    static final String PREFIX = "crm_capture_";
    /** What a metric name may not hold: the names are made per CRM request, so the pattern is compiled once. */
    private static final Pattern NOT_IN_NAMES = Pattern.compile("[^a-z0-9_]");

    private final MetricFactory metrics;
    private final AtomicInteger lastRoundSize = new AtomicInteger();

    @Inject
    public JamesCaptureMetrics(MetricFactory metrics, GaugeRegistry gauges) {
        this.metrics = metrics;
        for (String always : new String[] {"captured", "not_captured", "retries", "parked", "rounds", "round_captures"}) {
            metrics.generate(PREFIX + always); // shown at 0 from the start, so dashboards and alerts see them
        }
        QueueDepths.registerOnce(gauges, PREFIX + "round_size_last", lastRoundSize::get);
    }

    @Override
    public void decided(ReasonCode reason) {
        String outcome = reason.captured() ? "captured" : "not_captured";
        metrics.generate(PREFIX + outcome).increment();
        metrics.generate(PREFIX + outcome + "_" + reason.name().toLowerCase(Locale.ROOT)).increment();
    }

    @Override
    public void roundRan(int size) {
        metrics.generate(PREFIX + "rounds").increment();
        metrics.generate(PREFIX + "round_captures").add(size);
        lastRoundSize.set(size);
    }

    @Override
    public Timing crmRequest(String connector, CrmOperation operation) {
        String suffix = name(connector) + "_" + operation.word();
        TimeMetric timer = metrics.timer(PREFIX + "crm_latency_" + suffix);
        return failed -> {
            timer.stopAndPublish();
            metrics.generate(PREFIX + "crm_requests_" + suffix).increment();
            if (failed) {
                metrics.generate(PREFIX + "crm_failures_" + suffix).increment();
            }
        };
    }

    @Override
    public void retried() {
        metrics.generate(PREFIX + "retries").increment();
    }

    @Override
    public void parked() {
        metrics.generate(PREFIX + "parked").increment();
    }

    /** A name usable in every metric system: letters, digits and underscores only, lower case. */
    static String name(String value) {
        return NOT_IN_NAMES.matcher(value.toLowerCase(Locale.ROOT)).replaceAll("_");
    }
}

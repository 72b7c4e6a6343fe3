package org.jamescrm.james.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import jakarta.inject.Inject;

import org.apache.james.core.healthcheck.ComponentName;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.core.healthcheck.Result;
import org.jamescrm.capture.ConnectorHealth;
import org.jamescrm.james.metrics.QueueDepths;
import org.jamescrm.james.settings.CaptureSettingsSource;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The capture's health, on James's WebAdmin {@code GET /healthcheck} (component {@value #NAME}):
 * the CRM answers, the settings file in force is the one on disk (no refused change), and no capture
 * queue backs up ({@link QueueDepths#BACKING_UP_ROUNDS} rounds waiting). A problem is
 * {@code DEGRADED}, never {@code UNHEALTHY}: mail keeps flowing whatever the CRM does, and captures
 * wait in the queue. The CRM is asked at most every {@link #CRM_CHECK_INTERVAL}; a probe polling
 * more often reads the last answer.
 *
 * <p>James loads it beside its own health checks from {@code conf/healthcheck.properties}, with the
 * services of {@code CrmCaptureModule} (extension modules live in a child injector, where a
 * multibinding of James's health checks cannot be extended):
 * <pre>
 * additional.healthchecks=org.jamescrm.james.health.CaptureHealthCheck
 * </pre>
 */
public class CaptureHealthCheck implements HealthCheck {
    public static final String NAME = "CRM capture";
    static final Duration CRM_CHECK_INTERVAL = Duration.ofSeconds(30);
    private static final ComponentName COMPONENT = new ComponentName(NAME);

    private final ConnectorHealth connector;
    private final CaptureSettingsSource settings;
    private final QueueDepths queues;

    @Inject
    public CaptureHealthCheck(ConnectorHealth connector, CaptureSettingsSource settings, QueueDepths queues) {
        this.connector = connector;
        this.settings = settings;
        this.queues = queues;
    }

    @Override
    public ComponentName componentName() {
        return COMPONENT;
    }

    @Override
    public Publisher<Result> check() {
        // the CRM check is a network call: never on WebAdmin's or the caller's thread
        return Mono.fromCallable(this::checkNow).subscribeOn(Schedulers.boundedElastic());
    }

    Result checkNow() {
        settings.current(); // a changed file is read, or refused, now rather than at the next mail
        List<String> problems = problems(connector.upToDate(CRM_CHECK_INTERVAL), settings.refusedChange(), depths());
        return problems.isEmpty() ? Result.healthy(COMPONENT) : Result.degraded(COMPONENT, String.join("; ", problems));
    }

    private Map<String, QueueDepth> depths() {
        Map<String, QueueDepth> depths = new java.util.TreeMap<>();
        queues.watched().forEach((name, watched) -> {
            OptionalLong depth = queues.depth(name);
            depth.ifPresent(value -> depths.put(name, new QueueDepth(value, watched.backingUp())));
        });
        return depths;
    }

    /**
     * A capture queue's depth.
     *
     * @param depth     the captures waiting
     * @param backingUp from how many captures it backs up
     */
    record QueueDepth(long depth, long backingUp) {
    }

    /** What is wrong, one sentence each for an administrator; empty when nothing is. */
    static List<String> problems(ConnectorHealth.Check crm, Optional<String> refusedChange, Map<String, QueueDepth> queues) {
        List<String> problems = new ArrayList<>();
        crm.error().ifPresent(error -> problems.add("the CRM does not answer (" + error + "): mail is delivered, captures wait in the queue"));
        refusedChange.ifPresent(refusal -> problems.add("the last change of the capture settings was refused, the previous settings stay in force: "
            + refusal));
        queues.forEach((name, queue) -> {
            if (queue.depth() >= queue.backingUp()) {
                problems.add("the capture queue " + name + " backs up: " + queue.depth() + " captures wait (from " + queue.backingUp() + ")");
            }
        });
        return problems;
    }
}

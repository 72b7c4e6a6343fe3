package org.jamescrm.james;

import java.io.FileNotFoundException;
import java.time.Clock;

import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.mailet.MailetContext;
import org.jamescrm.capture.CaptureMetrics;
import org.jamescrm.capture.CaptureService;
import org.jamescrm.capture.CaseAnswers;
import org.jamescrm.capture.ConnectorHealth;
import org.jamescrm.capture.MissingCrmUsers;
import org.jamescrm.store.RoundRobinPositions;
import org.jamescrm.capture.ScrubbedConnector;
import org.jamescrm.decisions.DecisionLog;
import org.jamescrm.decisions.JsonViews;
import org.jamescrm.james.mail.GroupAcknowledgements;
import org.jamescrm.james.metrics.JamesCaptureMetrics;
import org.jamescrm.james.metrics.QueueDepths;
import org.jamescrm.james.queue.CaptureQueues;
import org.jamescrm.james.queue.CrmBreakers;
import org.jamescrm.james.settings.CaptureSettingsSource;
import org.jamescrm.james.store.OpenedStore;
import org.jamescrm.spi.ConnectorContext;
import org.jamescrm.spi.ConnectorProviders;
import org.jamescrm.spi.CrmConnector;
import org.jamescrm.store.CaptureStore;

import com.google.inject.AbstractModule;
import com.google.inject.Provider;
import com.google.inject.Provides;
import com.google.inject.Singleton;

/**
 * The Guice module of the extension, named in James's {@code conf/extensions.properties}:
 * <pre>
 * guice.extension.module=org.jamescrm.james.CrmCaptureModule
 * </pre>
 * It gives the mailets, matchers and WebAdmin routes of the product one shared set of services: the
 * settings, the CRM connector the settings select (made by the CRM's provider, found on the class
 * path: this module names no CRM), the capture store of {@code <store>}, the capture service and the
 * decision log. The {@link Clock} is James's own.
 */
public class CrmCaptureModule extends AbstractModule {
    /** How many decisions the decision log keeps in memory for the WebAdmin route; the local store keeps as many across restarts. */
    static final int KEPT_DECISIONS = OpenedStore.KEPT_DECISIONS;

    @Provides
    @Singleton
    ConnectorProviders connectorProviders() {
        return ConnectorProviders.load();
    }

    @Provides
    @Singleton
    CaptureSettingsSource settingsSource(FileSystem fileSystem, ConnectorProviders providers, Clock clock) {
        CaptureSettingsSource source = new CaptureSettingsSource(fileSystem, providers, clock);
        source.watch(); // stopped with James (@PreDestroy); a daemon thread in any case
        return source;
    }

    /**
     * The store of {@code <store>}, read at start only (a changed store takes a restart): opened here,
     * so an unreachable PostgreSQL stops James's start with what to check.
     */
    @Provides
    @Singleton
    OpenedStore openedStore(CaptureSettingsSource settings, FileSystem fileSystem, JsonViews json, Clock clock) throws FileNotFoundException {
        return OpenedStore.open(settings.current().store(), fileSystem.getBasedir().toPath(), json, clock);
    }

    @Provides
    @Singleton
    CaptureStore captureStore(OpenedStore opened) {
        return opened.store();
    }

    @Provides
    @Singleton
    RoundRobinPositions roundRobinPositions(CaptureStore store) {
        return store.roundRobin();
    }

    @Provides
    @Singleton
    JsonViews jsonViews() {
        return new JsonViews();
    }

    @Provides
    @Singleton
    DecisionLog decisionLog(JsonViews json, CaptureStore store) {
        return new DecisionLog(KEPT_DECISIONS, json, store.decisions());
    }

    @Provides
    @Singleton
    MissingCrmUsers missingCrmUsers() {
        return new MissingCrmUsers();
    }

    /**
     * The CRM of {@code <connector>}, read at start only (a changed connector takes a restart), behind
     * a scrubber: no failure leaves it with one of its secrets, whatever the CRM echoed.
     */
    @Provides
    @Singleton
    CrmConnector connector(CaptureSettingsSource settings, Clock clock, CaptureStore store) {
        return ScrubbedConnector.open(settings.current().connector(), new ConnectorContext(clock, store));
    }

    /** Checked once in the background at start: James never waits for the CRM. */
    @Provides
    @Singleton
    ConnectorHealth connectorHealth(CrmConnector connector, Clock clock) {
        ConnectorHealth health = new ConnectorHealth(connector, clock);
        Thread check = new Thread(health::checkNow, "crm-connector-check");
        check.setDaemon(true);
        check.start();
        return health;
    }

    /** The capture's metrics, published through James's own {@code MetricFactory} (WebAdmin {@code GET /metrics}). */
    @Provides
    @Singleton
    CaptureMetrics captureMetrics(MetricFactory metrics, GaugeRegistry gauges) {
        return new JamesCaptureMetrics(metrics, gauges);
    }

    @Provides
    @Singleton
    CaptureQueues captureQueues() {
        return new CaptureQueues();
    }

    @Provides
    @Singleton
    QueueDepths queueDepths(GaugeRegistry gauges) {
        return new QueueDepths(gauges);
    }

    /** The circuit breakers of the connectors, shared by the capture queues and the status route. */
    @Provides
    @Singleton
    CrmBreakers crmBreakers() {
        return new CrmBreakers();
    }

    @Provides
    @Singleton
    CaptureService captureService(CrmConnector connector, CaptureSettingsSource settings, DecisionLog decisions,
                                  MissingCrmUsers missingUsers, CaptureStore store, CaptureMetrics metrics, Clock clock,
                                  Provider<MailetContext> mailetContext) {
        return new CaptureService(connector, settings::current, decisions, missingUsers, store, metrics, clock,
            new GroupAcknowledgements(mailetContext::get));
    }

    /** What employees' answers to case threads carry ({@link GroupReplyTo}). */
    @Provides
    @Singleton
    CaseAnswers caseAnswers(DecisionLog decisions, CaptureSettingsSource settings) {
        return new CaseAnswers(decisions, settings::current);
    }
}

package org.jamescrm.capture;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jamescrm.settings.ConnectorChoice;
import org.jamescrm.spi.ConnectorContext;
import org.jamescrm.spi.ConnectorView;
import org.jamescrm.spi.CrmCapabilities;
import org.jamescrm.spi.CrmConnector;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmLookup;
import org.jamescrm.spi.CrmLookupResult;
import org.jamescrm.spi.SecretScrubber;
import org.jamescrm.spi.WritePlan;
import org.jamescrm.spi.WriteResult;

/**
 * A connector whose failures carry no secret, whatever the CRM echoed: every failure that leaves it
 * (thrown, or a failed write plan) is scrubbed of the configured secrets and of credential shapes
 * before it reaches a log, the status route or a parked capture. Every connector the product creates
 * is wrapped in one; {@link #of} keeps the connector's view when it has one.
 */
public class ScrubbedConnector implements CrmConnector {
    private final CrmConnector connector;
    private final SecretScrubber scrubber;

    ScrubbedConnector(CrmConnector connector, SecretScrubber scrubber) {
        this.connector = connector;
        this.scrubber = scrubber;
    }

    /**
     * The connector the settings select, made by its provider, behind a scrubber of its secrets: how
     * the product opens every CRM.
     */
    public static CrmConnector open(ConnectorChoice choice, ConnectorContext context) {
        return of(choice.provider().create(choice.settings(), context), new SecretScrubber(choice.settings().secrets()));
    }

    /** {@code connector} behind the scrubber, a {@link ConnectorView} when {@code connector} is one. */
    public static CrmConnector of(CrmConnector connector, SecretScrubber scrubber) {
        return connector instanceof ConnectorView view ? new Viewable(connector, view, scrubber) : new ScrubbedConnector(connector, scrubber);
    }

    @Override
    public String name() {
        return connector.name();
    }

    @Override
    public CrmCapabilities capabilities() {
        return connector.capabilities();
    }

    @Override
    public void checkConnection() throws CrmException {
        try {
            connector.checkConnection();
        } catch (CrmException e) {
            throw scrubber.scrub(e);
        } catch (RuntimeException e) {
            throw scrubber.scrub(e);
        }
    }

    @Override
    public CrmLookupResult lookUp(CrmLookup lookup) throws CrmException {
        try {
            return connector.lookUp(lookup);
        } catch (CrmException e) {
            throw scrubber.scrub(e);
        } catch (RuntimeException e) {
            throw scrubber.scrub(e);
        }
    }

    @Override
    public List<WriteResult> write(List<WritePlan> plans) {
        try {
            return connector.write(plans).stream()
                .map(result -> result instanceof WriteResult.Failed failed ? new WriteResult.Failed(scrubber.scrub(failed.cause())) : result)
                .toList();
        } catch (RuntimeException e) {
            throw scrubber.scrub(e);
        }
    }

    @Override
    public Duration budgetWait(int captures, int arriving, Duration roundWait) {
        return connector.budgetWait(captures, arriving, roundWait);
    }

    @Override
    public java.util.Map<String, Object> limits() {
        try {
            return connector.limits();
        } catch (RuntimeException e) {
            return java.util.Map.of("error", scrubber.scrub(String.valueOf(e.getMessage()))); // a view must not fail the status route
        }
    }

    /** A scrubbed connector that shows what its CRM holds. */
    public static final class Viewable extends ScrubbedConnector implements ConnectorView {
        private final ConnectorView view;

        Viewable(CrmConnector connector, ConnectorView view, SecretScrubber scrubber) {
            super(connector, scrubber);
            this.view = view;
        }

        @Override
        public String viewName() {
            return view.viewName();
        }

        @Override
        public Map<String, Object> view() {
            return view.view();
        }
    }
}

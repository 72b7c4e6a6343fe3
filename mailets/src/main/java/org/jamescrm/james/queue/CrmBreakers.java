package org.jamescrm.james.queue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jamescrm.capture.CrmBreaker;

/**
 * The circuit breakers of the server, one per CRM connector: shared by every capture queue writing to
 * that CRM, shown on the status route. The first capture queue to ask for a connector's breaker
 * configures it.
 */
public class CrmBreakers {
    private final Map<String, CrmBreaker> breakers = new ConcurrentHashMap<>();

    /**
     * The breaker of {@code connector}, made with these parameters when it has none yet.
     *
     * @param connector the connector's name
     * @param failures  the consecutive failed rounds that open it
     * @param probe     how often the open breaker lets one capture probe the CRM
     * @param clock     the clock
     */
    public CrmBreaker forConnector(String connector, int failures, Duration probe, Clock clock) {
        return breakers.computeIfAbsent(connector, name -> new CrmBreaker(name, failures, probe, clock));
    }

    /** The breakers as they are now, by connector name. */
    public List<CrmBreaker.View> views() {
        return breakers.values().stream().map(CrmBreaker::view).sorted(java.util.Comparator.comparing(CrmBreaker.View::connector)).toList();
    }
}

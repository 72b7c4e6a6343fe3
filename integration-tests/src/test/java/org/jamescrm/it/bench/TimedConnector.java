package org.jamescrm.it.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jamescrm.spi.CrmCapabilities;
import org.jamescrm.spi.CrmConnector;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmLookup;
import org.jamescrm.spi.CrmLookupResult;
import org.jamescrm.spi.WritePlan;
import org.jamescrm.spi.WriteResult;

/** A connector of a load benchmark, timing the rounds' lookups and writes and counting rounds and plans. */
final class TimedConnector implements CrmConnector {
    private final CrmConnector connector;
    final AtomicInteger rounds = new AtomicInteger();
    final AtomicLong plans = new AtomicLong();
    final AtomicLong lookupNanos = new AtomicLong();
    final AtomicLong writeNanos = new AtomicLong();

    TimedConnector(CrmConnector connector) {
        this.connector = connector;
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
        connector.checkConnection();
    }

    @Override
    public CrmLookupResult lookUp(CrmLookup lookup) throws CrmException {
        long start = System.nanoTime();
        try {
            return connector.lookUp(lookup);
        } finally {
            lookupNanos.addAndGet(System.nanoTime() - start);
            rounds.incrementAndGet();
        }
    }

    @Override
    public List<WriteResult> write(List<WritePlan> round) {
        long start = System.nanoTime();
        try {
            return connector.write(round);
        } finally {
            writeNanos.addAndGet(System.nanoTime() - start);
            plans.addAndGet(round.size());
        }
    }

    @Override
    public Duration budgetWait(int captures, int arriving, Duration roundWait) {
        return connector.budgetWait(captures, arriving, roundWait);
    }

    /** A row of a benchmark's Markdown table. */
    static void row(String measure, String value) {
        System.out.println("| " + measure + " | " + value + " |");
    }

    static String millis(Duration duration) {
        return duration.toMillis() + " ms";
    }
}

package org.jamescrm.store;

import java.time.Clock;

import org.jamescrm.store.FloodGuard;
import org.jamescrm.store.RoundRobinPositions;
import org.jamescrm.decisions.DecisionStore;
import org.jamescrm.spi.TokenStore;
import org.jamescrm.spi.RequestBudgets;
import org.jamescrm.spi.ConnectorState;

/**
 * The store of {@code <store>local</store>}: what one server has always used. The round-robin
 * positions and decisions where the server keeps them (files under its working directory), the
 * ledger, flood counters, tokens and request budgets in memory.
 */
final class LocalCaptureStore implements CaptureStore {
    private final RoundRobinPositions positions;
    private final DecisionStore decisions;
    private final CaptureLedger ledger = new InMemoryCaptureLedger();
    private final FloodCounters flood;
    private final ConnectorState connectorState = ConnectorState.inMemory();
    
    LocalCaptureStore(RoundRobinPositions positions, DecisionStore decisions, Clock clock) {
        this.positions = positions;
        this.decisions = decisions;
        this.flood = new FloodGuard(clock);
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public CaptureLedger ledger() {
        return ledger;
    }

    @Override
    public RoundRobinPositions roundRobin() {
        return positions;
    }

    @Override
    public FloodCounters flood() {
        return flood;
    }

    @Override
    public DecisionStore decisions() {
        return decisions;
    }

    @Override
    public TokenStore tokens() {
        return connectorState.tokens();
    }

    @Override
    public RequestBudgets requestBudgets() {
        return connectorState.requestBudgets();
    }

    @Override
    public void close() {
        decisions.close();
    }
}

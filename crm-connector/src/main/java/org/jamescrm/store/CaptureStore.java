package org.jamescrm.store;

import java.time.Clock;

import org.jamescrm.store.InMemoryRoundRobinPositions;
import org.jamescrm.store.RoundRobinPositions;
import org.jamescrm.decisions.DecisionStore;
import org.jamescrm.spi.ConnectorState;

/**
 * Where the capture keeps what outlives one message, chosen by {@code <store>} in
 * {@code crm-capture.xml}: {@code local} (one server) or {@code postgresql} (every server of a cluster
 * shares it). Its parts are made once, at start; closing the store closes what it opened.
 */
public interface CaptureStore extends ConnectorState, AutoCloseable {

    /** The store's name as {@code <store>} spells it: {@code local} or {@code postgresql}. */
    String name();

    /** Which capture key each CRM has been written, or is being written, by which server. */
    CaptureLedger ledger();

    /** Where each mailbox's round robin stands. */
    RoundRobinPositions roundRobin();

    /** Captures counted per client address in the flood window. */
    FloodCounters flood();

    /** Where the decisions are kept for the decision search. */
    DecisionStore decisions();

    /**
     * The pace at which captures reach the other servers' capture rounds: none on one server; shared
     * by the servers of a cluster, whose rounds spend one CRM request budget.
     */
    default ArrivalPaces arrivals() {
        return ArrivalPaces.NONE;
    }

    /** Releases what the store holds (connections); the local store holds nothing. */
    @Override
    void close();

    /** A store in memory only: for tests and for connectors created without a store. */
    static CaptureStore inMemory(Clock clock) {
        return local(new InMemoryRoundRobinPositions(), DecisionStore.NONE, clock);
    }

    /** The local store of a server: the positions and the decisions where the caller keeps them, the rest in memory. */
    static CaptureStore local(RoundRobinPositions positions, DecisionStore decisions, Clock clock) {
        return new LocalCaptureStore(positions, decisions, clock);
    }
}

package org.jamescrm.decisions;

/**
 * A decision store that every server of a cluster writes and searches: the decision log asks it,
 * not its own memory, so a decision made on one server is answered on every other.
 */
public interface SharedDecisionStore extends DecisionStore {

    /**
     * The page of the decisions kept that {@code query} asks for, newest first, whichever server made them.
     *
     * @throws org.jamescrm.store.StoreUnavailableException when the store cannot be reached
     */
    DecisionQuery.Page search(DecisionQuery query);
}

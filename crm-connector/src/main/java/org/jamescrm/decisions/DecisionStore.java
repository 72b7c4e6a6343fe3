package org.jamescrm.decisions;

import java.util.List;

/** Where the decision log keeps its decisions beyond the running server: none, or a bounded file. */
public interface DecisionStore {
    /** Keeps nothing: the decisions live as long as the server. */
    DecisionStore NONE = new DecisionStore() {
        @Override
        public List<DecisionRecord> load() {
            return List.of();
        }

        @Override
        public void append(DecisionRecord record) {
        }
    };

    /** The decisions kept, oldest first. */
    List<DecisionRecord> load();

    /** Keeps one more decision; never fails the capture (a failure is logged). */
    void append(DecisionRecord record);

    /**
     * Keeps one more decision whose JSON view ({@link JsonViews#decision}, one line) the caller has already
     * written, so that a store keeping that view does not write it a second time.
     */
    default void append(DecisionRecord record, String jsonLine) {
        append(record);
    }

    /** Releases what the store holds open (its file); a later decision opens it again. */
    default void close() {
    }
}

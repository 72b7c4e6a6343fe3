package org.jamescrm.capture;

import java.util.Objects;

import org.jamescrm.spi.CrmException;
import org.jamescrm.decisions.DecisionRecord;

/** What a capture round made of one of its requests. */
public sealed interface RoundOutcome {

    /**
     * Decided and recorded: captured, or skipped with its reason.
     *
     * @param record the decision record
     */
    record Decided(DecisionRecord record) implements RoundOutcome {
        public Decided {
            Objects.requireNonNull(record, "record");
        }
    }

    /**
     * The CRM failed; nothing was recorded and a retry is safe.
     *
     * @param cause the failure
     */
    record Failed(CrmException cause) implements RoundOutcome {
        public Failed {
            Objects.requireNonNull(cause, "cause");
        }
    }

    /**
     * Not attempted: an earlier capture of the same round creates items for the same client or is
     * the mail it answers, so it must see that capture's writes. It goes into the next round.
     */
    record Deferred() implements RoundOutcome {
    }
}

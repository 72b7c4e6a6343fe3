package org.jamescrm.james.queue;

import java.time.Duration;
import java.util.Optional;

import org.jamescrm.decisions.DecisionRecord;

/** What one capture attempt came to: the deliverer never throws, it returns one of these. */
public sealed interface CaptureOutcome {

    /** Decided and, when the rules said so, written to the CRM. */
    record Decided(DecisionRecord decision) implements CaptureOutcome {
    }

    /** The CRM cannot take it now; try again, no sooner than {@code retryAfter} when given. */
    record RetryLater(String reason, Optional<Duration> retryAfter) implements CaptureOutcome {
    }

    /** Trying again cannot help: park the mail for an administrator. */
    record Rejected(String reason) implements CaptureOutcome {
    }
}

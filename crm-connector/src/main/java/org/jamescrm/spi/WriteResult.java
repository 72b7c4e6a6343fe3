package org.jamescrm.spi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What became of one {@link WritePlan}. */
public sealed interface WriteResult {

    /**
     * Every write of the plan is in the CRM.
     *
     * @param created    the created items, in the order of the plan's creations (a simple-mode
     *                   portal may answer a lead with the deal made from it)
     * @param activityId the e-mail activity
     * @param caseNumber the number of the case the plan opened, as the CRM shows it to people (the
     *                   acknowledgement's case token); empty when it opened none
     */
    record Written(List<ItemRef> created, String activityId, Optional<String> caseNumber) implements WriteResult {
        public Written {
            created = List.copyOf(created);
            Objects.requireNonNull(activityId, "activityId");
            Objects.requireNonNull(caseNumber, "caseNumber");
        }

        /** Writes that opened no case. */
        public Written(List<ItemRef> created, String activityId) {
            this(created, activityId, Optional.empty());
        }
    }

    /**
     * The plan did not complete; what it wrote carries its origin key, so a retry finds it.
     *
     * @param cause why
     */
    record Failed(CrmException cause) implements WriteResult {
        public Failed {
            Objects.requireNonNull(cause, "cause");
        }
    }
}

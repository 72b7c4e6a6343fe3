package org.jamescrm.spi;

import java.util.List;
import java.util.Objects;

/** What became of one {@link WritePlan}. */
public sealed interface WriteResult {

    /**
     * Every write of the plan is in the CRM.
     *
     * @param created    the created items, in the order of the plan's creations (a simple-mode
     *                   portal may answer a lead with the deal made from it)
     * @param activityId the e-mail activity
     */
    record Written(List<ItemRef> created, String activityId) implements WriteResult {
        public Written {
            created = List.copyOf(created);
            Objects.requireNonNull(activityId, "activityId");
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

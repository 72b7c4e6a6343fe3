package org.jamescrm.spi;

import java.util.function.Supplier;

/** The request budgets of CRM accounts: one per server, or one for every server of a cluster. */
public interface RequestBudgets {
    /** Each server spends its own budget: the connector's local bucket. */
    RequestBudgets LOCAL = (account, perSecond, capacity, local) -> local.get();

    /**
     * The budget of {@code account} (a CRM portal, an API user): the same one for every connector
     * of the account that shares this store.
     *
     * @param perSecond how fast the bucket drains: the CRM's rate
     * @param capacity  the most requests the bucket holds
     * @param local     the connector's own bucket, for a store that keeps budgets per server
     */
    RequestBudget budget(String account, double perSecond, int capacity, Supplier<RequestBudget> local);
}

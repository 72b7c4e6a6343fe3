package org.jamescrm.spi;

/**
 * What a connector keeps beyond one request: its OAuth tokens and its CRM's request budget. One server
 * keeps them in memory; the servers of a cluster share them through the capture store, so that one
 * refresh serves every server and one budget holds for all of them together.
 */
public interface ConnectorState {

    /** The CRMs' OAuth tokens. */
    TokenStore tokens();

    /** The CRMs' request budgets. */
    RequestBudgets requestBudgets();

    /** State in memory only: one server, or a connector created without a store (tests). */
    static ConnectorState inMemory() {
        TokenStore tokens = new InMemoryTokenStore();
        return new ConnectorState() {
            @Override
            public TokenStore tokens() {
                return tokens;
            }

            @Override
            public RequestBudgets requestBudgets() {
                return RequestBudgets.LOCAL;
            }
        };
    }
}

package org.jamescrm.spi;

import java.time.Duration;
import java.util.List;

/**
 * What the capture needs from a CRM: the narrow interface every connector implements. A round of
 * captures asks {@link #lookUp} once and hands its decisions to {@link #write} once, so a connector
 * can combine calls as its CRM allows (a batch or composite API, {@code IN} filters). Connectors
 * hold no capture rules: they look up and write what the rules decided. A CRM without a way to
 * combine calls implements {@link OneByOneCrm} and answers these two with {@link OneCallAtATime}.
 * Every method may be called concurrently.
 */
public interface CrmConnector {

    /** A short name for logs and the status route: the provider's name, e.g. {@code memory}, {@code bitrix24}. */
    String name();

    /** What this CRM can hold; the settings are checked against it at start. */
    CrmCapabilities capabilities();

    /**
     * Checks that the CRM answers with the configured credentials (the health check shown on the
     * status route).
     *
     * @throws CrmException with the reason when it does not
     */
    void checkConnection() throws CrmException;

    /** Answers the lookups of a whole round of captures. */
    CrmLookupResult lookUp(CrmLookup lookup) throws CrmException;

    /**
     * Carries out the write plans of a round, each on its own: one plan failing does not fail the
     * others. The result list has the order of {@code plans}.
     */
    List<WriteResult> write(List<WritePlan> plans);

    /**
     * How long a round of {@code captures} captures should still wait for others to share it,
     * because its requests now would spend budget of the CRM that waiting saves: the capture rounds
     * start it after this, or earlier when it is full or its oldest capture has waited
     * {@code roundWait}. {@link Duration#ZERO} when a round now costs the same as later: a CRM
     * without a request budget (the default, e.g. the in-memory CRM), or one whose budget has room
     * for this round and for rounds of the captures to come. Must answer at once, without a call
     * to the CRM.
     *
     * @param captures  the captures the round would hold now
     * @param arriving  how many captures are likely to be handed over within the next
     *                  {@code roundWait}, judged by the pace of the recent ones
     * @param roundWait the longest the oldest of them may wait
     */
    default Duration budgetWait(int captures, int arriving, Duration roundWait) {
        return Duration.ZERO;
    }

    /**
     * The CRM's limits as the connector keeps them, for the status route ({@code GET /crm/status},
     * {@code limits}): a request budget's level and refill, daily credits or API calls left, requests in
     * flight. Empty for a CRM without limits (the default). Must answer at once, without a call to the
     * CRM, and hold no secret.
     */
    default java.util.Map<String, Object> limits() {
        return java.util.Map.of();
    }
}

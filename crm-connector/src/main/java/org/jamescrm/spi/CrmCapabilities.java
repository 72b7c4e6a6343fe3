package org.jamescrm.spi;

/**
 * What a CRM can hold, as its provider declares it. The settings are checked against it at start:
 * a setting that asks for what the CRM cannot hold (leads on a CRM without leads, cases on a CRM
 * without cases) stops James's start with the key and the reason.
 *
 * @param leads        whether the CRM has leads; without them, new clients get a contact and a deal
 *                     (leadless mode)
 * @param cases        whether the CRM has cases (support tickets): a group mailbox may open them
 * @param teams        whether the CRM assigns records to teams: a group mailbox may name its teams
 * @param largestBatch the most operations the CRM takes in one request (1 without a batch API)
 */
public record CrmCapabilities(boolean leads, boolean cases, boolean teams, int largestBatch) {

    /** The capabilities of a CRM without teams. */
    public CrmCapabilities(boolean leads, boolean cases, int largestBatch) {
        this(leads, cases, false, largestBatch);
    }

    public CrmCapabilities {
        if (largestBatch < 1) {
            throw new IllegalArgumentException("largestBatch must be at least 1, got " + largestBatch);
        }
    }
}

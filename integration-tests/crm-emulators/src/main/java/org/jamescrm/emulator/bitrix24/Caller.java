package org.jamescrm.emulator.bitrix24;

/**
 * Who calls: the portal user the webhook or the OAuth token acts as, and the credential (webhook or
 * application) the per-method operating budget is kept for (bitrix24-api §3.2).
 *
 * @param userId     the acting user (webhook owner or the user who installed the application)
 * @param credential {@code webhook:<userId>} or {@code app:<clientId>}
 * @param webhook    whether the call came through an inbound webhook (app.info answers differently)
 */
record Caller(long userId, String credential, boolean webhook) {
}

package org.jamescrm.rules;

/**
 * Why a message was or was not captured: the answer to "why was this e-mail (not) saved?"
 * (capture-rules §3, §4, §9). The first group captures nothing, the second tells where the mail went.
 */
public enum ReasonCode {
    /** Mail among the company's own addresses (§2). */
    INTERNAL(false),
    /** Neither the sender nor a recipient is local: the server only relays it. */
    RELAY(false),
    /** Marked as spam by a spam filter header or the mail server's spam verdict. */
    SPAM(false),
    /** Bounce, delivery report, auto-reply, out-of-office or list mail. */
    AUTOMATED(false),
    /** An administrator's global filter or the mailbox's own filter matched; shown as {@code FILTERED:<rule>}. */
    FILTERED(false),
    /** The mailbox is excluded from capture (a private mailbox). */
    MAILBOX_EXCLUDED(false),
    /** The client address or domain is on the never-log list. */
    NEVER_LOG(false),
    /** The client went over the flood limit; the capture is parked for review. */
    FLOOD(false),
    /** CRM integration is off for the mailbox. */
    INTEGRATION_DISABLED(false),
    /** Nothing in the CRM matches and the settings forbid creating anything. */
    UNKNOWN_CLIENT_NO_CREATE(false),
    /**
     * Sent to the capture address, but not by an employee the server authenticated (SMTP AUTH) or
     * submitting from a trusted network: a forged manual save, refused without an answer (§7).
     */
    MANUAL_SAVE_UNAUTHENTICATED(false),
    /** This message was captured before; nothing is written again (§6). */
    DUPLICATE(false),

    /** Bound to the items of the thread it answers (§4.1). */
    THREAD(true),
    /** Attached to the client's most recently modified deal in progress (§4.2). */
    ACTIVE_DEAL(true),
    /** Known client without an active deal: attached to its contact/company and most recent lead (§4.3). */
    KNOWN_CLIENT(true),
    /** Known client without an active deal, repeat-sale mode lead: a repeat lead, even with lead creation off (§4.3). */
    REPEAT_LEAD(true),
    /** Known client without an active deal, repeat-sale mode deal: a repeat deal (§4.3). */
    REPEAT_DEAL(true),
    /** Attached to the client's lead, open or the most recent closed one (§4.4). */
    OPEN_LEAD(true),
    /** Unknown client writing in: a new lead (§4.5). */
    NEW_LEAD(true),
    /** Unknown client writing in, leadless mode: a new contact and deal (§4.5). */
    NEW_CONTACT_AND_DEAL(true),
    /** Employee writing to an unknown address: a new contact (§4.5). */
    NEW_CONTACT(true),
    /**
     * Route to assigned manager, and the client's responsible is not in the queue: a new lead assigned
     * by the queue (§4.6).
     */
    QUEUE_LEAD(true);

    private final boolean captured;

    ReasonCode(boolean captured) {
        this.captured = captured;
    }

    /** Whether a message with this reason is written to the CRM. */
    public boolean captured() {
        return captured;
    }
}

package org.jamescrm.rules;

/**
 * Why a message was or was not captured: the answer to "why was this e-mail (not) saved?"
 * (capture-rules §3, §4, §9). The first group captures nothing, the second tells where the mail went.
 */
public enum ReasonCode {
    /** Mail among the company's own addresses (§2). */
    INTERNAL(false, "not saved: every party is a company address"),
    /** Neither the sender nor a recipient is local: the server only relays it. */
    RELAY(false, "not saved: neither the sender nor a recipient is a company address, the server only relays it"),
    /** Marked as spam by a spam filter header or the mail server's spam verdict. */
    SPAM(false, "not saved: a spam filter marked it as spam"),
    /** Bounce, delivery report, auto-reply, out-of-office or list mail. */
    AUTOMATED(false, "not saved: it is automated mail (a bounce, delivery report, auto-reply, out-of-office notice or list mail)"),
    /** An administrator's global filter or the mailbox's own filter matched; shown as {@code FILTERED:<rule>}. */
    FILTERED(false, "not saved: a filter of the administrator or of the mailbox matched it"),
    /** The mailbox is excluded from capture (a private mailbox). */
    MAILBOX_EXCLUDED(false, "not saved: the mailbox is excluded from capture (a private mailbox)"),
    /** The client address or domain is on the never-log list. */
    NEVER_LOG(false, "not saved: the client's address or domain is on the never-log list"),
    /** The client went over the flood limit; the capture is parked for review. */
    FLOOD(false, "not saved: the client sent more mail than the flood limit allows, it is parked for review"),
    /** CRM integration is off for the mailbox. */
    INTEGRATION_DISABLED(false, "not saved: CRM integration is off for the mailbox"),
    /** Nothing in the CRM matches and the settings forbid creating anything. */
    UNKNOWN_CLIENT_NO_CREATE(false, "not saved: the CRM does not know the client and the mailbox's settings do not allow creating a lead or contact"),
    /**
     * Sent to the capture address, but not by an employee the server authenticated (SMTP AUTH) or
     * submitting from a trusted network: a forged manual save, refused without an answer (§7).
     */
    MANUAL_SAVE_UNAUTHENTICATED(false, "not saved: it was sent to the capture address, but not by an employee the server authenticated"),
    /** This message was captured before; nothing is written again (§6). */
    DUPLICATE(false, "not saved again: this message is already in the CRM"),
    /**
     * The capture could not be completed (the CRM refused it, stayed unavailable through every retry,
     * the message could not be read, a flood) and waits in the capture error repository for an
     * administrator, who can replay it; the replay records the final decision.
     */
    PARKED(false, "not saved yet: the capture is parked in the capture error repository for an administrator, who can replay it"),

    /** Bound to the items of the thread it answers (§4.1). */
    THREAD(true, "saved on the items of the message it answers, which is already in the CRM"),
    /** Attached to the client's most recently modified deal in progress (§4.2). */
    ACTIVE_DEAL(true, "saved on the client's deal in progress"),
    /** Known client without an active deal: attached to its contact/company and most recent lead (§4.3). */
    KNOWN_CLIENT(true, "saved on the client's contact or company and its most recent lead: the client has no deal in progress"),
    /** Known client without an active deal, repeat-sale mode lead: a repeat lead, even with lead creation off (§4.3). */
    REPEAT_LEAD(true, "saved on a new repeat lead: the client is known but has no deal in progress"),
    /** Known client without an active deal, repeat-sale mode deal: a repeat deal (§4.3). */
    REPEAT_DEAL(true, "saved on a new repeat deal: the client is known but has no deal in progress"),
    /** Attached to the client's lead, open or the most recent closed one (§4.4). */
    OPEN_LEAD(true, "saved on the client's lead"),
    /** Unknown client writing in: a new lead (§4.5). */
    NEW_LEAD(true, "saved on a new lead: the CRM does not know the client"),
    /** Unknown client writing in, leadless mode: a new contact and deal (§4.5). */
    NEW_CONTACT_AND_DEAL(true, "saved on a new contact and deal: the CRM does not know the client"),
    /** Employee writing to an unknown address: a new contact (§4.5). */
    NEW_CONTACT(true, "saved on a new contact: the CRM does not know the recipient"),
    /**
     * Route to assigned manager, and the client's responsible is not in the queue: a new lead assigned
     * by the queue (§4.6).
     */
    QUEUE_LEAD(true, "saved on a new lead for the mailbox's queue: the client's responsible is not in the queue"),
    /** The first client mail of a new thread to a group mailbox that opens cases: a new case (§8). */
    NEW_CASE(true, "saved on a new case: it starts a new thread in a group mailbox that opens cases"),
    /** Its subject carries the token of a case ({@code [#123]}) though its thread headers name no captured mail (§4.1). */
    CASE_TOKEN(true, "saved on the case named by the case token in its subject"),
    /** The first client mail of a new thread to a group mailbox whose new threads create leads (§8). */
    GROUP_LEAD(true, "saved on a new lead: it starts a new thread in a group mailbox whose new threads create leads");

    private final boolean captured;
    private final String explanation;

    ReasonCode(boolean captured, String explanation) {
        this.captured = captured;
        this.explanation = explanation;
    }

    /**
     * One sentence for a CRM administrator: whether the message is saved and why, e.g. for
     * {@code INTERNAL} "not saved: every party is a company address".
     */
    public String explanation() {
        return explanation;
    }

    /** Whether a message with this reason is written to the CRM. */
    public boolean captured() {
        return captured;
    }
}

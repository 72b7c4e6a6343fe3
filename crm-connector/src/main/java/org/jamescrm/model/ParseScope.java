package org.jamescrm.model;

/**
 * What of a message the capture stores, so that the parser does no more work than that: the content
 * of attachments up to {@code attachmentLimit} bytes each (larger ones are counted, never held), and
 * the HTML body only when {@code html} (sanitizing it is the costliest step of a parse). The text of
 * an HTML-only message is derived from its HTML either way.
 *
 * @param attachmentLimit the most bytes of an attachment's decoded content kept
 * @param html            whether the sanitized HTML body is wanted
 */
public record ParseScope(long attachmentLimit, boolean html) {
    /** Everything: every attachment's content and the HTML body. */
    public static final ParseScope ALL = new ParseScope(Long.MAX_VALUE, true);

    public ParseScope {
        if (attachmentLimit < 0) {
            throw new IllegalArgumentException("an attachment limit is at least 0 bytes, not " + attachmentLimit);
        }
    }
}

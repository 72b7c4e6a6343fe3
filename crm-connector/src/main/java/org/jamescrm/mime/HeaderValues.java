package org.jamescrm.mime;

import org.jamescrm.model.CleanText;

/**
 * Header field values as the rules read them: unfolded, RFC 2047 encoded words decoded (or left as
 * written when they cannot be, never half), one clean line ({@link CleanText#line}), never failing on
 * broken encodings. One definition for the mail pipeline and the capture queue.
 */
public final class HeaderValues {

    private HeaderValues() {
    }

    /** The unfolded, decoded, clean text of a raw field value; an undecodable encoded word stays as written. */
    public static String decode(String raw) {
        if (raw == null) {
            return "";
        }
        String unfolded = raw.indexOf('\n') < 0 ? raw : raw.replaceAll("\r?\n(?=[ \t])", "");
        return CleanText.line(EncodedWords.decode(unfolded));
    }
}

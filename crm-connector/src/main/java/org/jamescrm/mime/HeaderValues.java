package org.jamescrm.mime;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;

/**
 * Header field values as the rules read them: unfolded, RFC 2047 encoded words decoded, never
 * failing on broken encodings. One definition for the mail pipeline and the capture queue.
 */
public final class HeaderValues {

    private HeaderValues() {
    }

    /** The unfolded, decoded text of a raw field value; an undecodable encoded word stays as written. */
    public static String decode(String raw) {
        if (raw == null) {
            return "";
        }
        String unfolded = raw.indexOf('\n') < 0 ? raw : raw.replaceAll("\r?\n(?=[ \t])", "");
        // most values have no encoded word: skip the decoder for them, it runs for every header of every mail
        return unfolded.contains("=?") ? DecoderUtil.decodeEncodedWords(unfolded, DecodeMonitor.SILENT) : unfolded;
    }
}

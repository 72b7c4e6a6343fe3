package org.jamescrm.model;

/**
 * Text without the characters that break what a CRM stores or shows. Header-derived text (subjects,
 * display names, file names, header values) becomes one line: a line break and the blanks around it
 * fold to one space (so a decoded CRLF cannot start a new header or a new CSV row), a tab becomes a
 * space, NUL and every other C0 and C1 control and DEL disappear, and so do the explicit bidi
 * controls that make {@code invoice\u202Efdp.exe} show as {@code invoiceexe.pdf}. Bodies keep their
 * lines and tabs and lose only the other controls (a NUL alone makes some CRM databases refuse the
 * whole record).
 */
public final class CleanText {

    private CleanText() {
    }

    /** Header-derived text as one clean line; null stays null. */
    public static String line(String text) {
        if (text == null || isClean(text, false)) {
            return text;
        }
        StringBuilder clean = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (isLineBreak(c)) {
                // fold: the blanks before the break, the breaks and the blanks after them make one space
                int end = i;
                while (end < text.length() && (isLineBreak(text.charAt(end)) || text.charAt(end) == ' ' || text.charAt(end) == '\t')) {
                    end++;
                }
                int length = clean.length();
                while (length > 0 && clean.charAt(length - 1) == ' ') {
                    length--;
                }
                clean.setLength(length);
                clean.append(' ');
                i = end;
                continue;
            }
            if (c == '\t') {
                clean.append(' ');
            } else if (!isDropped(c)) {
                clean.append(c);
            }
            i++;
        }
        return clean.toString();
    }

    /** Body text: line breaks and tabs kept, every other control removed; null stays null. */
    public static String body(String text) {
        if (text == null || isClean(text, true)) {
            return text;
        }
        StringBuilder clean = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n' || c == '\t' || !isDropped(c)) {
                clean.append(c);
            }
        }
        return clean.toString();
    }

    /** Whether a text is already clean: most are, and they are returned as they are, without copying. */
    private static boolean isClean(String text, boolean multiline) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                continue; // printable ASCII, most of any text: one test instead of five
            }
            boolean allowedBreak = multiline && (c == '\r' || c == '\n' || c == '\t');
            if (!allowedBreak && (c == '\t' || isLineBreak(c) || isDropped(c))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLineBreak(char c) {
        return c == '\r' || c == '\n' || c == '\u2028' || c == '\u2029';
    }

    /** C0 controls, DEL, C1 controls (NEL included) and the explicit bidi embeddings, overrides and isolates. */
    private static boolean isDropped(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
    }
}

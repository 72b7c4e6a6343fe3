package org.jamescrm.testing;

/** Raw RFC 5322 messages for tests, CRLF line ends, as a mail client sends them. Shared by the modules' tests (test-jar). */
public final class TestMessages {
    /** A line of the benchmarks' order mails, repeated to the size asked. */
    private static final String ORDER_LINE = "We would like to order the items of the attached list, delivered before the end of the month.\r\n";

    private TestMessages() {
    }

    /**
     * A plain text message dated Sun, 22 Nov 2026 10:15:00 +0300.
     *
     * @param extraHeaders more header lines, each ending in CRLF (may be empty)
     */
    public static String plain(String from, String to, String messageId, String extraHeaders, String subject, String body) {
        return "From: " + from + "\r\n"
            + "To: " + to + "\r\n"
            + "Subject: " + subject + "\r\n"
            + "Date: Sun, 22 Nov 2026 10:15:00 +0300\r\n"
            + "Message-ID: " + messageId + "\r\n"
            + extraHeaders
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=UTF-8\r\n"
            + "\r\n"
            + body + "\r\n";
    }

    /**
     * The benchmarks' client mail: order {@code n} from {@code sender}, dated Sat, 05 Dec 2026
     * 10:00:00 +0000, with {@code body} (a multipart/alternative body with the boundary {@code alt},
     * as {@link #orderBody} writes it).
     */
    public static String order(String sender, String recipient, String messageId, int n, String body) {
        return "From: Client " + n + " <" + sender + ">\r\nTo: <" + recipient + ">\r\nSubject: Order " + n
            + "\r\nDate: Sat, 05 Dec 2026 10:00:00 +0000\r\nMessage-ID: " + messageId + "\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n" + body;
    }

    /** The body of {@link #order}: a text and an HTML part, together about {@code kilobytes} KB. */
    public static String orderBody(int kilobytes) {
        StringBuilder html = new StringBuilder("<html><body>");
        while (html.length() < kilobytes * 1024 / 2) {
            html.append("<p>").append(ORDER_LINE.strip()).append("</p>\r\n");
        }
        html.append("</body></html>\r\n");
        return alternative(kilobytes, html);
    }

    /**
     * A body of {@link #order} as a mail program of the Outlook kind writes it: the same text part, and
     * an HTML part of Word-styled paragraphs (classes, inline styles, spans, entities), a table of order
     * lines with a link each and an inline image: more elements and attributes a kilobyte than
     * {@link #orderBody}'s plain paragraphs, as real mail HTML has.
     */
    public static String outlookOrderBody(int kilobytes) {
        StringBuilder html = new StringBuilder("<html xmlns:o=\"urn:schemas-microsoft-com:office:office\"><head>"
            + "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"><style>p.MsoNormal{margin:0cm;font-size:11.0pt}</style>"
            + "</head><body lang=\"EN-US\" link=\"#0563C1\" style=\"word-wrap:break-word\"><div class=\"WordSection1\">");
        for (int n = 1; html.length() < kilobytes * 1024 / 2; n++) {
            html.append("<p class=\"MsoNormal\"><span style=\"font-size:11.0pt;color:#1F497D\">Dear Alice,&nbsp;we would like ")
                .append("<b>item ").append(n).append("</b> of the attached list &amp; its spare parts.<o:p></o:p></span></p>\r\n")
                .append("<table class=\"MsoNormalTable\" border=\"0\" cellpadding=\"0\"><tr><td valign=\"top\" style=\"padding:0cm\">")
                .append("<p class=\"MsoNormal\"><a href=\"https://shop.example/item?id=").append(n).append("&amp;ref=mail\">Item ")
                .append(n).append("</a></p></td><td style=\"padding:0cm\"><p class=\"MsoNormal\" align=\"right\">12.50&nbsp;&euro;</p>")
                .append("</td></tr></table>\r\n");
        }
        html.append("<p class=\"MsoNormal\"><img width=\"120\" height=\"40\" src=\"cid:image001.png@01DB4C2A\" alt=\"Client Ltd\"></p>")
            .append("</div></body></html>\r\n");
        return alternative(kilobytes, html);
    }

    /** The order's text part, about half of {@code kilobytes} KB, and {@code html}, as the parts of a multipart/alternative body. */
    private static String alternative(int kilobytes, CharSequence html) {
        StringBuilder text = new StringBuilder();
        while (text.length() < kilobytes * 1024 / 2) {
            text.append(ORDER_LINE);
        }
        return "--alt\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n" + text + "--alt\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n"
            + html + "--alt--\r\n";
    }
}

package org.jamescrm.testing;

/** Raw RFC 5322 messages for tests, CRLF line ends, as a mail client sends them. Shared by the modules' tests (test-jar). */
public final class TestMessages {

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
}

package org.jamescrm.it;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

import org.apache.commons.net.imap.IMAPClient;
import org.apache.commons.net.smtp.AuthenticatingSMTPClient;
import org.apache.commons.net.smtp.SMTPClient;
import org.apache.commons.net.smtp.SMTPReply;

/**
 * SMTP in and IMAP out, byte for byte: what a mail client does, without a mail library that would
 * rewrite the message on the way.
 */
final class MailClient {
    static final String PASSWORD = "secret";

    private final int smtpPort;
    private final int imapPort;

    MailClient(int smtpPort, int imapPort) {
        this.smtpPort = smtpPort;
        this.imapPort = imapPort;
    }

    /** Sends {@code message} (CRLF line ends) from {@code sender} to {@code recipients}. */
    void send(String sender, List<String> recipients, String message) throws IOException {
        SMTPClient smtp = new SMTPClient();
        smtp.connect("127.0.0.1", smtpPort);
        try {
            check(smtp, SMTPReply.isPositiveCompletion(smtp.helo("client.test")), "HELO");
            transfer(smtp, sender, recipients, message);
        } finally {
            smtp.disconnect();
        }
    }

    /**
     * Sends {@code message} as an employee's mail client does: authenticated with SMTP AUTH PLAIN as
     * {@code sender} (password {@value #PASSWORD}), which James records on the mail.
     */
    void sendAuthenticated(String sender, List<String> recipients, String message) throws IOException {
        AuthenticatingSMTPClient smtp = new AuthenticatingSMTPClient();
        smtp.connect("127.0.0.1", smtpPort);
        try {
            check(smtp, SMTPReply.isPositiveCompletion(smtp.ehlo("client.test")), "EHLO");
            try {
                check(smtp, smtp.auth(AuthenticatingSMTPClient.AUTH_METHOD.PLAIN, sender, PASSWORD), "AUTH PLAIN");
            } catch (java.security.GeneralSecurityException e) {
                throw new IOException("AUTH PLAIN cannot be computed", e);
            }
            transfer(smtp, sender, recipients, message);
        } finally {
            smtp.disconnect();
        }
    }

    /** One mail transaction on a greeted connection, then QUIT. */
    private static void transfer(SMTPClient smtp, String sender, List<String> recipients, String message) throws IOException {
        check(smtp, smtp.setSender(sender), "MAIL FROM");
        for (String recipient : recipients) {
            check(smtp, smtp.addRecipient(recipient), "RCPT TO " + recipient);
        }
        try (Writer data = smtp.sendMessageData()) {
            if (data == null) {
                throw new IOException("DATA refused: " + smtp.getReplyString());
            }
            data.write(message);
        }
        check(smtp, smtp.completePendingCommand(), "end of DATA");
        smtp.logout();
    }

    private static void check(SMTPClient smtp, boolean ok, String step) throws IOException {
        if (!ok || !SMTPReply.isPositiveCompletion(smtp.getReplyCode())) {
            throw new IOException(step + " refused: " + smtp.getReplyString());
        }
    }

    /** The raw IMAP answer to fetching every message of the user's INBOX (BODY.PEEK[]). */
    String inbox(String user) throws IOException {
        IMAPClient imap = new IMAPClient();
        imap.connect("127.0.0.1", imapPort);
        try {
            if (!imap.login(user, PASSWORD) || !imap.select("INBOX")) {
                throw new IOException("IMAP login/select failed: " + imap.getReplyString());
            }
            imap.fetch("1:*", "(BODY.PEEK[])");
            String reply = imap.getReplyString();
            imap.logout();
            return reply;
        } finally {
            imap.disconnect();
        }
    }
}

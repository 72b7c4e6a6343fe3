package org.jamescrm.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.net.smtp.AuthenticatingSMTPClient;
import org.apache.commons.net.smtp.SMTPClient;
import org.apache.commons.net.smtp.SMTPReply;

/**
 * SMTP in and IMAP out, byte for byte: what a mail client does, without a mail library that would
 * rewrite the message on the way.
 */
final class MailClient {
    static final String PASSWORD = "secret";
    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)}$");

    private final int smtpPort;
    private final int imapPort;

    MailClient(int smtpPort, int imapPort) {
        this.smtpPort = smtpPort;
        this.imapPort = imapPort;
    }

    /** A message file as SMTP carries it: one byte a character (SMTP's default encoding), every line ending in CRLF. */
    static String asSent(Path message) throws IOException {
        return new String(Files.readAllBytes(message), StandardCharsets.ISO_8859_1).replace("\r\n", "\n").replace("\n", "\r\n");
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

    /**
     * The raw IMAP answer to fetching every message of the user's INBOX (BODY.PEEK[]). Spoken over a
     * plain socket: a literal is read by its count of bytes, so a message in UTF-8 never desynchronizes
     * the reading (a client that counts characters reads past a multi-byte message's end).
     */
    String inbox(String user) throws IOException {
        return loggedIn(user, (in, out) -> {
            command(in, out, "a2", "SELECT INBOX", true);
            return command(in, out, "a3", "FETCH 1:* (BODY.PEEK[])", false); // an empty INBOX answers NO or BAD
        });
    }

    /** How many messages the user's INBOX holds, as IMAP's {@code STATUS} counts them. */
    int inboxSize(String user) throws IOException {
        String status = loggedIn(user, (in, out) -> command(in, out, "a2", "STATUS INBOX (MESSAGES)", true));
        Matcher messages = Pattern.compile("MESSAGES (\\d+)").matcher(status);
        if (!messages.find()) {
            throw new IOException("IMAP STATUS gave no count: " + status);
        }
        return Integer.parseInt(messages.group(1));
    }

    /** What an IMAP session does between LOGIN and LOGOUT. */
    @FunctionalInterface
    private interface Session<T> {
        T run(InputStream in, OutputStream out) throws IOException;
    }

    /** Opens a plain IMAP connection, logs in as {@code user} (password {@value #PASSWORD}), runs {@code session}, logs out. */
    private <T> T loggedIn(String user, Session<T> session) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", imapPort)) {
            socket.setSoTimeout(10_000);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            line(in); // the greeting
            command(in, out, "a1", "LOGIN \"" + user + "\" \"" + PASSWORD + "\"", true);
            T result = session.run(in, out);
            command(in, out, "a9", "LOGOUT", false);
            return result;
        }
    }

    /** Sends one command and returns the whole answer, literals included, up to its tagged status line. */
    private static String command(InputStream in, OutputStream out, String tag, String command, boolean mustSucceed) throws IOException {
        out.write((tag + " " + command + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        while (true) {
            byte[] line = line(in);
            answer.writeBytes(line);
            String text = new String(line, StandardCharsets.UTF_8).stripTrailing();
            Matcher literal = LITERAL.matcher(text);
            if (literal.find()) {
                answer.writeBytes(in.readNBytes(Integer.parseInt(literal.group(1))));
            } else if (text.startsWith(tag + " ")) {
                if (mustSucceed && !text.startsWith(tag + " OK")) {
                    throw new IOException("IMAP " + command.split(" ")[0] + " refused: " + text);
                }
                return answer.toString(StandardCharsets.UTF_8);
            }
        }
    }

    /** One line, CRLF included. */
    private static byte[] line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            line.write(b);
            if (b == '\n') {
                return line.toByteArray();
            }
        }
        throw new IOException("the IMAP server closed the connection");
    }
}

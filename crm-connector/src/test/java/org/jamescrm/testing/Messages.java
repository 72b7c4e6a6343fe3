package org.jamescrm.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.jamescrm.mime.MessageParser;
import org.jamescrm.model.MessageFacts;

/**
 * Raw RFC 5322 messages for tests, CRLF line ends, written as a mail client writes them. Header
 * values are written as given (encoded words included); the text and HTML bodies are UTF-8, 8bit;
 * attachments are base64. Without a text, an HTML body or an attachment the message is a
 * single text/plain part.
 *
 * <pre>{@code
 * Messages.message().from("Carol Client <carol@client.example>").to("alice@company.example")
 *     .subject("Quote").messageId("<1@client.example>").text("Hello.").build();
 * }</pre>
 */
public final class Messages {
    /** The date of every message unless set: Sun, 22 Nov 2026 10:15:00 +0300, i.e. 07:15 UTC. */
    public static final String DATE = "Sun, 22 Nov 2026 10:15:00 +0300";

    private final List<String> headers = new ArrayList<>();
    private String from = "Carol Client <carol@client.example>";
    private String to = "alice@company.example";
    private String subject = "Quote for 40 chairs";
    private String date = DATE;
    private String messageId = "<1@client.example>";
    private String text;
    private String html;
    private final List<Attachment> attachments = new ArrayList<>();

    private Messages() {
    }

    /** A message from Carol Client to alice@company.example, subject "Quote for 40 chairs", id {@code <1@client.example>}. */
    public static Messages message() {
        return new Messages();
    }

    /** The From field; null leaves it out. */
    public Messages from(String value) {
        from = value;
        return this;
    }

    /** The To field; null leaves it out. */
    public Messages to(String value) {
        to = value;
        return this;
    }

    public Messages cc(String value) {
        return header("Cc", value);
    }

    /** The Subject field, raw; null leaves it out. */
    public Messages subject(String value) {
        subject = value;
        return this;
    }

    /** The Date field; null leaves it out. */
    public Messages date(String value) {
        date = value;
        return this;
    }

    /** The Message-ID field; null leaves it out. */
    public Messages messageId(String value) {
        messageId = value;
        return this;
    }

    public Messages inReplyTo(String value) {
        return header("In-Reply-To", value);
    }

    public Messages references(String value) {
        return header("References", value);
    }

    /** Any other header field, written after the standard ones. */
    public Messages header(String name, String value) {
        headers.add(name + ": " + value);
        return this;
    }

    /** The plain text body. */
    public Messages text(String value) {
        text = value;
        return this;
    }

    /** The HTML body: an alternative to the text body when there is one, else the only body. */
    public Messages html(String value) {
        html = value;
        return this;
    }

    /** An attachment, base64 encoded, with Content-Disposition: attachment. */
    public Messages attachment(String fileName, String contentType, byte[] content) {
        attachments.add(new Attachment(fileName, contentType, content));
        return this;
    }

    /** The raw message. */
    public String build() {
        StringBuilder message = new StringBuilder();
        field(message, "From", from);
        field(message, "To", to);
        field(message, "Subject", subject);
        field(message, "Date", date);
        field(message, "Message-ID", messageId);
        headers.forEach(header -> message.append(header).append("\r\n"));
        message.append("MIME-Version: 1.0\r\n");
        if (attachments.isEmpty()) {
            message.append(body());
        } else {
            message.append("Content-Type: multipart/mixed; boundary=\"mixed-boundary\"\r\n\r\n");
            message.append("--mixed-boundary\r\n").append(body());
            for (Attachment attachment : attachments) {
                message.append("--mixed-boundary\r\n")
                    .append("Content-Type: ").append(attachment.contentType()).append("\r\n")
                    .append("Content-Disposition: attachment; filename=\"").append(attachment.fileName()).append("\"\r\n")
                    .append("Content-Transfer-Encoding: base64\r\n\r\n")
                    .append(Base64.getMimeEncoder().encodeToString(attachment.content())).append("\r\n");
            }
            message.append("--mixed-boundary--\r\n");
        }
        return message.toString();
    }

    /** The raw message as bytes (UTF-8). */
    public byte[] bytes() {
        return build().getBytes(StandardCharsets.UTF_8);
    }

    /** The message as the capture queue sees it. */
    public MessageFacts parse() {
        return parse(bytes());
    }

    /** Parses raw message bytes with the product's parser. */
    public static MessageFacts parse(byte[] raw) {
        try {
            return new MessageParser().parse(new ByteArrayInputStream(raw));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a raw message written in ISO-8859-1, so that every char stands for one byte. */
    public static MessageFacts parseLatin1(String raw) {
        return parse(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    private String body() {
        String plain = "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n";
        String rich = "Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n";
        if (html == null) {
            return plain + (text == null ? "Hello." : text) + "\r\n";
        }
        if (text == null) {
            return rich + html + "\r\n";
        }
        return "Content-Type: multipart/alternative; boundary=\"alternative-boundary\"\r\n\r\n"
            + "--alternative-boundary\r\n" + plain + text + "\r\n"
            + "--alternative-boundary\r\n" + rich + html + "\r\n"
            + "--alternative-boundary--\r\n";
    }

    private static void field(StringBuilder message, String name, String value) {
        if (value != null) {
            message.append(name).append(": ").append(value).append("\r\n");
        }
    }

    private record Attachment(String fileName, String contentType, byte[] content) {
    }
}

package org.jamescrm.mime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.dom.TextBody;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.jamescrm.model.AttachmentInfo;
import org.jamescrm.model.CleanText;
import org.jamescrm.model.MailParty;
import org.jamescrm.model.MessageFacts;
import org.jamescrm.model.MessageHeaders;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.TextNode;
import org.jamescrm.model.SafeHtml;

/**
 * Turns a raw RFC 5322 message into {@link MessageFacts}. Lenient by design: real mail is often
 * broken (bad encodings, unparsable addresses and dates, truncated multiparts), and a broken part
 * must cost that part, never the capture. Only I/O failures of the input stream are thrown. What it
 * returns holds no control character in header-derived text and only safe HTML ({@link SafeHtml}).
 */
public final class MessageParser {
    private static final Pattern MESSAGE_ID_TOKEN = Pattern.compile("<[^<>\\s]+>");

    /** Deeper multiparts are not walked: mime4j builds them, the walk must not overflow the stack. */
    private static final int MAX_DEPTH = 64;

    private final MimeConfig config = MimeConfig.PERMISSIVE;

    /**
     * Parses a whole message.
     *
     * @param raw the message, headers and body, as received
     * @throws IOException when reading the stream fails
     */
    public MessageFacts parse(InputStream raw) throws IOException {
        byte[] bytes = raw.readAllBytes();
        DefaultMessageBuilder builder = new DefaultMessageBuilder();
        builder.setMimeEntityConfig(config);
        builder.setDecodeMonitor(DecodeMonitor.SILENT);
        Message message;
        try {
            message = builder.parseMessage(new ByteArrayInputStream(bytes));
        } catch (RuntimeException | IOException e) {
            // the bytes are in memory: an I/O failure here is mime4j refusing the content, not the stream
            return unparsable(bytes);
        }
        try {
            MessageHeaders headers = headers(message);
            BodyParts body = new BodyParts();
            collect(message, body, 0);
            Optional<String> messageId = CaptureKeys.messageId(rawField(message, "Message-ID"));
            Optional<MailParty> from = addresses(message, "From").stream().findFirst();
            String subject = headers.first("Subject").orElse("");
            Optional<String> html = body.html.map(SafeHtml::sanitize);
            String text = body.text.length() > 0 ? body.text.toString() : html.map(MessageParser::htmlToText).orElse("");
            return new MessageFacts(
                CaptureKeys.of(rawField(message, "Message-ID"), rawField(message, "From"), rawField(message, "Date"),
                    rawField(message, "Subject"), bodyBytes(bytes)),
                messageId,
                from,
                addresses(message, "To"),
                addresses(message, "Cc"),
                subject,
                Optional.ofNullable(safely(message::getDate)).map(Date::toInstant),
                ids(headers.first("In-Reply-To")),
                ids(headers.first("References")),
                headers,
                text,
                html,
                body.attachments);
        } finally {
            message.dispose();
        }
    }

    /** A message mime4j cannot parse at all still gets a key and its bytes as text. */
    private static MessageFacts unparsable(byte[] bytes) {
        return new MessageFacts(CaptureKeys.of(null, null, null, null, bytes), Optional.empty(), Optional.empty(),
            List.of(), List.of(), "", Optional.empty(), List.of(), List.of(), MessageHeaders.empty(),
            new String(bytes, StandardCharsets.UTF_8), Optional.empty(), List.of());
    }

    private static MessageHeaders headers(Message message) {
        MessageHeaders.Builder headers = MessageHeaders.builder();
        if (message.getHeader() != null) {
            for (Field field : message.getHeader().getFields()) {
                String body = field.getBody();
                headers.add(field.getName(), HeaderValues.decode(body));
            }
        }
        return headers.build();
    }

    /** The raw body (after the blank line ending the header), for the digest key. */
    private static byte[] bodyBytes(byte[] message) {
        for (int i = 0; i + 1 < message.length; i++) {
            if (message[i] == '\n' && (message[i + 1] == '\n' || (message[i + 1] == '\r' && i + 2 < message.length && message[i + 2] == '\n'))) {
                return Arrays.copyOfRange(message, message[i + 1] == '\n' ? i + 2 : i + 3, message.length);
            }
        }
        return new byte[0];
    }

    /** The raw (undecoded, unfolded) value of the first field named {@code name}; null when absent. */
    private static String rawField(Entity entity, String name) {
        Field field = entity.getHeader() == null ? null : entity.getHeader().getField(name);
        return field == null ? null : field.getBody();
    }

    private static List<String> ids(Optional<String> value) {
        List<String> ids = new ArrayList<>();
        value.ifPresent(text -> {
            Matcher matcher = MESSAGE_ID_TOKEN.matcher(text);
            while (matcher.find()) {
                ids.add(matcher.group());
            }
        });
        return ids;
    }

    /** The parties of every field of that name (a mailer may repeat To or Cc). */
    private static List<MailParty> addresses(Message message, String name) {
        List<MailParty> parties = new ArrayList<>();
        if (message.getHeader() != null) {
            for (Field field : message.getHeader().getFields(name)) {
                parties.addAll(Addresses.parse(field.getBody()));
            }
        }
        return parties;
    }

    private static <T> T safely(java.util.function.Supplier<T> getter) {
        try {
            return getter.get();
        } catch (RuntimeException e) {
            return null; // an unparsable field counts as absent
        }
    }

    /** Walks the MIME tree; a part that cannot be read is skipped, the others are kept. */
    private void collect(Entity entity, BodyParts parts, int depth) {
        if (depth > MAX_DEPTH) {
            return; // endless nesting: what is that deep is no body a CRM shows
        }
        try {
            Body body = entity.getBody();
            if (body instanceof Multipart multipart) {
                for (Entity part : multipart.getBodyParts()) {
                    collect(part, parts, depth + 1);
                }
                return;
            }
            Optional<String> fileName = fileName(entity);
            if (body instanceof Message attached) {
                parts.attachments.add(attachment(fileName.orElse("message.eml"), "message/rfc822", serialize(attached)));
                return;
            }
            String disposition = HeaderParameters.parse(rawField(entity, "Content-Disposition")).value();
            boolean attachment = disposition.equals("attachment") || fileName(entity, "Content-Disposition", "filename").isPresent();
            String mimeType = Optional.ofNullable(entity.getMimeType()).orElse("text/plain").toLowerCase(Locale.ROOT);
            if (!attachment && body instanceof TextBody text && mimeType.equals("text/plain") && parts.text.length() == 0) {
                parts.text.append(read(text, entity.getCharset()));
            } else if (!attachment && body instanceof TextBody text && mimeType.equals("text/html") && parts.html.isEmpty()) {
                parts.html = Optional.of(read(text, entity.getCharset()));
            } else if (body instanceof SingleBody single) {
                try (InputStream in = single.getInputStream()) {
                    parts.attachments.add(attachment(fileName.orElse("attachment"), mimeType, in.readAllBytes()));
                }
            }
        } catch (IOException | RuntimeException e) {
            // a broken part costs that part, never the capture
        }
    }

    /** The file name of a part: Content-Disposition's filename, else Content-Type's name (older mailers). */
    private static Optional<String> fileName(Entity entity) {
        return fileName(entity, "Content-Disposition", "filename").or(() -> fileName(entity, "Content-Type", "name"));
    }

    /**
     * A file name parameter, clean and without any directory: a name is all a CRM needs, and a path
     * ({@code /evil/x.gif}, {@code C:\Users\bob\x.pdf}, {@code ../../x}) is a risk for anything that
     * writes the file somewhere.
     */
    private static Optional<String> fileName(Entity entity, String field, String parameter) {
        return HeaderParameters.parse(rawField(entity, field)).get(parameter)
            .map(CleanText::line)
            .map(name -> name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1).strip())
            .filter(name -> !name.isEmpty() && !name.equals(".") && !name.equals(".."));
    }

    private static AttachmentInfo attachment(String name, String mimeType, byte[] content) {
        return new AttachmentInfo(name, mimeType, content.length, content);
    }

    private static byte[] serialize(Message message) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        new org.apache.james.mime4j.message.DefaultMessageWriter().writeMessage(message, out);
        return out.toByteArray();
    }

    private static String read(TextBody body, String declaredCharset) throws IOException {
        Charset charset = charset(declaredCharset);
        try (InputStream in = body.getInputStream()) {
            return new String(in.readAllBytes(), charset);
        }
    }

    private static Charset charset(String name) {
        try {
            return name == null ? StandardCharsets.US_ASCII : Charset.forName(name);
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8; // unknown or illegal charset names: UTF-8 is the likeliest truth
        }
    }

    /** Plain text of an HTML-only message, for the text view of the activity; line breaks kept. */
    static String htmlToText(String html) {
        Document document = Jsoup.parse(html);
        // wholeText() already renders <br> as a line break; block ends need one
        document.select("p, div, tr, li, h1, h2, h3, h4, h5, h6, blockquote").forEach(element -> element.after(new TextNode("\n")));
        return document.body().wholeText().replaceAll("[ \t\u00a0]+", " ").replaceAll(" ?\n ?", "\n")
            .replaceAll("\n{3,}", "\n\n").strip();
    }

    /** The parts of a body, filled while walking the MIME tree. */
    private static final class BodyParts {
        private final StringBuilder text = new StringBuilder();
        private Optional<String> html = Optional.empty();
        private final List<AttachmentInfo> attachments = new ArrayList<>();
    }

}

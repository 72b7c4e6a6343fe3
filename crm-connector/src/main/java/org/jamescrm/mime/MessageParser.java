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
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.dom.TextBody;
import org.apache.james.mime4j.dom.address.Address;
import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.dom.address.Group;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.dom.address.MailboxList;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.jamescrm.model.AttachmentInfo;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.model.MailParty;
import org.jamescrm.model.MessageFacts;
import org.jamescrm.model.MessageHeaders;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.TextNode;

/**
 * Turns a raw RFC 5322 message into {@link MessageFacts}. Lenient by design: real mail is often
 * broken (bad encodings, unparsable addresses and dates, truncated multiparts), and a broken part
 * must cost that part, never the capture. Only I/O failures of the input stream are thrown.
 */
public final class MessageParser {
    private static final Pattern MESSAGE_ID_TOKEN = Pattern.compile("<[^<>\\s]+>");

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
        } catch (RuntimeException | org.apache.james.mime4j.MimeIOException e) {
            return unparsable(bytes);
        }
        try {
            MessageHeaders headers = headers(message);
            BodyParts body = new BodyParts();
            collect(message, body);
            Optional<String> messageId = CaptureKeys.messageId(rawField(message, "Message-ID"));
            Optional<MailParty> from = mailboxes(safely(message::getFrom)).stream().findFirst();
            String subject = headers.first("Subject").orElse("");
            String text = body.text.length() > 0 ? body.text.toString()
                : body.html.map(MessageParser::htmlToText).orElse("");
            return new MessageFacts(
                CaptureKeys.of(rawField(message, "Message-ID"), rawField(message, "From"), rawField(message, "Date"),
                    rawField(message, "Subject"), bodyBytes(bytes)),
                messageId,
                from,
                addresses(safely(message::getTo)),
                addresses(safely(message::getCc)),
                subject,
                Optional.ofNullable(safely(message::getDate)).map(Date::toInstant),
                ids(headers.first("In-Reply-To")),
                ids(headers.first("References")),
                headers,
                text,
                body.html,
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
    private static String rawField(Message message, String name) {
        Field field = message.getHeader() == null ? null : message.getHeader().getField(name);
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

    private static List<MailParty> addresses(AddressList list) {
        List<MailParty> parties = new ArrayList<>();
        if (list != null) {
            for (Address address : list) {
                if (address instanceof Mailbox mailbox) {
                    party(mailbox).ifPresent(parties::add);
                } else if (address instanceof Group group) {
                    parties.addAll(mailboxes(group.getMailboxes()));
                }
            }
        }
        return parties;
    }

    private static List<MailParty> mailboxes(MailboxList list) {
        List<MailParty> parties = new ArrayList<>();
        if (list != null) {
            for (Mailbox mailbox : list) {
                party(mailbox).ifPresent(parties::add);
            }
        }
        return parties;
    }

    private static Optional<MailParty> party(Mailbox mailbox) {
        try {
            return Optional.of(new MailParty(EmailAddress.of(mailbox.getAddress()), Optional.ofNullable(mailbox.getName())));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // an address without a domain names no CRM party
        }
    }

    private static <T> T safely(java.util.function.Supplier<T> getter) {
        try {
            return getter.get();
        } catch (RuntimeException e) {
            return null; // an unparsable field counts as absent
        }
    }

    private void collect(Entity entity, BodyParts parts) throws IOException {
        Body body = entity.getBody();
        if (body instanceof Multipart multipart) {
            for (Entity part : multipart.getBodyParts()) {
                collect(part, parts);
            }
            return;
        }
        if (body instanceof Message attached) {
            parts.attachments.add(attachment(entity, "message.eml", "message/rfc822", serialize(attached)));
            return;
        }
        boolean attachment = "attachment".equalsIgnoreCase(entity.getDispositionType()) || entity.getFilename() != null;
        String mimeType = Optional.ofNullable(entity.getMimeType()).orElse("text/plain").toLowerCase(java.util.Locale.ROOT);
        if (!attachment && body instanceof TextBody text && mimeType.equals("text/plain") && parts.text.length() == 0) {
            parts.text.append(read(text, entity.getCharset()));
        } else if (!attachment && body instanceof TextBody text && mimeType.equals("text/html") && parts.html.isEmpty()) {
            parts.html = Optional.of(read(text, entity.getCharset()));
        } else if (body instanceof SingleBody single) {
            try (InputStream in = single.getInputStream()) {
                parts.attachments.add(attachment(entity, "attachment", mimeType, in.readAllBytes()));
            }
        }
    }

    private static AttachmentInfo attachment(Entity entity, String defaultName, String mimeType, byte[] content) {
        String name = Optional.ofNullable(entity.getFilename())
            .map(value -> DecoderUtil.decodeEncodedWords(value, DecodeMonitor.SILENT))
            .orElse(defaultName);
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

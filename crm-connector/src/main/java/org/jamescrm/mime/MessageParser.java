package org.jamescrm.mime;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.apache.james.mime4j.MimeIOException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Header;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.dom.TextBody;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.message.DefaultMessageWriter;
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
import org.jamescrm.model.ParseScope;
import org.jamescrm.model.SafeHtml;

/**
 * Turns a raw RFC 5322 message into {@link MessageFacts}. Lenient by design: real mail is often
 * broken (bad encodings, unparsable addresses and dates, truncated multiparts), and a broken part
 * must cost that part, never the capture. Only I/O failures of the input stream are thrown. What it
 * returns holds no control character in header-derived text and only safe HTML ({@link SafeHtml}).
 */
public final class MessageParser {

    /**
     * The window of Date values kept (from 1970 to the end of 2999): a Date outside it is taken as
     * absent, and the CRMs show the time James received the mail. A sender may write any year; the
     * CRMs store what their date fields hold (Salesforce 1700 to 4000, MySQL-backed CRMs up to 9999,
     * none a year of five digits) and would refuse the whole capture for it.
     */
    static final Instant EARLIEST_DATE = Instant.parse("1970-01-01T00:00:00Z");
    static final Instant LATEST_DATE = Instant.parse("3000-01-01T00:00:00Z");
    /**
     * The most attachments of one mail stored with their content; the others are listed by name and size
     * as those over the size limit are. Each stored attachment is an upload to the CRM (one request each
     * for EspoCRM): a mail of thousands of small files would cost a CRM's request budget thousands.
     */
    static final int MAX_STORED_ATTACHMENTS = 100;
    /** The longest attachment file name kept whole. */
    static final int MAX_FILE_NAME = 200;
    /** What ends a text body cut at the body limit ({@code PartBodies.BODY_LIMIT}). */
    static final String TEXT_CUT = "\n\n[\u2026] The message's text is longer than 2 MB: the rest is in the mailbox.";
    /** What ends an HTML body cut at the body limit. */
    static final String HTML_CUT = "<p>[\u2026] The message's text is longer than 2 MB: the rest is in the mailbox.</p>";
    private static final Pattern BLANKS = Pattern.compile("[ \t\u00a0]+");
    private static final Pattern BLANK_AROUND_BREAK = Pattern.compile(" ?\n ?");
    private static final Pattern THREE_BREAKS_OR_MORE = Pattern.compile("\n{3,}");

    private final MimeConfig config = MimeConfig.PERMISSIVE;

    /**
     * Parses a whole message, every attachment's content kept.
     *
     * @param raw the message, headers and body, as received
     * @throws IOException when reading the stream fails
     */
    public MessageFacts parse(InputStream raw) throws IOException {
        return parse(raw, Long.MAX_VALUE);
    }

    /**
     * Parses a whole message as it streams by, reading it once: the content of an attachment over
     * {@code attachmentLimit} is counted, never held (its {@link AttachmentInfo} has its size and no
     * content); the rest of the message is never held as raw bytes, and the capture key of a message
     * without Message-ID is digested from the stream.
     *
     * @param raw             the message, headers and body, as received
     * @param attachmentLimit the most bytes of an attachment's decoded content kept
     * @throws IOException when reading the stream fails
     */
    public MessageFacts parse(InputStream raw, long attachmentLimit) throws IOException {
        return parse(raw, new ParseScope(attachmentLimit, true));
    }

    /**
     * Parses a whole message as {@link #parse(InputStream, long)} does, doing no more than
     * {@code scope} asks: without HTML in scope, the HTML body is not sanitized (nor returned) unless
     * it is all the message has for its text.
     *
     * @param raw   the message, headers and body, as received
     * @param scope what of the message is wanted
     * @throws IOException when reading the stream fails
     */
    public MessageFacts parse(InputStream raw, ParseScope scope) throws IOException {
        return parse(raw, scope, Optional.empty());
    }

    /**
     * Parses the copy of a message that {@link OmittedParts#writeWithout} wrote: as {@link #parse(InputStream, ParseScope)},
     * and each part it left out is an attachment of the size it marked, without content. The mark is
     * trusted only here: in a message as received it is dropped with the rest of the sender's fields.
     * The capture key is the message's, computed before it was copied (the copy's body is not the
     * message's, and a key digested from it would differ).
     *
     * @param copy       the copy, headers and body
     * @param scope      what of the message is wanted
     * @param captureKey the capture key of the message copied
     * @throws IOException when reading the stream fails
     */
    public MessageFacts parseCopy(InputStream copy, ParseScope scope, String captureKey) throws IOException {
        return parse(copy, scope, Optional.of(captureKey));
    }

    /** @param copyKey the capture key of the message a copy was made of; empty for a message as received */
    private MessageFacts parse(InputStream raw, ParseScope scope, Optional<String> copyKey) throws IOException {
        boolean copy = copyKey.isPresent();
        long attachmentLimit = scope.attachmentLimit();
        InputStream in = raw instanceof BufferedInputStream || raw instanceof ByteArrayInputStream ? raw : new BufferedInputStream(raw);
        byte[] headerBlock = headerBlock(in);
        PartBodies bodies = new PartBodies(attachmentLimit);
        KeyFields keyFields = new KeyFields(bodies.descriptors());
        // a copy has its key; a message as received is keyed on the fields mime4j reads and the body that follows
        KeyedBody keyed = copy ? null : new KeyedBody(in, keyFields, () -> keyFieldsApart(headerBlock));
        // a SequenceInputStream closes each stream it has read to the end: what follows reads on
        InputStream body = keyed != null ? keyed : new FilterInputStream(in) {
            @Override
            public void close() {
            }
        };
        DefaultMessageBuilder builder = new DefaultMessageBuilder();
        builder.setMimeEntityConfig(config);
        builder.setDecodeMonitor(DecodeMonitor.SILENT);
        builder.setBodyDescriptorBuilder(keyFields);
        builder.setBodyFactory(bodies);
        Message message;
        try {
            message = builder.parseMessage(new SequenceInputStream(new ByteArrayInputStream(headerBlock), body));
        } catch (RuntimeException | MimeIOException e) {
            // mime4j refusing the content, not the stream: the message gets its key all the same
            body.transferTo(OutputStream.nullOutputStream());
            return unparsable(copyKey.orElseGet(() -> keyed.key()));
        }
        try {
            body.transferTo(OutputStream.nullOutputStream()); // what mime4j left unread belongs to the digest too
            MessageHeaders headers = headers(message, copy);
            BodyParts parts = new BodyParts(attachmentLimit, copy);
            collect(message, parts, 0);
            Optional<String> messageId = CaptureKeys.messageId(keyField(message.getHeader(), "Message-ID"));
            Optional<MailParty> from = addresses(message, "From").stream().findFirst();
            String subject = headers.first("Subject").orElse("");
            boolean textPart = parts.text.length() > 0;
            // the HTML is sanitized when it is wanted, or when it is all the message has for its text
            Optional<SafeHtml> sanitized = scope.html() || !textPart ? parts.html.map(SafeHtml::sanitize) : Optional.empty();
            Optional<SafeHtml> html = scope.html() ? sanitized : Optional.empty();
            String text = textPart ? parts.text.toString() : sanitized.map(safe -> htmlToText(safe.html())).orElse("");
            return new MessageFacts(
                copyKey.orElseGet(() -> keyed.key()),
                messageId,
                from,
                addresses(message, "To"),
                addresses(message, "Cc"),
                subject,
                sentAt(message),
                ids(headers.first("In-Reply-To")),
                ids(headers.first("References")),
                headers,
                text,
                html,
                parts.attachments);
        } finally {
            message.dispose();
        }
    }

    /** A message mime4j cannot parse at all still gets its key; its content is lost. */
    private static MessageFacts unparsable(String key) {
        return new MessageFacts(key, Optional.empty(), Optional.empty(),
            List.of(), List.of(), "", Optional.empty(), List.of(), List.of(), MessageHeaders.empty(),
            "", Optional.empty(), List.of());
    }

    /**
     * The header of a message up to and including the blank line that ends it (the first LF LF or
     * LF CR LF), read off the stream: what follows is the body the capture key digests. The whole
     * message when there is no blank line.
     */
    private static byte[] headerBlock(InputStream in) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream(4096);
        int beforeLast = -1;
        int last = -1;
        int b;
        while ((b = in.read()) != -1) {
            header.write(b);
            if (b == '\n' && (last == '\n' || (last == '\r' && beforeLast == '\n'))) {
                break;
            }
            beforeLast = last;
            last = b;
        }
        return header.toByteArray();
    }

    /**
     * The capture key's fields of a header block parsed on its own, as the whole message's are; none
     * when mime4j refuses them. Only for a key mime4j's parse of the message did not settle.
     */
    private KeyFields.Values keyFieldsApart(byte[] headerBlock) {
        DefaultMessageBuilder builder = new DefaultMessageBuilder();
        builder.setMimeEntityConfig(config);
        builder.setDecodeMonitor(DecodeMonitor.SILENT);
        Header header;
        try {
            header = builder.parseHeader(new ByteArrayInputStream(headerBlock));
        } catch (IOException | RuntimeException e) {
            header = null;
        }
        return new KeyFields.Values(keyField(header, "Message-ID"), keyField(header, "From"), keyField(header, "Date"),
            keyField(header, "Subject"));
    }

    /** The message's fields, decoded; a copy's mark of a left-out body is the capture's, not the sender's. */
    private static MessageHeaders headers(Message message, boolean copy) {
        MessageHeaders.Builder headers = MessageHeaders.builder();
        if (message.getHeader() != null) {
            for (Field field : message.getHeader().getFields()) {
                if (copy && field.getName().equalsIgnoreCase(OmittedParts.FIELD)) {
                    continue;
                }
                // one character a byte, as the mail pipeline reads it: HeaderValues.decode reads 8-bit bytes
                // again once, for both (FieldText.of here would have them decoded twice)
                headers.add(field.getName(), HeaderValues.decode(FieldText.asBytes(field)));
            }
        }
        return headers.build();
    }

    /**
     * The Date field as an instant: the RFC 5322 form that nearly every mailer writes is read with
     * java.time's RFC 1123 parser; anything else (comments, obsolete zones, two-digit years) with
     * mime4j's lenient parser, which tries pattern after pattern and cost more than the rest of the
     * header together. Empty outside {@link #EARLIEST_DATE} to {@link #LATEST_DATE}.
     */
    static Optional<Instant> sentAt(Message message) {
        return parsedDate(message).filter(sent -> !sent.isBefore(EARLIEST_DATE) && sent.isBefore(LATEST_DATE));
    }

    private static Optional<Instant> parsedDate(Message message) {
        String date = rawField(message, "Date");
        if (date != null) {
            try {
                return Optional.of(java.time.ZonedDateTime.parse(CleanText.line(date).strip(), java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant());
            } catch (java.time.format.DateTimeParseException e) {
                // not the common form: mime4j's lenient parser below
            }
        }
        return Optional.ofNullable(safely(message::getDate)).map(Date::toInstant);
    }

    /**
     * The value of the first field named {@code name}, its encoded words and folds as written
     * ({@link FieldText#of}); null when absent.
     */
    private static String rawField(Entity entity, String name) {
        Field field = entity.getHeader() == null ? null : entity.getHeader().getField(name);
        return field == null ? null : FieldText.of(field);
    }

    /** The value of the first field named {@code name} as the capture key reads it ({@link FieldText#asBytes}); null when absent. */
    private static String keyField(Header header, String name) {
        Field field = header == null ? null : header.getField(name);
        return field == null ? null : FieldText.asBytes(field);
    }

    private static List<String> ids(Optional<String> value) {
        return HeaderValues.messageIds(value.orElse(null));
    }

    /** The parties of every field of that name (a mailer may repeat To or Cc). */
    private static List<MailParty> addresses(Message message, String name) {
        List<MailParty> parties = new ArrayList<>();
        if (message.getHeader() != null) {
            for (Field field : message.getHeader().getFields(name)) {
                parties.addAll(Addresses.parse(FieldText.of(field)));
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
        if (depth > MimeLimits.MAX_DEPTH) {
            return; // mime4j did not parse what is deeper (MimeLimits): no body a CRM shows
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
            Optional<Long> omitted = parts.copy ? OmittedParts.markedSize(rawField(entity, OmittedParts.FIELD)) : Optional.empty();
            if (omitted.isPresent()) {
                String type = Optional.ofNullable(entity.getMimeType()).orElse("application/octet-stream").toLowerCase(Locale.ROOT);
                String name = fileName.orElse(type.equals("message/rfc822") ? "message.eml" : "attachment");
                parts.attachments.add(new AttachmentInfo(name, type, omitted.get(), new byte[0]));
                return;
            }
            if (body instanceof Message attached) {
                parts.attachments.add(parts.attachedMessage(fileName.orElse("message.eml"), attached));
                return;
            }
            String disposition = HeaderParameters.parse(rawField(entity, "Content-Disposition")).value();
            boolean attachment = disposition.equals("attachment") || fileName(entity, "Content-Disposition", "filename").isPresent();
            String mimeType = Optional.ofNullable(entity.getMimeType()).orElse("text/plain").toLowerCase(Locale.ROOT);
            if (body instanceof PartBodies.Counted counted) {
                parts.attachments.add(new AttachmentInfo(fileName.orElse("attachment"), mimeType, counted.size(), new byte[0]));
            } else if (!attachment && body instanceof TextBody text && mimeType.equals("text/plain") && parts.text.length() == 0) {
                parts.text.append(read(text, entity.getCharset())).append(body instanceof PartBodies.Cut ? TEXT_CUT : "");
            } else if (!attachment && body instanceof TextBody text && mimeType.equals("text/html") && parts.html.isEmpty()) {
                String html = read(text, entity.getCharset());
                parts.html = Optional.of(body instanceof PartBodies.Cut ? cutHtml(html) : html);
            } else if (body instanceof PartBodies.Cut cut) {
                // an inline text part that is not the body, over the body limit: listed, as an attachment over its limit
                parts.attachments.add(new AttachmentInfo(fileName.orElse("attachment"), mimeType, cut.size(), new byte[0]));
            } else if (body instanceof PartBodies.Kept kept) {
                parts.attachments.add(parts.attachment(fileName.orElse("attachment"), mimeType, kept.bytes()));
            } else if (body instanceof SingleBody single) {
                try (InputStream in = single.getInputStream()) {
                    parts.attachments.add(parts.attachment(fileName.orElse("attachment"), mimeType, in.readAllBytes()));
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
     * writes the file somewhere. At most {@link #MAX_FILE_NAME} characters ({@link #shortened}).
     */
    private static Optional<String> fileName(Entity entity, String field, String parameter) {
        return HeaderParameters.parse(rawField(entity, field)).get(parameter)
            .map(CleanText::line)
            .map(name -> name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1).strip())
            .filter(name -> !name.isEmpty() && !name.equals(".") && !name.equals(".."))
            .map(MessageParser::shortened);
    }

    /**
     * A file name cut to {@link #MAX_FILE_NAME} characters, its extension kept and the cut marked with an
     * ellipsis. RFC 2231 lets a name run to any length; name fields commonly hold 255 characters
     * (EspoCRM's Attachment name is a varchar of that length), and file systems 255 bytes.
     */
    static String shortened(String name) {
        if (name.length() <= MAX_FILE_NAME) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String extension = dot > 0 && name.length() - dot <= 16 ? name.substring(dot) : "";
        return name.substring(0, MAX_FILE_NAME - 1 - extension.length()) + "\u2026" + extension;
    }

    /** The head of an HTML body over the body limit, without the tag it ends inside (if it does), and the note. */
    private static String cutHtml(String head) {
        int open = head.lastIndexOf('<');
        return (open > head.lastIndexOf('>') ? head.substring(0, open) : head) + HTML_CUT;
    }

    private static String read(TextBody body, String declaredCharset) throws IOException {
        if (body instanceof PartBodies.Held held) {
            return BodyText.decode(held.bytes(), declaredCharset); // decoded from what the parser keeps, not copied first
        }
        try (InputStream in = body.getInputStream()) {
            return BodyText.decode(in.readAllBytes(), declaredCharset);
        }
    }

    /** Plain text of an HTML-only message, for the text view of the activity; line breaks kept. */
    static String htmlToText(String html) {
        Document document = Jsoup.parse(html);
        // wholeText() already renders <br> as a line break; block ends need one
        document.select("p, div, tr, li, h1, h2, h3, h4, h5, h6, blockquote").forEach(element -> element.after(new TextNode("\n")));
        String text = BLANKS.matcher(document.body().wholeText()).replaceAll(" ");
        text = BLANK_AROUND_BREAK.matcher(text).replaceAll("\n");
        return THREE_BREAKS_OR_MORE.matcher(text).replaceAll("\n\n").strip();
    }

    /** The parts of a body, filled while walking the MIME tree. */
    private static final class BodyParts {
        private final long limit;
        /** Whether the message is a copy whose left-out parts are marked. */
        private final boolean copy;
        private final StringBuilder text = new StringBuilder();
        private Optional<String> html = Optional.empty();
        private final List<AttachmentInfo> attachments = new ArrayList<>();
        /** The attachments kept with their content so far. */
        private int stored;

        BodyParts(long limit, boolean copy) {
            this.limit = limit;
            this.copy = copy;
        }

        /** An attachment read in full; its content dropped when over the limit, or past the most stored. */
        AttachmentInfo attachment(String name, String mimeType, byte[] content) {
            boolean keep = content.length <= limit && stored < MAX_STORED_ATTACHMENTS;
            stored += keep ? 1 : 0;
            return new AttachmentInfo(name, mimeType, content.length, keep ? content : new byte[0]);
        }

        /** An attached message, written again as it came; counted only when over the limit, or past the most stored. */
        AttachmentInfo attachedMessage(String name, Message message) throws IOException {
            LimitedOutput out = new LimitedOutput(stored < MAX_STORED_ATTACHMENTS ? limit : 0);
            new DefaultMessageWriter().writeMessage(message, out);
            AttachmentInfo attached = new AttachmentInfo(name, "message/rfc822", out.size, out.kept());
            stored += attached.hasContent() ? 1 : 0;
            return attached;
        }
    }

    /** Keeps what is written up to a limit; past it, only counts. */
    private static final class LimitedOutput extends OutputStream {
        private final long limit;
        private ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private long size;

        LimitedOutput(long limit) {
            this.limit = limit;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            size += length;
            if (size > limit) {
                kept = null;
            } else {
                kept.write(bytes, offset, length);
            }
        }

        byte[] kept() {
            return kept == null ? new byte[0] : kept.toByteArray();
        }
    }

}

package org.jamescrm.mime;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.dom.BinaryBody;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.dom.TextBody;
import org.apache.james.mime4j.field.LenientFieldParser;
import org.apache.james.mime4j.message.BodyFactory;
import org.apache.james.mime4j.message.DefaultBodyDescriptorBuilder;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.BodyDescriptorBuilder;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.RawField;

/**
 * How the parser keeps the bodies of a message's parts while mime4j streams it: the text of parts
 * that may be the message's text or HTML body is kept whole; the content of any other part (an
 * attachment) is kept only up to the attachment limit. A part over the limit is counted as it
 * streams by and never held (at most {@link #SPILL} bytes of it are in memory at a time, the rest in
 * a temporary file until it passes the limit): it becomes a {@link Counted} body that knows its size
 * only. A part within it is read once into the array the attachment keeps ({@link Kept}).
 *
 * <p>mime4j hands a body to the factory without its header; the descriptor builder, which sees
 * each part's fields just before its body, tells the factory whether the part is an attachment.
 */
final class PartBodies implements BodyFactory {
    private static final int CHUNK = 8192;
    /** The most bytes of a part held in memory while it is read; the rest waits in a temporary file. */
    static final int SPILL = 1024 * 1024;
    /**
     * The most bytes kept of a text part that may be the message's text or HTML body (decoded): more
     * than a CRM shows, and a bound on the heap a mail costs. A 30 MB HTML body, read whole, sanitized
     * and turned into text, cost 644 MB of allocation; such a part is cut here ({@link Cut}).
     */
    static final int BODY_LIMIT = 2 * 1024 * 1024;

    private final long limit;
    /** Whether the part whose body comes next is an attachment, as its fields say. */
    private boolean attachment;

    /** @param limit the most bytes of an attachment's (decoded) content kept */
    PartBodies(long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("an attachment limit is at least 0 bytes, not " + limit);
        }
        this.limit = limit;
    }

    /** The descriptor builder that tells this factory about each part (mime4j's own, lenient, watched, kept bounded). */
    BodyDescriptorBuilder descriptors() {
        return new Watching(new MimeLimits(new DefaultBodyDescriptorBuilder(null, LenientFieldParser.getParser(), DecodeMonitor.SILENT)));
    }

    /** Whether a Content-Disposition field makes its part an attachment: {@code attachment}, or a file name. */
    static boolean attachmentDisposition(String fieldBody) {
        HeaderParameters parameters = HeaderParameters.parse(fieldBody);
        return parameters.value().toLowerCase(Locale.ROOT).equals("attachment") || parameters.get("filename").isPresent();
    }

    /**
     * Whether a part's content is kept whole whatever its size: a text part that is not an attachment
     * may be the message's text or HTML body (mime4j gives every {@code text/*} part a text body).
     */
    static boolean keptWhole(String mimeType, boolean attachment) {
        return !attachment && mimeType != null && mimeType.toLowerCase(Locale.ROOT).startsWith("text/");
    }

    @Override
    public BinaryBody binaryBody(InputStream in) throws IOException {
        Content content = read(in);
        return content.bytes == null ? new CountedBinary(content.size) : new KeptBinary(content.bytes);
    }

    @Override
    public TextBody textBody(InputStream in, String mimeCharset) throws IOException {
        if (!attachment) {
            // may be the text or HTML body: kept whole up to the body limit, the rest only counted
            byte[] head = in.readNBytes(BODY_LIMIT);
            if (head.length < BODY_LIMIT || in.read() == -1) {
                return new KeptText(head, mimeCharset);
            }
            return new CutText(head, head.length + 1 + in.transferTo(OutputStream.nullOutputStream()), mimeCharset);
        }
        Content content = read(in);
        return content.bytes == null ? new CountedText(content.size, mimeCharset) : new KeptText(content.bytes, mimeCharset);
    }

    /**
     * Reads a part's content: the bytes when within the limit, else only their number. The first
     * {@link #SPILL} bytes are held in memory, the rest goes to a temporary file until the part ends
     * or passes the limit: a part over the limit never has more than that in the heap, and one within
     * it is read into its array once, at its end.
     */
    private Content read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream((int) Math.min(CHUNK, Math.max(1, limit)));
        byte[] chunk = new byte[CHUNK];
        long size = 0;
        Path spilled = null;
        OutputStream tail = null;
        try {
            int read;
            while ((read = in.read(chunk)) != -1) {
                size += read;
                if (size > limit) {
                    return new Content(null, size + in.transferTo(OutputStream.nullOutputStream())); // counted, never kept
                }
                if (tail == null && size > SPILL) {
                    spilled = Files.createTempFile("crm-capture-part-", ".bin");
                    tail = new BufferedOutputStream(Files.newOutputStream(spilled));
                }
                (tail == null ? head : tail).write(chunk, 0, read);
            }
            if (tail == null) {
                return new Content(head.toByteArray(), size);
            }
            tail.close();
            tail = null;
            byte[] bytes = new byte[(int) size];
            int headSize = head.size();
            System.arraycopy(head.toByteArray(), 0, bytes, 0, headSize);
            try (InputStream rest = Files.newInputStream(spilled)) {
                rest.readNBytes(bytes, headSize, bytes.length - headSize);
            }
            return new Content(bytes, size);
        } finally {
            if (tail != null) {
                tail.close();
            }
            if (spilled != null) {
                Files.deleteIfExists(spilled);
            }
        }
    }

    private record Content(byte[] bytes, long size) {
    }

    /** A body whose bytes are in memory, read once: all of them ({@link Kept}) or the first ({@link Cut}). */
    interface Held {
        byte[] bytes();
    }

    /** A body whose content was kept whole. */
    interface Kept extends Held {
    }

    /** A body over the attachment limit: its size only. */
    interface Counted {
        long size();
    }

    /** A text part over {@link #BODY_LIMIT}: its first {@link #BODY_LIMIT} bytes ({@link #bytes}) and its whole size. */
    interface Cut extends Held {
        long size();
    }

    private static final class KeptBinary extends BinaryBody implements Kept {
        private final byte[] bytes;

        KeptBinary(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public byte[] bytes() {
            return bytes;
        }

        @Override
        public InputStream getInputStream() {
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public long size() {
            return bytes.length;
        }
    }

    /** A text part's body in its declared charset, read through its input stream. */
    private abstract static class CharsetText extends TextBody {
        private final String mimeCharset;

        CharsetText(String mimeCharset) {
            this.mimeCharset = mimeCharset;
        }

        @Override
        public String getMimeCharset() {
            return mimeCharset;
        }

        @Override
        public Charset getCharset() {
            return BodyText.declared(mimeCharset);
        }

        @Override
        public Reader getReader() throws IOException {
            return new InputStreamReader(getInputStream(), getCharset());
        }
    }

    /** A text part's bytes in memory, and the size of the whole part. */
    private abstract static class HeldText extends CharsetText implements Held {
        private final byte[] bytes;
        private final long size;

        HeldText(byte[] bytes, long size, String mimeCharset) {
            super(mimeCharset);
            this.bytes = bytes;
            this.size = size;
        }

        @Override
        public byte[] bytes() {
            return bytes;
        }

        @Override
        public InputStream getInputStream() {
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public long size() {
            return size;
        }
    }

    private static final class KeptText extends HeldText implements Kept {
        KeptText(byte[] bytes, String mimeCharset) {
            super(bytes, bytes.length, mimeCharset);
        }
    }

    private static final class CutText extends HeldText implements Cut {
        CutText(byte[] head, long size, String mimeCharset) {
            super(head, size, mimeCharset);
        }
    }

    /**
     * Stands for the content when the message is written again (an attached message): as many
     * zero bytes as the part had, so that the writer counts the right size; the content is gone.
     */
    private static InputStream zeros(long size) {
        return new InputStream() {
            private long left = size;

            @Override
            public int read() {
                if (left <= 0) {
                    return -1;
                }
                left--;
                return 0;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(length, left);
                java.util.Arrays.fill(buffer, offset, offset + n, (byte) 0);
                left -= n;
                return n;
            }
        };
    }

    private static final class CountedBinary extends BinaryBody implements Counted {
        private final long size;

        CountedBinary(long size) {
            this.size = size;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public InputStream getInputStream() {
            return zeros(size);
        }
    }

    private static final class CountedText extends CharsetText implements Counted {
        private final long size;

        CountedText(long size, String mimeCharset) {
            super(mimeCharset);
            this.size = size;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public InputStream getInputStream() {
            return zeros(size);
        }

    }

    /** mime4j's descriptor builder, watched for the fields that make a part an attachment. */
    private final class Watching implements BodyDescriptorBuilder {
        private final BodyDescriptorBuilder builder;
        private boolean isAttachment;

        Watching(BodyDescriptorBuilder builder) {
            this.builder = builder;
        }

        @Override
        public void reset() {
            builder.reset();
            isAttachment = false;
        }

        @Override
        public Field addField(RawField field) throws MimeException {
            if (field.getName().equalsIgnoreCase("Content-Disposition")) {
                isAttachment |= attachmentDisposition(field.getBody());
            }
            return builder.addField(field);
        }

        @Override
        public BodyDescriptor build() {
            attachment = isAttachment; // the part whose body comes next
            return builder.build();
        }

        @Override
        public BodyDescriptorBuilder newChild() {
            return new Watching(builder.newChild());
        }
    }
}

package org.jamescrm.mime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.field.LenientFieldParser;
import org.apache.james.mime4j.message.DefaultBodyDescriptorBuilder;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.RecursionMode;

/**
 * The parts of a message the capture will not store: attachments whose decoded content is over the
 * mailbox's attachment limit. The capture queue keeps a copy of the message without them
 * ({@link #writeWithout}), so that a large mail waiting for the CRM holds only what will be stored;
 * each left-out part keeps its header, gets an empty body and a {@value #FIELD} field with its decoded
 * size, which {@link MessageParser#parseCopy} lists as an attachment of that size without content.
 *
 * <p>Both passes stream the message and hold no part: {@link #find} counts each part's decoded
 * bytes, {@link #writeWithout} copies the message's raw bytes but the left-out bodies. Which parts
 * count as attachments is the parser's rule ({@link PartBodies#keptWhole}): a text part that is not
 * an attachment may be the message's body and is never left out. An attached message is one part.
 */
public final class OmittedParts {
    /** The field that marks a left-out part in a copy, with its decoded size in bytes. */
    public static final String FIELD = "X-Crm-Capture-Omitted-Size";

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] DASHES = {'-', '-'};

    /** The decoded sizes of the left-out parts, by their place among the message's leaf parts. */
    private final Map<Integer, Long> sizes;

    private OmittedParts(Map<Integer, Long> sizes) {
        this.sizes = sizes;
    }

    /**
     * The parts of a message over {@code limit}.
     *
     * @param raw   the message as received; read to its end, not closed
     * @param limit the most bytes of an attachment the capture stores
     * @throws IOException when reading fails or mime4j cannot follow the message's structure
     */
    public static OmittedParts find(InputStream raw, long limit) throws IOException {
        Map<Integer, Long> sizes = new TreeMap<>();
        walk(raw, (leaf, attachment, tokens) -> {
            if (!PartBodies.keptWhole(tokens.getBodyDescriptor().getMimeType(), attachment)) {
                long size = count(tokens.getDecodedInputStream());
                if (size > limit) {
                    sizes.put(leaf, size);
                }
            }
        }, null);
        return new OmittedParts(Map.copyOf(sizes));
    }

    /** Whether no part is left out: the message itself is what the capture needs. */
    public boolean none() {
        return sizes.isEmpty();
    }

    /** How many parts are left out. */
    public int count() {
        return sizes.size();
    }

    /** The bytes the left-out parts would have held, decoded. */
    public long bytes() {
        return sizes.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Writes the message without the left-out parts: the same header fields, boundaries, preambles
     * and bodies, byte for byte except the line ends around the boundaries (CRLF), which do not change
     * what the message means. A {@value #FIELD} field the message itself carried is dropped, so that a
     * sender cannot pass a part off as left out.
     *
     * @param raw the same message {@link #find} read; read to its end, not closed
     * @param out where the copy goes; not closed
     */
    public void writeWithout(InputStream raw, OutputStream out) throws IOException {
        walk(raw, (leaf, attachment, tokens) -> {
            if (!sizes.containsKey(leaf)) {
                tokens.getInputStream().transferTo(out);
            }
        }, new Writer(out));
    }

    /** The decoded size a copy's part carries in its {@value #FIELD} field, if it is a valid one. */
    static Optional<Long> markedSize(String fieldBody) {
        if (fieldBody == null) {
            return Optional.empty();
        }
        try {
            long size = Long.parseLong(fieldBody.strip());
            return size < 0 ? Optional.empty() : Optional.of(size);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static long count(InputStream in) throws IOException {
        return in.transferTo(OutputStream.nullOutputStream());
    }

    /** What is done with the body of each leaf part, numbered in message order. */
    private interface Leaves {
        void body(int leaf, boolean attachment, MimeTokenStream tokens) throws IOException;
    }

    /**
     * Streams the message's tokens: attached messages are not entered (one part each), every leaf's
     * body goes to {@code leaves}, and the structure around them to {@code writer} when there is one.
     */
    private static void walk(InputStream raw, Leaves leaves, Writer writer) throws IOException {
        MimeTokenStream tokens = new MimeTokenStream(MimeConfig.PERMISSIVE, DecodeMonitor.SILENT,
            new MimeLimits(new DefaultBodyDescriptorBuilder(null, LenientFieldParser.getParser(), DecodeMonitor.SILENT)));
        tokens.setRecursionMode(RecursionMode.M_NO_RECURSE);
        tokens.parse(raw);
        int leaf = 0;
        boolean attachment = false;
        try {
            for (EntityState state = tokens.getState(); state != EntityState.T_END_OF_STREAM; state = tokens.next()) {
                switch (state) {
                    case T_START_HEADER -> attachment = false;
                    case T_FIELD -> {
                        Field field = tokens.getField();
                        if (field.getName().equalsIgnoreCase("Content-Disposition")) {
                            attachment |= PartBodies.attachmentDisposition(field.getBody());
                        }
                        if (writer != null) {
                            writer.field(field);
                        }
                    }
                    case T_BODY -> {
                        if (writer != null) {
                            writer.endHeader(leaf);
                        }
                        leaves.body(leaf++, attachment, tokens);
                    }
                    default -> {
                        if (writer != null) {
                            writer.structure(state, tokens);
                        }
                    }
                }
            }
        } catch (MimeException e) {
            throw new IOException("the message's structure cannot be followed: " + e.getMessage(), e);
        }
        if (writer != null) {
            writer.end();
        }
    }

    /** Writes what surrounds the bodies: header fields, the blank line, boundaries, preambles, epilogues. */
    private final class Writer {
        private final OutputStream out;
        private final Deque<Multipart> multiparts = new ArrayDeque<>();

        Writer(OutputStream out) {
            this.out = out;
        }

        void field(Field field) throws IOException {
            if (field.getName().equalsIgnoreCase(FIELD)) {
                return;
            }
            if (field.getRaw() != null) {
                out.write(field.getRaw().toByteArray());
            } else {
                out.write((field.getName() + ": " + field.getBody()).getBytes(StandardCharsets.UTF_8));
            }
            out.write(CRLF);
        }

        /** The end of a leaf's header: the size field of a left-out part, then the blank line. */
        void endHeader(int leaf) throws IOException {
            Long size = sizes.get(leaf);
            if (size != null) {
                out.write((FIELD + ": " + size).getBytes(StandardCharsets.US_ASCII));
                out.write(CRLF);
            }
            out.write(CRLF);
        }

        void structure(EntityState state, MimeTokenStream tokens) throws IOException {
            switch (state) {
                case T_START_MULTIPART -> {
                    out.write(CRLF); // the blank line that ends the multipart's header
                    multiparts.push(new Multipart(tokens.getBodyDescriptor().getBoundary()));
                }
                case T_PREAMBLE -> multiparts.element().preamble = tokens.getInputStream().transferTo(out) > 0;
                case T_START_BODYPART -> {
                    Multipart multipart = multiparts.element();
                    if (multipart.parts++ > 0 || multipart.preamble) {
                        out.write(CRLF); // the line end before a delimiter belongs to the delimiter
                    }
                    delimiter(multipart, false);
                }
                case T_EPILOGUE -> {
                    close(multiparts.element());
                    tokens.getInputStream().transferTo(out);
                }
                case T_END_MULTIPART -> close(multiparts.pop());
                default -> {
                    // message and body part boundaries carry no bytes of their own
                }
            }
        }

        private void close(Multipart multipart) throws IOException {
            if (!multipart.closed) {
                multipart.closed = true;
                if (multipart.parts > 0 || multipart.preamble) {
                    out.write(CRLF);
                }
                delimiter(multipart, true);
            }
        }

        private void delimiter(Multipart multipart, boolean last) throws IOException {
            out.write(DASHES);
            out.write(multipart.boundary.getBytes(StandardCharsets.US_ASCII));
            if (last) {
                out.write(DASHES);
            }
            out.write(CRLF);
        }

        void end() throws IOException {
            while (!multiparts.isEmpty()) {
                close(multiparts.pop());
            }
            out.flush();
        }
    }

    /** A multipart being written. */
    private static final class Multipart {
        private final String boundary;
        private int parts;
        private boolean preamble;
        private boolean closed;

        Multipart(String boundary) {
            this.boundary = boundary == null ? "" : boundary;
        }
    }

    @Override
    public String toString() {
        return count() + " part(s) of " + bytes() + " bytes left out";
    }
}

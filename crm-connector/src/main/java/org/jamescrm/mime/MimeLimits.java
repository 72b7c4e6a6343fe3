package org.jamescrm.mime;

import java.util.Locale;
import java.util.Set;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.BodyDescriptorBuilder;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.RawField;

/**
 * Keeps mime4j's work on a hostile message bounded. Wraps the descriptor builder mime4j is given,
 * which sees every part's fields before mime4j parses them, and is asked for a child builder per part.
 * <ul>
 * <li><b>Nesting.</b> mime4j reads a nested part through one stream per level around it, each reading
 *     from the one outside, so every read recurses as deep as the part is nested: a few thousand nested
 *     multiparts (a few hundred kilobytes) overflow a thread's stack. Past {@link #MAX_DEPTH} levels, a
 *     multipart or an attached message is presented to mime4j as one opaque part
 *     ({@code application/octet-stream}) whose body streams by like an attachment's: nothing below it
 *     is parsed, nothing above it is lost. No real mail nests that deep.</li>
 * <li><b>Long Content-Type fields.</b> mime4j's parameter parser copies the rest of the field for each
 *     parameter, so its time grows with the square of the field's length (seconds for a field of a
 *     few hundred kilobytes). A Content-Type field over {@link #LONG_FIELD} characters is handed to
 *     mime4j with only the parameters mime4j and the parser read ({@link #PARAMETERS_READ}).</li>
 * </ul>
 */
final class MimeLimits implements BodyDescriptorBuilder {
    /** The deepest level of parts parsed: the message is level 0, its parts 1, theirs 2, ... */
    static final int MAX_DEPTH = 64;
    /** Content-Type fields longer than this keep only {@link #PARAMETERS_READ}; real ones are far shorter. */
    static final int LONG_FIELD = 2000;
    /** The Content-Type parameters anything reads: the boundary, the charset, the file name, flowed text's two. */
    static final Set<String> PARAMETERS_READ = Set.of("boundary", "charset", "name", "format", "delsp");

    private final BodyDescriptorBuilder builder;
    private final int depth;

    /** @param builder the descriptor builder mime4j would have been given, for the message itself */
    MimeLimits(BodyDescriptorBuilder builder) {
        this(builder, 0);
    }

    private MimeLimits(BodyDescriptorBuilder builder, int depth) {
        this.builder = builder;
        this.depth = depth;
    }

    @Override
    public void reset() {
        builder.reset();
    }

    @Override
    public Field addField(RawField field) throws MimeException {
        if (field.getBody().length() > LONG_FIELD && field.getName().equalsIgnoreCase("Content-Type")) {
            return builder.addField(new RawField(field.getName(), HeaderParameters.parse(field.getBody()).withOnly(PARAMETERS_READ)));
        }
        return builder.addField(field);
    }

    @Override
    public BodyDescriptor build() {
        BodyDescriptor descriptor = builder.build();
        return depth > MAX_DEPTH && nests(descriptor.getMimeType()) ? new Opaque(descriptor) : descriptor;
    }

    @Override
    public BodyDescriptorBuilder newChild() {
        return new MimeLimits(builder.newChild(), depth + 1);
    }

    /** Whether mime4j would parse parts inside a part of this type: multiparts and attached messages. */
    private static boolean nests(String mimeType) {
        String type = mimeType == null ? "" : mimeType.toLowerCase(Locale.ROOT);
        return type.startsWith("multipart/") || type.startsWith("message/");
    }

    /** A part mime4j takes for a leaf with a body of bytes, whatever its header declares. */
    private record Opaque(BodyDescriptor declared) implements BodyDescriptor {
        @Override
        public String getBoundary() {
            return null;
        }

        @Override
        public String getMimeType() {
            return "application/octet-stream";
        }

        @Override
        public String getMediaType() {
            return "application";
        }

        @Override
        public String getSubType() {
            return "octet-stream";
        }

        @Override
        public String getCharset() {
            return declared.getCharset();
        }

        @Override
        public String getTransferEncoding() {
            return declared.getTransferEncoding();
        }

        @Override
        public long getContentLength() {
            return declared.getContentLength();
        }
    }
}

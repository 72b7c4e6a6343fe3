package org.jamescrm.mime;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The body of a message (what follows its header's blank line) as mime4j reads it, digested for the
 * capture key when the message has no Message-ID (capture-rules §6), never held. Which key it is,
 * is settled at the body's first read: mime4j has read the message's header by then, and
 * {@link KeyFields} has its fields, so the header is parsed once. When it has not (a message without
 * a blank line is all header, and its body is empty), the header block is parsed on its own for them.
 * Closing does nothing: the stream it reads is not its own.
 */
final class KeyedBody extends FilterInputStream {
    private final KeyFields fields;
    private final Supplier<KeyFields.Values> headerApart;
    private boolean settled;
    private Optional<String> messageId = Optional.empty();
    private MessageDigest digest;

    /**
     * @param in          the message's stream, at the first byte after the header block
     * @param fields      the message's fields, as mime4j reads them
     * @param headerApart the fields of the header block parsed on its own, for when mime4j has not read it first
     */
    KeyedBody(InputStream in, KeyFields fields, Supplier<KeyFields.Values> headerApart) {
        super(in);
        this.fields = fields;
        this.headerApart = headerApart;
    }

    /** The capture key: the Message-ID, or the digest of the fields and of the body read so far (all of it, once read to its end). */
    String key() {
        settle();
        return messageId.orElseGet(() -> CaptureKeys.key(digest));
    }

    private void settle() {
        if (settled) {
            return;
        }
        settled = true;
        KeyFields.Values values = fields.ended() ? fields.values() : headerApart.get();
        messageId = CaptureKeys.messageId(values.messageId());
        digest = messageId.isPresent() ? null : CaptureKeys.digestOf(values.from(), values.date(), values.subject());
    }

    @Override
    public int read() throws IOException {
        settle();
        int b = in.read();
        if (b >= 0 && digest != null) {
            digest.update((byte) b);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        settle();
        int read = in.read(buffer, offset, length);
        if (read > 0 && digest != null) {
            digest.update(buffer, offset, read);
        }
        return read;
    }

    /** Skipped bytes are read: they belong to the digest too. */
    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[(int) Math.min(8192, Math.max(n, 0))];
        long skipped = 0;
        while (skipped < n) {
            int read = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (read < 0) {
                break;
            }
            skipped += read;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void close() {
        // the message's stream is the caller's; a SequenceInputStream closes what it has read to its end
    }
}

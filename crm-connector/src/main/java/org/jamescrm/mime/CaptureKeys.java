package org.jamescrm.mime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The key under which a message is captured once (capture-rules §6): its Message-ID, or, when it has
 * none, a SHA-256 digest of the From, Date and Subject fields and the body, so every copy and every
 * retry of the same message gets the same key. It works on the raw field values, so that the mail
 * pipeline (jakarta.mail headers) and the capture queue (parsed message) compute the same key.
 */
public final class CaptureKeys {
    private static final String DIGEST_PREFIX = "digest:";
    private static final Pattern MESSAGE_ID = Pattern.compile("<[^<>\\s]+>");

    private CaptureKeys() {
    }

    /**
     * The key of a message.
     *
     * @param messageIdField the raw Message-ID field value, null when absent
     * @param fromField      the raw From field value, null when absent
     * @param dateField      the raw Date field value, null when absent
     * @param subjectField   the raw Subject field value, null when absent
     * @param body           the raw body bytes, as after the header's blank line
     */
    public static String of(String messageIdField, String fromField, String dateField, String subjectField, byte[] body) {
        Optional<String> id = messageId(messageIdField);
        if (id.isPresent()) {
            return id.get();
        }
        MessageDigest digest = digestOf(fromField, dateField, subjectField);
        digest.update(body);
        return key(digest);
    }

    /**
     * The key of a message whose body is read from a stream, never held: {@link #of} for a body
     * that would not fit in memory. The stream is read to its end only when the message has no
     * Message-ID.
     */
    public static String of(String messageIdField, String fromField, String dateField, String subjectField, InputStream body)
        throws IOException {
        Optional<String> id = messageId(messageIdField);
        if (id.isPresent()) {
            return id.get();
        }
        MessageDigest digest = digestOf(fromField, dateField, subjectField);
        try (DigestInputStream digesting = new DigestInputStream(body, digest)) {
            digesting.transferTo(OutputStream.nullOutputStream());
        }
        return key(digest);
    }

    /**
     * The digest of a message without Message-ID after its From, Date and Subject fields: the body
     * is added to it as it streams by, and {@link #key} makes the key of it.
     */
    public static MessageDigest digestOf(String fromField, String dateField, String subjectField) {
        MessageDigest digest = HeaderValues.sha256();
        for (String field : new String[] {fromField, dateField, subjectField}) {
            digest.update(normalize(field).getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
        }
        return digest;
    }

    /** The key of a digest made by {@link #digestOf}, its body added. */
    public static String key(MessageDigest digest) {
        return DIGEST_PREFIX + HexFormat.of().formatHex(digest.digest());
    }

    /**
     * The message id of a raw Message-ID field: its first {@code <...>} token, or the whole value in
     * angle brackets when a broken mailer left them out, {@link HeaderValues#boundedMessageId bounded};
     * empty for an absent or blank field.
     */
    public static Optional<String> messageId(String field) {
        if (field == null) {
            return Optional.empty();
        }
        String value = normalize(field);
        Matcher matcher = MESSAGE_ID.matcher(value);
        if (matcher.find()) {
            return Optional.of(HeaderValues.boundedMessageId(matcher.group()));
        }
        return value.isEmpty() || value.contains(" ") ? Optional.empty() : Optional.of(HeaderValues.boundedMessageId("<" + value + ">"));
    }

    /** Unfolded and trimmed; absent fields count as empty. */
    private static String normalize(String field) {
        return field == null ? "" : HeaderValues.withoutLineBreaks(field).strip();
    }
}

package org.jamescrm.mime;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.BodyDescriptorBuilder;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.RawField;

/**
 * The fields of a message's own header that its capture key is made of (Message-ID, From, Date,
 * Subject), taken as mime4j reads them, so that the header is parsed once: the first field of each
 * name, one character a byte as the mail pipeline reads it ({@link FieldText#asBytes}). The parts'
 * headers are not watched. Wraps the descriptor builder mime4j is given, and knows when the header
 * ended (mime4j builds the message's descriptor then, before it reads the body).
 */
final class KeyFields implements BodyDescriptorBuilder {
    private final BodyDescriptorBuilder builder;
    private String messageId;
    private String from;
    private String date;
    private String subject;
    private boolean ended;

    /** @param builder the descriptor builder mime4j would have been given */
    KeyFields(BodyDescriptorBuilder builder) {
        this.builder = builder;
    }

    /**
     * The raw values of the fields a capture key is made of; each null when absent.
     *
     * @param messageId the Message-ID field
     * @param from      the From field
     * @param date      the Date field
     * @param subject   the Subject field
     */
    record Values(String messageId, String from, String date, String subject) {
    }

    /** Whether the message's header has been read to its end, so that the fields are all there are. */
    boolean ended() {
        return ended;
    }

    /** The fields read so far: all of them once {@link #ended}. */
    Values values() {
        return new Values(messageId, from, date, subject);
    }

    @Override
    public void reset() {
        builder.reset();
        messageId = null;
        from = null;
        date = null;
        subject = null;
        ended = false;
    }

    @Override
    public Field addField(RawField field) throws MimeException {
        if (!ended) {
            String name = field.getName();
            if (messageId == null && name.equalsIgnoreCase("Message-ID")) {
                messageId = FieldText.asBytes(field);
            } else if (from == null && name.equalsIgnoreCase("From")) {
                from = FieldText.asBytes(field);
            } else if (date == null && name.equalsIgnoreCase("Date")) {
                date = FieldText.asBytes(field);
            } else if (subject == null && name.equalsIgnoreCase("Subject")) {
                subject = FieldText.asBytes(field);
            }
        }
        return builder.addField(field);
    }

    @Override
    public BodyDescriptor build() {
        ended = true;
        return builder.build();
    }

    @Override
    public BodyDescriptorBuilder newChild() {
        return builder.newChild(); // a part's header is not the message's
    }
}

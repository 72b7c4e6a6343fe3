package org.jamescrm.model;

import java.util.Objects;

/**
 * An attachment of a captured message. {@code content} is empty when the attachment is over the
 * mailbox's size limit or the body mode stores no attachments: the CRM then only lists its name and size.
 * The file name and content type are clean lines ({@link CleanText#line}): they come from header fields.
 */
public record AttachmentInfo(String fileName, String contentType, long size, byte[] content) {

    public AttachmentInfo {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(content, "content");
        fileName = CleanText.line(fileName);
        contentType = CleanText.line(contentType);
    }

    /** Whether the content was kept (within the size limit). */
    public boolean hasContent() {
        return content.length > 0 || size == 0;
    }

    /** The same attachment listed by name and size only. */
    public AttachmentInfo withoutContent() {
        return new AttachmentInfo(fileName, contentType, size, new byte[0]);
    }
}

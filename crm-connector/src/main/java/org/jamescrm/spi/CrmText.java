package org.jamescrm.spi;

import java.util.List;
import java.util.stream.Collectors;

import org.jamescrm.model.AttachmentInfo;
import org.jamescrm.model.SafeHtml;

/** The texts connectors write the same way whatever the CRM: a value cut to a field's length, an e-mail's body. */
public final class CrmText {
    /** What marks a value cut to a CRM field's length. */
    public static final String CUT = "\u2026";

    private CrmText() {
    }

    /** {@code value} cut to {@code length} characters, the cut marked with an ellipsis: never refused for its length. */
    public static String truncate(String value, int length) {
        return value.length() <= length ? value : value.substring(0, length - 1) + CUT;
    }

    /**
     * An e-mail's body as a CRM stores it.
     *
     * @param html    whether {@code content} is HTML
     * @param content the sanitized HTML body, or the text body, with the attachments not stored listed by name and size
     */
    public record Body(boolean html, String content) {
    }

    /** The body of {@code activity}: its HTML (sanitized by the core's one policy) when it has one, else its text. */
    public static Body body(NewEmailActivity activity) {
        List<AttachmentInfo> listed = activity.attachments().stream().filter(attachment -> !attachment.hasContent()).toList();
        String list = listed.stream().map(attachment -> attachment.fileName() + " (" + attachment.size() + " bytes)")
            .collect(Collectors.joining("\n"));
        if (activity.htmlBody().isPresent()) {
            String html = activity.htmlBody().get().html();
            if (!listed.isEmpty()) {
                html += "<p>Attachments not stored:<br>" + SafeHtml.escape(list).replace("\n", "<br>") + "</p>";
            }
            return new Body(true, html);
        }
        return new Body(false, activity.textBody() + (listed.isEmpty() ? "" : "\n\nAttachments not stored:\n" + list));
    }
}

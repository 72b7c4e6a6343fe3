package org.jamescrm.model;

import java.util.Locale;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Entities;
import org.jsoup.safety.Safelist;

/**
 * The one HTML policy of the core: what of a mail's HTML may reach a CRM, which shows it to its users.
 * An allow-list (jsoup's relaxed list, nothing executable): formatting, tables, lists and images; no
 * script, style, frame, object, form, meta or base element, no event handler, no {@code style}
 * attribute (it can carry {@code expression()} and {@code url(javascript:...)}); links only to
 * http, https and mailto, images only from http, https, {@code cid:} (parts of the mail) and
 * {@code data:image/...} other than SVG, and no control character but line breaks and tabs
 * ({@link CleanText#body}).
 *
 * <p>A value of this type is HTML that passed the policy: only {@link #sanitize} makes one. The parser
 * sanitizes a mail's HTML once, and every connector gets it as this type, so none sanitizes it again
 * (sanitizing is most of the capture's parse). Connectors that compose HTML of their own escape
 * their text with {@link #escape}.
 */
public final class SafeHtml {
    private static final Safelist POLICY = new EmailSafelist();
    private static final Document.OutputSettings OUTPUT = new Document.OutputSettings().prettyPrint(false);

    private final String html;

    private SafeHtml(String html) {
        this.html = html;
    }

    /** The HTML with only what the policy allows; null is empty. */
    public static SafeHtml sanitize(String html) {
        // the controls go before jsoup, which would write them back as character references, and after it,
        // for those it decoded from references in the mail
        return new SafeHtml(html == null ? "" : CleanText.body(Jsoup.clean(CleanText.body(html), "", POLICY, OUTPUT)));
    }

    /** The sanitized HTML. */
    public String html() {
        return html;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SafeHtml safe && safe.html.equals(html);
    }

    @Override
    public int hashCode() {
        return html.hashCode();
    }

    @Override
    public String toString() {
        return html;
    }

    /** Plain text escaped to be shown as it is inside HTML. */
    public static String escape(String text) {
        return text == null ? "" : Entities.escape(text);
    }

    /** Relaxed, minus ftp links, plus the layout attributes of mail HTML, cid: and raster data: images. */
    private static final class EmailSafelist extends Safelist {
        private EmailSafelist() {
            super(Safelist.relaxed());
            removeProtocols("a", "href", "ftp");
            addProtocols("img", "src", "cid", "data");
            addTags("hr", "font", "center");
            addAttributes("font", "color", "face", "size");
            addAttributes("table", "align", "bgcolor", "border", "cellpadding", "cellspacing");
            addAttributes("tr", "align", "valign", "bgcolor");
            addAttributes("td", "align", "valign", "bgcolor");
            addAttributes("th", "align", "valign", "bgcolor");
            addAttributes(":all", "dir");
            addAttributes("p", "align");
            addAttributes("div", "align");
            addEnforcedAttribute("a", "rel", "nofollow noopener noreferrer");
        }

        @Override
        public boolean isSafeAttribute(String tagName, Element element, Attribute attribute) {
            if (!super.isSafeAttribute(tagName, element, attribute)) {
                return false;
            }
            if (tagName.equals("img") && attribute.getKey().equalsIgnoreCase("src")) {
                String src = attribute.getValue().strip().toLowerCase(Locale.ROOT);
                // data: URLs only as raster images; SVG can hold scripts
                return !src.startsWith("data:") || (src.startsWith("data:image/") && !src.startsWith("data:image/svg"));
            }
            return true;
        }
    }
}

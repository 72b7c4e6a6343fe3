package org.jamescrm.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

import org.jsoup.nodes.Entities;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.HtmlStreamEventReceiver;
import org.owasp.html.HtmlStreamEventReceiverWrapper;
import org.owasp.html.PolicyFactory;

/**
 * The one HTML policy of the core: what of a mail's HTML may reach a CRM, which shows it to its users.
 * An allow-list, nothing executable: formatting, tables, lists and images (the elements and attributes
 * of jsoup's relaxed list, plus the layout attributes of mail HTML); no script, style, frame, object,
 * form, meta or base element, no event handler, no {@code style} attribute (it can carry
 * {@code expression()} and {@code url(javascript:...)}); links only to http, https and mailto, images only
 * from http, https, {@code cid:} (parts of the mail) and {@code data:image/...} other than SVG, no
 * relative URL (a CRM would resolve it against its own site), and no control character but line breaks
 * and tabs ({@link CleanText#body}). Links get {@code rel="nofollow noopener noreferrer"}.
 *
 * <p>The sanitizer is the OWASP Java HTML Sanitizer: it checks the HTML as it lexes it and writes what
 * passes, without building a document tree: on mail HTML with tables, styles and spans it takes about
 * half the time of jsoup's cleaner, which builds two (sanitizing is most of the capture's parse).
 *
 * <p>A value of this type is HTML that passed the policy: only {@link #sanitize} makes one. The parser
 * sanitizes a mail's HTML once, and every connector gets it as this type, so none sanitizes it again.
 * Connectors that compose HTML of their own escape their text with {@link #escape}.
 */
public final class SafeHtml {
    private static final Predicate<String> LINK = url -> hasScheme(url, "http:", "https:", "mailto:");
    private static final Predicate<String> WEB = url -> hasScheme(url, "http:", "https:");
    // data: URLs only as raster images; SVG can hold scripts
    private static final Predicate<String> IMAGE = url -> hasScheme(url, "http:", "https:", "cid:")
        || (hasScheme(url, "data:image/") && !hasScheme(url, "data:image/svg"));
    private static final PolicyFactory POLICY = new HtmlPolicyBuilder()
        .allowElements("a", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "div", "dl", "dt", "em",
            "h1", "h2", "h3", "h4", "h5", "h6", "i", "img", "li", "ol", "p", "pre", "q", "small", "span", "strike", "strong",
            "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "hr", "font", "center")
        // formatting without attributes is harmless: kept, where the library would drop these three then
        .allowWithoutAttributes("a", "span", "font")
        .allowUrlProtocols("http", "https", "mailto", "cid", "data")
        .allowAttributes("href").matching(LINK).onElements("a")
        .allowAttributes("src").matching(IMAGE).onElements("img")
        .allowAttributes("cite").matching(WEB).onElements("blockquote", "q")
        .allowAttributes("title").onElements("a", "img")
        .allowAttributes("align", "alt", "height", "width").onElements("img")
        .allowAttributes("span", "width").onElements("col", "colgroup")
        .allowAttributes("start", "type").onElements("ol")
        .allowAttributes("type").onElements("ul")
        .allowAttributes("summary", "width", "align", "bgcolor", "border", "cellpadding", "cellspacing").onElements("table")
        .allowAttributes("abbr", "axis", "colspan", "rowspan", "width", "align", "valign", "bgcolor").onElements("td", "th")
        .allowAttributes("scope").onElements("th")
        .allowAttributes("align", "valign", "bgcolor").onElements("tr")
        .allowAttributes("color", "face", "size").onElements("font")
        .allowAttributes("align").onElements("p", "div")
        .allowAttributes("dir").globally()
        .withPostprocessor(SafeHtml::withLinkRel)
        .toFactory();
    private static final String LINK_REL = "nofollow noopener noreferrer";

    private final String html;

    private SafeHtml(String html) {
        this.html = html;
    }

    /** The HTML with only what the policy allows; null is empty. */
    public static SafeHtml sanitize(String html) {
        // control characters go before the sanitizer, and again after it for those it decoded from character
        // references in the mail (it drops C0 controls itself, not bidirectional overrides)
        return new SafeHtml(html == null ? "" : CleanText.body(inertCharacters(POLICY.sanitize(CleanText.body(html)))));
    }

    /**
     * The sanitizer writes {@code @}, {@code =}, {@code +} and {@code '} as numeric references everywhere
     * (defences for old browsers). Its attribute values are always double-quoted, so these
     * characters are inert in them as in text: they are written back as themselves, so that a CRM finds
     * the addresses, links and {@code cid:} references of a mail as they were written, and a text's
     * apostrophes do not take five characters of a CRM's length limit each. ({@code "}, which would end
     * an attribute value, stays a reference.)
     */
    private static String inertCharacters(String sanitized) {
        if (sanitized.indexOf("&#") < 0) {
            return sanitized;
        }
        return sanitized.replace("&#64;", "@").replace("&#61;", "=").replace("&#43;", "+").replace("&#39;", "'");
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

    /**
     * Gives every link that passed the policy the same {@code rel}, written in the same order every time:
     * the library's own option keeps the values in a set whose order changes from one JVM to the next,
     * and the same mail must give the same HTML whenever it is captured. The mail's own {@code rel} is
     * not allowed, so the link has none before.
     */
    private static HtmlStreamEventReceiver withLinkRel(HtmlStreamEventReceiver sink) {
        return new HtmlStreamEventReceiverWrapper(sink) {
            @Override
            public void openTag(String elementName, List<String> attributes) {
                if (elementName.equals("a")) {
                    List<String> withRel = new ArrayList<>(attributes);
                    withRel.add("rel");
                    withRel.add(LINK_REL);
                    underlying.openTag(elementName, withRel);
                } else {
                    underlying.openTag(elementName, attributes);
                }
            }
        };
    }

    /** Whether a URL starts with one of the schemes (or prefixes), ignoring case and surrounding blanks. */
    private static boolean hasScheme(String url, String... prefixes) {
        String value = url.strip().toLowerCase(Locale.ROOT);
        for (String prefix : prefixes) {
            if (value.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}

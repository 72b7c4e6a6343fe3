package org.jamescrm.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import org.jamescrm.model.MessageFacts;
import org.jamescrm.testing.Messages;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.jamescrm.model.SafeHtml;

/**
 * The core's HTML policy against a corpus of filter-evasion vectors (after OWASP's XSS filter evasion
 * cheat sheet): no script, no event handler, no dangerous URL survives, whether the vector comes as
 * the mail's HTML body or is sanitized directly.
 */
class HtmlSanitizingTest {
    private static final Set<String> FORBIDDEN_ELEMENTS = Set.of("script", "iframe", "frame", "frameset", "object", "embed",
        "applet", "form", "input", "button", "textarea", "select", "meta", "base", "link", "style", "svg", "math", "xml",
        "import", "template", "video", "audio", "source", "isindex", "marquee", "bgsound", "layer", "ilayer");
    private static final Set<String> URL_ATTRIBUTES = Set.of("href", "src", "cite", "action", "formaction", "background",
        "lowsrc", "dynsrc", "xlink:href", "data", "codebase", "poster", "srcset");

    static Stream<String> vectors() {
        return Stream.of(
            "<script>alert(1)</script>",
            "<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>",
            "<ScRiPt>alert(1)</sCrIpT>",
            "<scr<script>ipt>alert(1)</scr</script>ipt>",
            "<<SCRIPT>alert(\"XSS\");//<</SCRIPT>",
            "<SCRIPT/XSS SRC=\"https://xss.example/xss.js\"></SCRIPT>",
            "<SCRIPT a=\">\" SRC=\"https://xss.example/xss.js\"></SCRIPT>",
            "<IMG SRC=\"javascript:alert('XSS');\">",
            "<IMG SRC=JaVaScRiPt:alert('XSS')>",
            "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
            "<a href=\"javascript:alert(1)\">click</a>",
            "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">entity</a>",
            "<a href=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)\">long entity</a>",
            "<a href=\"&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)\">hex entity</a>",
            "<a href=\"jav\tascript:alert(1)\">tab</a>",
            "<a href=\"jav&#x09;ascript:alert(1)\">encoded tab</a>",
            "<a href=\"jav&#x0A;ascript:alert(1)\">encoded newline</a>",
            "<a href=\" &#14;  javascript:alert(1)\">leading junk</a>",
            "<a href=\"vbscript:msgbox(1)\">vb</a>",
            "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">data</a>",
            "<img src=\"data:text/html,<script>alert(1)</script>\">",
            "<img src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">",
            "<img src=x onerror=alert(1)>",
            "<IMG SRC=# onmouseover=\"alert('xxs')\">",
            "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\">",
            "<BODY ONLOAD=alert('XSS')>",
            "<p onclick=alert(1) OnMouseOver=alert(2)>p</p>",
            "<svg onload=alert(1)>",
            "<svg><script>alert(1)</script></svg>",
            "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
            "<math href=\"javascript:alert(1)\">CLICKME</math>",
            "<iframe src=\"javascript:alert(1)\"></iframe>",
            "<IFRAME SRC=\"https://xss.example/\"></IFRAME>",
            "<FRAMESET><FRAME SRC=\"javascript:alert('XSS');\"></FRAMESET>",
            "<object data=\"javascript:alert(1)\"></object>",
            "<OBJECT TYPE=\"text/x-scriptlet\" DATA=\"https://xss.example/scriptlet.html\"></OBJECT>",
            "<EMBED SRC=\"data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH A6Ly93d3cudzMub3JnLzIwMDAvc3ZnIiB4bWxucz0iaHR0cDovL3d3dy53My5vcmcv\" type=\"image/svg+xml\"></EMBED>",
            "<form action=\"javascript:alert(1)\"><input type=submit formaction=\"javascript:alert(2)\"></form>",
            "<button formaction=javascript:alert(1)>b</button>",
            "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">",
            "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=data:text/html base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K\">",
            "<BASE HREF=\"javascript:alert('XSS');//\">",
            "<LINK REL=\"stylesheet\" HREF=\"javascript:alert('XSS');\">",
            "<STYLE>@import'https://xss.example/xss.css';</STYLE>",
            "<STYLE>BODY{-moz-binding:url(\"https://xss.example/xssmoz.xml#xss\")}</STYLE>",
            "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">div</DIV>",
            "<DIV STYLE=\"width: expression(alert('XSS'));\">div</DIV>",
            "<IMG STYLE=\"xss:expr/*XSS*/ession(alert('XSS'))\">",
            "<span style=\"background:url(&#1;javascript:alert(1))\">s</span>",
            "<TABLE BACKGROUND=\"javascript:alert('XSS')\"><TD BACKGROUND=\"javascript:alert('XSS')\">t</TD></TABLE>",
            "<IMG DYNSRC=\"javascript:alert('XSS')\"><IMG LOWSRC=\"javascript:alert('XSS')\">",
            "<BGSOUND SRC=\"javascript:alert('XSS');\">",
            "<blockquote cite=\"javascript:alert(1)\">q</blockquote>",
            "<q cite=\"vbscript:x\">q</q>",
            "<a href=\"//xss.example/relative\">protocol relative</a>",
            "<XSS STYLE=\"behavior: url(xss.htc);\">",
            "<!--[if gte IE 4]><SCRIPT>alert('XSS');</SCRIPT><![endif]-->",
            "<xml id=\"xss\"><x><c><![CDATA[<img src=\"javas]]><![CDATA[cript:alert('XSS');\">]]></c></x></xml>",
            "<video><source onerror=\"alert(1)\"></video>",
            "<details open ontoggle=alert(1)>",
            "<template><script>alert(1)</script></template>",
            "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
            "<a href=\"https://ok.example/\" target=\"_blank\" onfocus=\"alert(1)\" autofocus>ok</a>",
            "<img srcset=\"javascript:alert(1) 1x\">",
            "</textarea><script>alert(1)</script>",
            "\"><script>alert(1)</script>");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void noScriptHandlerOrDangerousUrlShouldSurviveTheCoreSanitizer(String vector) {
        assertSafe(SafeHtml.sanitize("<p>before</p>" + vector + "<p>after</p>").html());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void theParsedHtmlBodyShouldAlreadyBeSafe(String vector) {
        MessageFacts facts = Messages.message().text("text").html("<html><body><p>Hello</p>" + vector + "</body></html>").parse();

        assertThat(facts.htmlBody().map(SafeHtml::html)).hasValueSatisfying(HtmlSanitizingTest::assertSafe);
    }

    @Test
    void anHtmlOnlyMessageShouldBeSanitizedToo() {
        MessageFacts facts = Messages.message().html("<p onclick=\"steal()\">Hi</p><script>steal()</script>").parse();

        assertThat(facts.htmlBody().map(SafeHtml::html)).hasValueSatisfying(html -> assertThat(html.strip()).isEqualTo("<p>Hi</p>"));
        assertThat(facts.textBody()).isEqualTo("Hi");
    }

    @Test
    void mailFormattingLinksAndInlineImagesShouldBeKept() {
        String html = "<table border=\"1\" cellpadding=\"2\"><tr><td align=\"right\" valign=\"top\"><b>Total</b></td>"
            + "<td><font color=\"red\">10 €</font></td></tr></table>"
            + "<p><a href=\"https://shop.example/offer?id=1&amp;x=2\">offer</a> <a href=\"mailto:carol@client.example\">mail</a></p>"
            + "<img src=\"cid:logo@client.example\" alt=\"logo\"><img src=\"data:image/png;base64,iVBORw0KGgo=\"><ul><li>one</li></ul>";

        String clean = SafeHtml.sanitize(html).html();

        assertThat(clean).contains("<b>Total</b>", "<font color=\"red\">10 €</font>", "align=\"right\"", "border=\"1\"",
            "href=\"https://shop.example/offer?id=1&amp;x=2\"", "href=\"mailto:carol@client.example\"",
            "src=\"cid:logo@client.example\"", "src=\"data:image/png;base64,iVBORw0KGgo=\"", "<li>one</li>");
        assertThat(SafeHtml.sanitize(clean).html()).as("sanitizing is idempotent").isEqualTo(clean);
    }

    @Test
    void addressesLinksAndApostrophesShouldReadAsWrittenWhileAQuoteInAnAttributeAndAReferenceShownAsTextStayReferences() {
        String clean = SafeHtml.sanitize("<p>Write to carol@client.example, it's a=b+c; the HTML for @ is &amp;#64;</p>"
            + "<a href=\"https://shop.example/?q=it's\" title='say \"hi\"'>x</a>").html();

        assertThat(clean).startsWith("<p>Write to carol@client.example, it's a=b+c; the HTML for @ is &amp;#64;</p>"
            + "<a href=\"https://shop.example/?q=it's\" title=\"say &#34;hi&#34;\"");
    }

    @Test
    void everyLinkShouldGetTheSameRelWhateverItsOwn() {
        assertThat(SafeHtml.sanitize("<a href=\"https://a.example/\" rel=\"opener\">a</a><a href=\"mailto:b@b.example\">b</a><a>c</a>").html())
            .isEqualTo("<a href=\"https://a.example/\" rel=\"nofollow noopener noreferrer\">a</a>"
                + "<a href=\"mailto:b@b.example\" rel=\"nofollow noopener noreferrer\">b</a><a rel=\"nofollow noopener noreferrer\">c</a>");
    }

    @Test
    void controlCharactersShouldNotReachTheCrmAsCharactersOrReferences() {
        assertThat(SafeHtml.sanitize("<p>x\u0000y\u0007</p><p>\u202etxt.exe</p>").html()).isEqualTo("<p>xy</p><p>txt.exe</p>");
    }

    @Test
    void ftpLinksShouldBeDropped() {
        assertThat(SafeHtml.sanitize("<a href=\"ftp://files.example/x\">x</a>").html()).doesNotContain("ftp:");
    }

    @Test
    void plainTextShouldBeEscapedForHtml() {
        assertThat(SafeHtml.escape("<img src=x onerror=alert(1)> & \"q\"")).isEqualTo("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot;");
    }

    static void assertSafe(String html) {
        assertThat(html.toLowerCase(Locale.ROOT)).doesNotContain("<script", "<iframe", "<object", "<embed", "<svg", "<math",
            "<style", "<meta", "<base", "<form", "<link");
        for (Element element : Jsoup.parseBodyFragment(html).getAllElements()) {
            assertThat(element.normalName()).as(html).isNotIn(FORBIDDEN_ELEMENTS);
            for (Attribute attribute : element.attributes()) {
                String key = attribute.getKey().toLowerCase(Locale.ROOT);
                assertThat(key).as(html).doesNotStartWith("on").isNotEqualTo("style");
                if (URL_ATTRIBUTES.contains(key)) {
                    assertThat(isSafeUrl(element.normalName(), attribute.getValue())).as(key + " in " + html).isTrue();
                }
            }
        }
    }

    /** A URL as a browser reads it: blanks and controls dropped, lower case; only the allowed schemes. */
    private static boolean isSafeUrl(String element, String value) {
        String url = value.replaceAll("[\\x00-\\x20\\x7f-\\x9f]", "").toLowerCase(Locale.ROOT);
        List<String> allowed = element.equals("img") ? List.of("http:", "https:", "cid:", "data:image/") : List.of("http:", "https:", "mailto:");
        return allowed.stream().anyMatch(url::startsWith) && !url.startsWith("data:image/svg");
    }
}

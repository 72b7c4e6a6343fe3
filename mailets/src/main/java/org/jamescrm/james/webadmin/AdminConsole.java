package org.jamescrm.james.webadmin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

import spark.Service;

/**
 * The admin console: one page, its script, its style sheet and its icon, read from the extension's jar and
 * served under {@code /crm/console} by the capture's WebAdmin routes, so WebAdmin's authentication
 * applies to them as to every other route. The page shows what the JSON routes answer (status,
 * decision search, a decision explained, the parked captures and their replay, the dry-run, the
 * in-memory CRM's records); its script inserts every value as text.
 *
 * <p>Every answer carries a Content-Security-Policy that allows scripts, styles and requests from
 * WebAdmin itself only (no inline script or style, no frame, no form posting elsewhere), and
 * {@code nosniff}, so a browser never takes one file for another kind.
 */
final class AdminConsole {
    /** The page. */
    static final String PAGE = CrmCaptureRoutes.BASE_PATH + "/console";
    /** The page's script and style sheet; the page names them, and the routes it calls, relative to itself. */
    static final String SCRIPT = PAGE + "/console.js";
    static final String STYLE = PAGE + "/console.css";
    /** Its icon, so that a browser does not ask WebAdmin for a /favicon.ico it lacks. */
    static final String ICON = PAGE + "/favicon.svg";
    /** Scripts, styles, images and requests from WebAdmin only; nothing inline, no frame, no plug-in. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /** A file of the console, as served. */
    private record Asset(byte[] content, String contentType) {
    }

    private final Map<String, Asset> assets = Map.of(
        PAGE, asset("console.html", "text/html; charset=utf-8"),
        SCRIPT, asset("console.js", "text/javascript; charset=utf-8"),
        STYLE, asset("console.css", "text/css; charset=utf-8"),
        ICON, asset("favicon.svg", "image/svg+xml"));

    /** Adds the console's routes to WebAdmin's service. */
    void define(Service service) {
        assets.forEach((path, asset) -> service.get(path, (request, response) -> {
            response.type(asset.contentType());
            response.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            response.header("X-Content-Type-Options", "nosniff");
            response.header("X-Frame-Options", "DENY");
            response.header("Referrer-Policy", "no-referrer");
            // the files change with the jar only; a browser asks again after an upgrade
            response.header("Cache-Control", "no-cache");
            return asset.content();
        }));
    }

    private static Asset asset(String name, String contentType) {
        try (InputStream in = AdminConsole.class.getResourceAsStream("console/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the extension jar lacks the console file console/" + name);
            }
            return new Asset(in.readAllBytes(), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the console file console/" + name, e);
        }
    }
}

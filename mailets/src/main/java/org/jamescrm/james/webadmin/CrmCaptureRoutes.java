package org.jamescrm.james.webadmin;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.ErrorResponder;
import org.jamescrm.capture.ConnectorHealth;
import org.jamescrm.capture.MissingCrmUsers;
import org.jamescrm.decisions.DecisionLog;
import org.jamescrm.decisions.JsonViews;
import org.jamescrm.james.settings.CaptureSettingsSource;
import org.jamescrm.spi.ConnectorView;
import org.jamescrm.spi.CrmConnector;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * WebAdmin routes of the capture, enabled in {@code conf/webadmin.properties}:
 * <pre>
 * extensions.routes=org.jamescrm.james.webadmin.CrmCaptureRoutes
 * </pre>
 * <ul>
 * <li>{@code GET /crm/decisions?messageId=<id>}: why this message was (not) saved, newest decision
 *     first; without {@code messageId}, the most recent decisions ({@code limit}, default 100).</li>
 * <li>{@code GET /crm/<view>}: what the CRM holds, for a connector that shows it ({@link ConnectorView}:
 *     {@code /crm/memory} for the embedded in-memory CRM).</li>
 * <li>{@code GET /crm/status}: the connector in use, the settings file, configuration problems.</li>
 * </ul>
 */
public class CrmCaptureRoutes implements Routes {
    public static final String BASE_PATH = "/crm";
    public static final String DECISIONS = BASE_PATH + "/decisions";
    public static final String STATUS = BASE_PATH + "/status";
    private static final int DEFAULT_LIMIT = 100;
    private static final int BAD_REQUEST = 400;
    private static final int EXCERPT = 40;

    private final DecisionLog decisions;
    private final CrmConnector connector;
    private final CaptureSettingsSource settings;
    private final MissingCrmUsers missingUsers;
    private final JsonViews json;
    private final ConnectorHealth health;

    @Inject
    public CrmCaptureRoutes(DecisionLog decisions, CrmConnector connector, CaptureSettingsSource settings,
                            MissingCrmUsers missingUsers, JsonViews json, ConnectorHealth health) {
        this.health = health;
        this.decisions = decisions;
        this.connector = connector;
        this.settings = settings;
        this.missingUsers = missingUsers;
        this.json = json;
    }

    @Override
    public String getBasePath() {
        return BASE_PATH;
    }

    @Override
    public void define(Service service) {
        // JSON only: a browser must never sniff a stored mail subject or body into HTML
        service.afterAfter(BASE_PATH + "/*", (request, response) -> response.header("X-Content-Type-Options", "nosniff"));
        service.get(DECISIONS, this::decisions);
        if (connector instanceof ConnectorView view) {
            service.get(BASE_PATH + "/" + view.viewName(), (request, response) -> json(response, json.write(view.view())));
        }
        service.get(STATUS, this::status);
    }

    private String decisions(Request request, Response response) {
        String messageId = request.queryParams("messageId");
        if (messageId != null && !messageId.isBlank()) {
            return json(response, decisions.toJson(messageId));
        }
        int limit = limit(request.queryParams("limit"));
        return json(response, json.write(decisions.recent(limit).stream().map(json::decision).toList()));
    }

    private String status(Request request, Response response) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("connector", connector.name());
        health.last().ifPresentOrElse(check -> {
            view.put("connectorReachable", check.error().isEmpty());
            view.put("connectorError", check.error().orElse(null));
            view.put("connectorCheckedAt", check.at().toString());
        }, () -> view.put("connectorReachable", null));
        view.put("settingsFile", settings.file().toString());
        view.put("refusedSettingsChange", settings.refusedChange().orElse(null));
        view.put("employeesWithoutCrmUser", missingUsers.employees().stream().map(Object::toString).sorted().toList());
        return json(response, json.write(view));
    }

    private static int limit(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value.strip());
            if (limit > 0) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ErrorResponder.builder()
            .statusCode(BAD_REQUEST)
            .type(ErrorResponder.ErrorType.INVALID_ARGUMENT)
            .message("Invalid 'limit' query parameter '%s': allowed values: a whole number of at least 1", excerpt(value))
            .haltError();
    }

    /**
     * What an error may echo of a request's value: at most {@value #EXCERPT} characters, anything but
     * printable ASCII escaped, so an error never carries markup, control characters or a long payload.
     */
    static String excerpt(String value) {
        StringBuilder excerpt = new StringBuilder();
        value.codePoints().limit(EXCERPT).forEach(c -> {
            if (c >= 0x20 && c < 0x7F && c != '<' && c != '>' && c != '&' && c != '"' && c != '\'') {
                excerpt.appendCodePoint(c);
            } else {
                excerpt.append(String.format("\\u%04x", c));
            }
        });
        return value.codePointCount(0, value.length()) > EXCERPT ? excerpt + "…" : excerpt.toString();
    }

    private static String json(Response response, String body) {
        response.type("application/json");
        return body;
    }
}

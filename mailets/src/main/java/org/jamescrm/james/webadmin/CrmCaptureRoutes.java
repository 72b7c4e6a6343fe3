package org.jamescrm.james.webadmin;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import jakarta.inject.Inject;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.ErrorResponder;
import org.apache.james.core.Domain;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.jamescrm.capture.CaptureService;
import org.jamescrm.capture.ConnectorHealth;
import org.jamescrm.capture.CrmBreaker;
import org.jamescrm.james.metrics.QueueDepths;
import org.jamescrm.james.queue.CrmBreakers;
import org.jamescrm.capture.DryRun;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.settings.CaptureSettings;
import org.jamescrm.settings.EffectiveSettings;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.SecretScrubber;
import org.jamescrm.capture.MissingCrmUsers;
import org.jamescrm.decisions.DecisionLog;
import org.jamescrm.decisions.DecisionQuery;
import org.jamescrm.decisions.JsonViews;
import org.jamescrm.james.queue.CaptureQueues;
import org.jamescrm.james.settings.CaptureSettingsSource;
import org.jamescrm.spi.ConnectorView;
import org.jamescrm.spi.CrmConnector;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * WebAdmin routes of the capture, enabled in {@code conf/webadmin.properties}:
 * <pre>
 * extensions.routes=org.jamescrm.james.webadmin.CrmCaptureRoutes
 * </pre>
 * <ul>
 * <li>{@code GET /crm/decisions?messageId=&sender=&recipient=&mailbox=&reason=&captured=&from=&to=&limit=&offset=}:
 *     the decisions kept that match every criterion given, newest first, each with its explanation;
 *     {@code limit} (default 100) and {@code offset} page them, {@code X-Total-Count} counts them all.</li>
 * <li>{@code GET /crm/<view>}: what the CRM holds, for a connector that shows it ({@link ConnectorView}:
 *     {@code /crm/memory} for the embedded in-memory CRM).</li>
 * <li>{@code GET /crm/status}: the connector in use, its view and its limits (a request budget, daily
 *     credits or API calls left), the capture queues with the error
 *     repository each parks in, the settings file, configuration problems, each connector's circuit
 *     breaker ({@code breakers}) and each capture queue's depth, oldest waiting capture and warning
 *     ({@code queues}).</li>
 * <li>{@code GET /crm/settings?mailbox=…}: the settings the mailbox's mail is captured with, defaults
 *     and its own element merged, the CRM's secrets never shown.</li>
 * <li>{@code GET /crm/console}: the admin console, a page over these routes and James's mail
 *     repository routes ({@link AdminConsole}).</li>
 * <li>{@code POST /crm/dry-run?sender=…&recipient=…[&recipient=…][&authenticated=true][&lookups=false]}
 *     with a raw message as the body: the decision the settings in force would make, touching
 *     nothing (no CRM write, no decision recorded, no round-robin turn).</li>
 * </ul>
 * The JSON answers are indented for a person reading them in a terminal.
 */
public class CrmCaptureRoutes implements Routes {
    private static final Logger LOGGER = LoggerFactory.getLogger(CrmCaptureRoutes.class);
    public static final String BASE_PATH = "/crm";
    public static final String DECISIONS = BASE_PATH + "/decisions";
    public static final String STATUS = BASE_PATH + "/status";
    public static final String DRY_RUN = BASE_PATH + "/dry-run";
    public static final String SETTINGS = BASE_PATH + "/settings";
    /** The largest message a dry-run reads. */
    static final int MAX_MESSAGE_BYTES = 25 * 1024 * 1024;
    private static final int TOO_LARGE = 413;
    private static final int CRM_UNAVAILABLE = 503;
    private static final int BAD_REQUEST = 400;
    private static final int EXCERPT = 40;

    private final DecisionLog decisions;
    private final CrmConnector connector;
    private final CaptureSettingsSource settings;
    private final MissingCrmUsers missingUsers;
    private final JsonViews json;
    private final ConnectorHealth health;
    private final CaptureService capture;
    private final DomainList domains;
    private final CrmBreakers breakers;
    private final QueueDepths queueDepths;
    private final CaptureQueues captureQueues;
    private final AdminConsole console = new AdminConsole();

    @Inject
    public CrmCaptureRoutes(DecisionLog decisions, CrmConnector connector, CaptureSettingsSource settings,
                            MissingCrmUsers missingUsers, JsonViews json, ConnectorHealth health, CaptureService capture,
                            DomainList domains, CrmBreakers breakers, QueueDepths queueDepths, CaptureQueues captureQueues) {
        this.breakers = breakers;
        this.queueDepths = queueDepths;
        this.captureQueues = captureQueues;
        this.health = health;
        this.capture = capture;
        this.domains = domains;
        this.decisions = decisions;
        this.connector = connector;
        this.settings = settings;
        this.missingUsers = missingUsers;
        this.json = json.indented();
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
        service.post(DRY_RUN, this::dryRun);
        service.get(SETTINGS, this::settings);
        console.define(service);
    }

    /**
     * The settings {@code mailbox}'s mail is captured with, defaults and its own element merged; without
     * {@code mailbox}, the defaults and the mailboxes with their own element. No secret of the CRM is
     * shown: its settings by name only, and anything equal to one of its secrets masked.
     */
    private String settings(Request request, Response response) {
        String mailbox = request.queryParams("mailbox");
        CaptureSettings current = settings.current();
        Map<String, Object> view;
        if (mailbox == null || mailbox.isBlank()) {
            view = EffectiveSettings.overview(current);
        } else {
            try {
                view = EffectiveSettings.of(current, EmailAddress.of(mailbox.strip()));
            } catch (IllegalArgumentException e) {
                throw badRequest("Invalid 'mailbox' query parameter '" + excerpt(mailbox) + "': allowed values: an e-mail address");
            }
        }
        view = new LinkedHashMap<>(view);
        view.put("refusedSettingsChange", settings.refusedChange().orElse(null));
        SecretScrubber scrubber = new SecretScrubber(current.connector().settings().secrets());
        return json(response, scrubber.scrub(json.writeSafe(view)));
    }

    /**
     * The decision the settings in force would make for the message in the body (raw, as an .eml
     * file) with the envelope of the query ({@link DryRunQuery}), touching nothing.
     */
    private String dryRun(Request request, Response response) {
        DryRunQuery query;
        try {
            query = DryRunQuery.parse(request::queryParamsValues);
        } catch (IllegalArgumentException e) {
            throw badRequest(e.getMessage());
        }
        if (request.contentLength() > MAX_MESSAGE_BYTES) {
            throw ErrorResponder.builder().statusCode(TOO_LARGE).type(ErrorResponder.ErrorType.INVALID_ARGUMENT)
                .message("The message is larger than %d bytes", MAX_MESSAGE_BYTES).haltError();
        }
        byte[] message = request.bodyAsBytes();
        if (message == null || message.length == 0) {
            throw badRequest("Missing message: the request body must be the raw message (an .eml file)");
        }
        if (message.length > MAX_MESSAGE_BYTES) {
            throw ErrorResponder.builder().statusCode(TOO_LARGE).type(ErrorResponder.ErrorType.INVALID_ARGUMENT)
                .message("The message is larger than %d bytes", MAX_MESSAGE_BYTES).haltError();
        }
        try {
            DryRun dryRun = capture.dryRun(message, query.envelope(), this::isLocalDomain, query.lookups());
            return json(response, json.writeSafe(DryRunView.of(dryRun)));
        } catch (IOException e) {
            throw badRequest("The request body cannot be read as a message");
        } catch (RuntimeException e) {
            LOGGER.warn("A dry-run could not decide on the message posted", e); // a defect of ours, or a message no parser takes
            throw badRequest("The request body cannot be read as a message");
        } catch (CrmException e) {
            throw ErrorResponder.builder().statusCode(CRM_UNAVAILABLE).type(ErrorResponder.ErrorType.SERVER_ERROR)
                .message("The CRM did not answer the lookup (%s); lookups=false decides without it", excerpt(e.getMessage())).haltError();
        }
    }

    private boolean isLocalDomain(String domain) {
        try {
            return domains.containsDomain(Domain.of(domain));
        } catch (DomainListException | IllegalArgumentException e) {
            return false; // not one of ours, as the mail pipeline decides
        }
    }

    private static spark.HaltException badRequest(String message) {
        return ErrorResponder.builder().statusCode(BAD_REQUEST).type(ErrorResponder.ErrorType.INVALID_ARGUMENT)
            .message("%s", message).haltError();
    }

    /** The decisions kept that the query asks for ({@link DecisionSearchQuery}), newest first; the count of all matching in {@code X-Total-Count}. */
    private String decisions(Request request, Response response) {
        DecisionQuery query;
        try {
            query = DecisionSearchQuery.parse(request::queryParams);
        } catch (IllegalArgumentException e) {
            throw badRequest(e.getMessage());
        }
        DecisionQuery.Page page = decisions.search(query);
        response.header("X-Total-Count", String.valueOf(page.total()));
        return json(response, json.write(page.decisions().stream().map(json::decision).toList()));
    }

    private String status(Request request, Response response) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("connector", connector.name());
        health.last().ifPresentOrElse(check -> {
            view.put("connectorReachable", check.error().isEmpty());
            view.put("connectorError", check.error().orElse(null));
            view.put("connectorCheckedAt", check.at().toString());
        }, () -> view.put("connectorReachable", null));
        view.put("crmView", connector instanceof ConnectorView crmView ? BASE_PATH + "/" + crmView.viewName() : null);
        view.put("limits", connector.limits());
        view.put("captureQueues", captureQueues.all().stream()
            .map(queue -> Map.of("queue", queue.queue(), "errorRepository", queue.errorRepository())).toList());
        view.put("settingsFile", settings.file().toString());
        view.put("refusedSettingsChange", settings.refusedChange().orElse(null));
        view.put("employeesWithoutCrmUser", missingUsers.employees().stream().map(Object::toString).sorted().toList());
        view.put("breakers", breakers.views().stream().map(CrmCaptureRoutes::breaker).toList());
        view.put("queues", queues());
        return json(response, json.write(view));
    }

    /** A connector's circuit breaker: its state, since when, the consecutive failed rounds, the next probe while open. */
    private static Map<String, Object> breaker(CrmBreaker.View breaker) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("connector", breaker.connector());
        view.put("state", breaker.state().word());
        view.put("since", breaker.since().toString());
        view.put("failures", breaker.failures());
        view.put("nextProbeAt", breaker.nextProbeAt().map(Object::toString).orElse(null));
        return view;
    }

    /** Each capture queue: the captures waiting, the oldest's receipt, and a warning past its warning depth. */
    private List<Map<String, Object>> queues() {
        List<Map<String, Object>> views = new ArrayList<>();
        new java.util.TreeMap<>(queueDepths.watched()).forEach((name, watched) -> {
            Map<String, Object> view = new LinkedHashMap<>();
            OptionalLong depth = queueDepths.depth(name);
            view.put("name", name);
            view.put("depth", depth.isPresent() ? depth.getAsLong() : null);
            view.put("oldestWaiting", queueDepths.oldestWaiting(name).map(Object::toString).orElse(null));
            view.put("warningDepth", watched.backingUp());
            view.put("warning", depth.isPresent() && depth.getAsLong() >= watched.backingUp()
                ? depth.getAsLong() + " captures wait, from " + watched.backingUp() + " the queue backs up: the CRM takes mail slower than it arrives"
                : null);
            views.add(view);
        });
        return views;
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

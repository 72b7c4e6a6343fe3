package org.jamescrm.salesforce;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jamescrm.spi.CrmUnavailableException;

/**
 * The org's daily API budget (salesforce §1.8), shared by every thread: read from {@code Sforce-Limit-Info:
 * api-usage=used/allowed} on every answer (a rolling 24 hours). Above {@code share} percent the connector stops
 * optional work; at the limit (or on {@code REQUEST_LIMIT_EXCEEDED}) requests are held for
 * {@link SalesforceErrors#BUDGET_HOLD}, the captures waiting in the capture queue, then one request tries again.
 * Thread-safe.
 */
final class ApiBudget {
    private static final Pattern USAGE = Pattern.compile("api-usage=(\\d+)/(\\d+)");

    private final Clock clock;
    private final int share;
    private Usage usage;
    private Instant heldUntil = Instant.MIN;

    /** What the last answer said. */
    record Usage(long used, long allowed, Instant readAt) {
        int percent() {
            return allowed <= 0 ? 0 : (int) Math.min(100, used * 100 / allowed);
        }
    }

    ApiBudget(Clock clock, int share) {
        this.clock = clock;
        this.share = share;
    }

    /** Reads an answer's {@code Sforce-Limit-Info} header, when present. */
    synchronized void read(String header) {
        if (header == null) {
            return;
        }
        Matcher matcher = USAGE.matcher(header);
        if (matcher.find()) {
            usage = new Usage(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)), clock.instant());
            if (usage.used() >= usage.allowed()) {
                exhausted();
            } else {
                heldUntil = Instant.MIN;
            }
        }
    }

    /** The budget ran out: hold requests for a while. */
    synchronized void exhausted() {
        heldUntil = clock.instant().plus(SalesforceErrors.BUDGET_HOLD);
    }

    /** Fails at once while requests are held, so a capture waits in the queue instead of spending a refused call. */
    synchronized void checkBeforeCall(String operation) throws CrmUnavailableException {
        Instant now = clock.instant();
        if (now.isBefore(heldUntil)) {
            throw new CrmUnavailableException("Salesforce " + operation + " not sent: the org's daily API budget is used up ("
                + describe() + "); captures wait in the queue, the next try at " + heldUntil, Optional.of(Duration.between(now, heldUntil)),
                null);
        }
    }

    /** Whether optional work (least-busy counts) may still spend requests: the budget is below the configured share. */
    synchronized boolean optionalWorkAllowed() {
        return usage == null || usage.percent() < share;
    }

    /** Whether the budget is above the configured share, so that fuller rounds save requests. */
    synchronized boolean tight() {
        return !optionalWorkAllowed();
    }

    /** The budget as the status view shows it. */
    synchronized Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("apiUsed", usage == null ? null : usage.used());
        view.put("apiAllowed", usage == null ? null : usage.allowed());
        view.put("apiUsedPercent", usage == null ? null : usage.percent());
        view.put("readAt", usage == null ? null : usage.readAt().toString());
        view.put("optionalWorkStopsAtPercent", share);
        view.put("optionalWorkStopped", !optionalWorkAllowed());
        view.put("requestsHeldUntil", clock.instant().isBefore(heldUntil) ? heldUntil.toString() : null);
        return view;
    }

    private String describe() {
        return usage == null ? "REQUEST_LIMIT_EXCEEDED" : "api-usage " + usage.used() + "/" + usage.allowed();
    }
}

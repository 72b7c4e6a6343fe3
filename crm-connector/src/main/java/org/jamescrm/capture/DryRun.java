package org.jamescrm.capture;

import java.util.Map;
import java.util.Objects;

import org.jamescrm.rules.CaptureDecision;

/**
 * What the capture would decide for a message now, with the settings in force: nothing written,
 * nothing recorded, no round-robin turn taken, no flood count spent.
 *
 * @param request  the message as the capture would take it (after a manual save's resolution)
 * @param decision the decision: reason, items it would bind and create, responsible
 * @param settings the settings that drove it, key to value, as the decision record shows them
 * @param lookedUp whether the CRM was asked (else the CRM was taken as knowing nobody: no duplicate,
 *                 thread or known client is seen, and users have no id)
 */
public record DryRun(CaptureRequest request, CaptureDecision decision, Map<String, String> settings, boolean lookedUp) {

    public DryRun {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(decision, "decision");
        settings = Map.copyOf(settings);
    }
}

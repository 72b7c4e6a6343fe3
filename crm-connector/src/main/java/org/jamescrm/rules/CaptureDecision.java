package org.jamescrm.rules;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.NewItem;

/**
 * What the linking rules decided for one message: the outcome as data, for the executor to run and
 * the decision record to explain.
 *
 * @param reason        why (the reason code)
 * @param detail        a sentence for the administrator
 * @param bindings      existing CRM items the e-mail activity is bound to
 * @param creations     items to create first; the activity is bound to them too
 * @param responsibleId the responsible of the activity: the responsible of the item it is attached to
 * @param label         the reason as administrators read it ({@code FILTERED:<rule>} for filters)
 * @param tookTurn      whether a created item took the mailbox's round-robin turn
 */
public record CaptureDecision(ReasonCode reason, String detail, List<ItemRef> bindings, List<NewItem> creations,
                              Optional<String> responsibleId, String label, boolean tookTurn) {

    public CaptureDecision {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        bindings = List.copyOf(bindings);
        creations = List.copyOf(creations);
        Objects.requireNonNull(responsibleId, "responsibleId");
        Objects.requireNonNull(label, "label");
    }

    public CaptureDecision(ReasonCode reason, String detail, List<ItemRef> bindings, List<NewItem> creations,
                           Optional<String> responsibleId) {
        this(reason, detail, bindings, creations, responsibleId, reason.name(), false);
    }

    /** A decision that writes nothing. */
    public static CaptureDecision skip(ReasonCode reason, String detail) {
        return new CaptureDecision(reason, detail, List.of(), List.of(), Optional.empty());
    }

    /** A decision that writes nothing, for an exclusion of the classification. */
    public static CaptureDecision skip(Classification.Exclusion exclusion) {
        return new CaptureDecision(exclusion.reason(), exclusion.detail(), List.of(), List.of(), Optional.empty(),
            exclusion.label(), false);
    }

    /** Whether the message is written to the CRM. */
    public boolean captured() {
        return reason.captured();
    }
}

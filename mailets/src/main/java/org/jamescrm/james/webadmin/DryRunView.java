package org.jamescrm.james.webadmin;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jamescrm.capture.CaptureRequest;
import org.jamescrm.capture.DryRun;
import org.jamescrm.decisions.JsonViews;
import org.jamescrm.rules.CaptureDecision;
import org.jamescrm.spi.NewCase;
import org.jamescrm.spi.NewContact;
import org.jamescrm.spi.NewDeal;
import org.jamescrm.spi.NewItem;
import org.jamescrm.spi.NewLead;

/**
 * The JSON view of {@code POST /crm/dry-run}: the decision the settings in force would make, the items
 * it would bind or create, and what drove it; every text taken from the request as a bounded excerpt.
 */
final class DryRunView {

    private DryRunView() {
    }

    /** The view of a dry-run: the decision the settings in force would make, and what drove it. */
    static Map<String, Object> of(DryRun dryRun) {
        Map<String, Object> view = new LinkedHashMap<>();
        CaptureRequest request = dryRun.request();
        CaptureDecision decision = dryRun.decision();
        view.put("dryRun", true);
        view.put("lookups", dryRun.lookedUp());
        view.put("messageId", request.facts().messageId().map(JsonViews::excerpt).orElse(null));
        view.put("captureKey", JsonViews.excerpt(request.facts().captureKey()));
        view.put("direction", request.classification().direction().name());
        view.put("sender", request.facts().from().map(party -> JsonViews.excerpt(party.address().value())).orElse(null));
        view.put("clients", request.classification().clients().stream().map(address -> JsonViews.excerpt(address.value())).toList());
        view.put("employees", request.classification().employees().stream().map(address -> JsonViews.excerpt(address.value())).toList());
        view.put("mailbox", request.classification().mailbox().map(address -> JsonViews.excerpt(address.value())).orElse(null));
        view.put("reason", JsonViews.excerpt(decision.label()));
        view.put("captured", decision.captured());
        view.put("explanation", decision.reason().explanation());
        view.put("detail", JsonViews.excerpt(decision.detail()));
        view.put("bind", JsonViews.items(decision.bindings()));
        view.put("create", decision.creations().stream().map(DryRunView::creation).toList());
        view.put("responsibleId", decision.responsibleId().orElse(null));
        view.put("settings", new java.util.TreeMap<>(dryRun.settings()));
        return view;
    }

    private static Map<String, Object> creation(NewItem item) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("type", item.type().name());
        if (item instanceof NewLead lead) {
            view.put("title", JsonViews.excerpt(lead.title()));
            view.put("name", JsonViews.excerpt(lead.name()));
            view.put("email", JsonViews.excerpt(lead.email().value()));
            view.put("source", JsonViews.excerpt(lead.source()));
            view.put("returnCustomer", lead.returnCustomer());
            view.put("responsibleId", lead.responsibleId().orElse(null));
        } else if (item instanceof NewContact contact) {
            view.put("name", JsonViews.excerpt(contact.name()));
            view.put("email", JsonViews.excerpt(contact.email().value()));
            view.put("responsibleId", contact.responsibleId().orElse(null));
        } else if (item instanceof NewDeal deal) {
            view.put("title", JsonViews.excerpt(deal.title()));
            view.put("returnCustomer", deal.returnCustomer());
            view.put("responsibleId", deal.responsibleId().orElse(null));
        } else if (item instanceof NewCase newCase) {
            view.put("subject", JsonViews.excerpt(newCase.subject()));
            view.put("email", JsonViews.excerpt(newCase.email().value()));
            view.put("responsibleId", newCase.responsibleId().orElse(null));
        }
        return view;
    }
}

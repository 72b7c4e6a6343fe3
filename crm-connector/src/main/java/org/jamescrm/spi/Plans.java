package org.jamescrm.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** How the parts of a {@link WritePlan} refer to each other, for every connector alike. */
public final class Plans {

    private Plans() {
    }

    /** The activity bound to its existing items and then to the items the plan created. */
    public static NewEmailActivity bindCreated(NewEmailActivity activity, List<ItemRef> created) {
        if (created.isEmpty()) {
            return activity;
        }
        List<ItemRef> bindings = new ArrayList<>(activity.bindings());
        created.stream().filter(item -> !bindings.contains(item)).forEach(bindings::add);
        return new NewEmailActivity(activity.direction(), activity.subject(), activity.from(), activity.to(), activity.cc(),
            activity.textBody(), activity.htmlBody(), activity.attachments(), bindings, activity.responsibleId(),
            activity.completed(), activity.sentAt(), activity.receivedAt(), activity.capturedAt(), activity.messageId(),
            activity.originKey(), activity.clients());
    }

    /** A deal without a contact linked to the contact created before it in the same plan. */
    public static NewDeal linkContact(NewDeal deal, Optional<ItemRef> createdContact) {
        if (deal.contact().isPresent() || createdContact.isEmpty()) {
            return deal;
        }
        return new NewDeal(deal.title(), createdContact, deal.company(), deal.responsibleId(), deal.returnCustomer(),
            deal.originKey());
    }
}

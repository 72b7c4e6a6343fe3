package org.jamescrm.spi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The writes of one capture, in order: the items to create, then the e-mail activity. The
 * activity's own bindings are the existing items; the connector binds it to the created items
 * too, after them. A deal without a contact is linked to the contact created before it in the
 * same plan. Every creation and the activity carry the plan's origin key.
 *
 * @param originKey  the capture key
 * @param creations  the leads, contacts and deals to create, in order
 * @param activity   the e-mail activity, bound to the existing items
 * @param rawMessage the message as received (RFC 822), for a CRM that imports messages itself (EspoCRM's
 *                   {@code importEml}); given only when the activity keeps the whole message (body mode
 *                   {@code full}, no attachment over the size limit), so that importing it stores no more
 *                   than the settings allow. Connectors that write the activity's parts ignore it.
 * @param teams      the CRM teams the created items and the activity are assigned to (a group
 *                   mailbox's {@code <teams>}); empty for a CRM without teams
 */
public record WritePlan(String originKey, List<NewItem> creations, NewEmailActivity activity,
                        Optional<Supplier<byte[]>> rawMessage, List<String> teams) {

    public WritePlan {
        Objects.requireNonNull(originKey, "originKey");
        creations = List.copyOf(creations);
        Objects.requireNonNull(activity, "activity");
        Objects.requireNonNull(rawMessage, "rawMessage");
        teams = List.copyOf(teams);
    }

    /** A plan without teams. */
    public WritePlan(String originKey, List<NewItem> creations, NewEmailActivity activity, Optional<Supplier<byte[]>> rawMessage) {
        this(originKey, creations, activity, rawMessage, List.of());
    }

    /** A plan without the raw message. */
    public WritePlan(String originKey, List<NewItem> creations, NewEmailActivity activity) {
        this(originKey, creations, activity, Optional.empty(), List.of());
    }
}

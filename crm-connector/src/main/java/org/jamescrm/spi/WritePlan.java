package org.jamescrm.spi;

import java.util.List;
import java.util.Objects;

/**
 * The writes of one capture, in order: the items to create, then the e-mail activity. The
 * activity's own bindings are the existing items; the connector binds it to the created items
 * too, after them. A deal without a contact is linked to the contact created before it in the
 * same plan. Every creation and the activity carry the plan's origin key.
 *
 * @param originKey the capture key
 * @param creations the leads, contacts and deals to create, in order
 * @param activity  the e-mail activity, bound to the existing items
 */
public record WritePlan(String originKey, List<NewItem> creations, NewEmailActivity activity) {

    public WritePlan {
        Objects.requireNonNull(originKey, "originKey");
        creations = List.copyOf(creations);
        Objects.requireNonNull(activity, "activity");
    }
}

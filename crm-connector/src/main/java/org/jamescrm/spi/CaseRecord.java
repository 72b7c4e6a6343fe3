package org.jamescrm.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * A case as the rules see it: found by the case token of a subject ({@code [#123]}) or as the item of a
 * captured thread.
 *
 * @param id            the CRM's id of the case
 * @param number        the number the CRM shows to people, which the case token carries
 * @param responsibleId the case's responsible: the responsible of the activities of its thread
 * @param open          whether the case is still being worked on
 */
public record CaseRecord(String id, String number, Optional<String> responsibleId, boolean open) {

    public CaseRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(responsibleId, "responsibleId");
    }

    /** This case as an item to bind mail to. */
    public ItemRef ref() {
        return new ItemRef(ItemType.CASE, id);
    }
}

package org.jamescrm.spi;

import java.util.Objects;

/** A CRM item by kind and the CRM's own id. */
public record ItemRef(ItemType type, String id) {

    public ItemRef {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
    }

    @Override
    public String toString() {
        return type + ":" + id;
    }
}

package org.jamescrm.emulator.bitrix24;

import java.util.Locale;
import java.util.Optional;

/** The CRM object types the emulator stores (bitrix24-api §6.1). */
enum EntityType {
    LEAD(1, "Lead", "L"),
    DEAL(2, "Deal", "D"),
    CONTACT(3, "Contact", "C"),
    COMPANY(4, "Company", "CO");

    private final int id;
    private final String title;
    private final String shortName;

    EntityType(int id, String title, String shortName) {
        this.id = id;
        this.title = title;
        this.shortName = shortName;
    }

    /** The numeric {@code OWNER_TYPE_ID}/{@code ENTITY_TYPE_ID}. */
    int id() {
        return id;
    }

    /** The display name ({@code crm.enum.ownertype} NAME). */
    String title() {
        return title;
    }

    /** The short symbol ({@code SYMBOL_CODE_SHORT}). */
    String shortName() {
        return shortName;
    }

    static Optional<EntityType> byId(long id) {
        for (EntityType type : values()) {
            if (type.id == id) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** By symbol ({@code LEAD}) or numeric id, as {@code CCrmOwnerType::ResolveID} accepts both. */
    static Optional<EntityType> resolve(String nameOrId) {
        String text = nameOrId.strip();
        if (text.matches("\\d+")) {
            return byId(Long.parseLong(text));
        }
        for (EntityType type : values()) {
            if (type.name().equals(text.toUpperCase(Locale.ROOT))) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}

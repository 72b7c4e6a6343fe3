package org.jamescrm.bitrix24;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.spi.ClientRecord;
import org.jamescrm.spi.DealStage;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.ItemType;
import org.jamescrm.spi.LeadStatus;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads Bitrix24 rows into the SPI's values, tolerating the portal's PHP ways (bitrix24-api §2.2):
 * ids as strings or numbers, {@code "0"} or {@code ""} for "none", omitted empty multi-fields.
 */
final class Bitrix24Records {
    /** The CRM object type ids of bitrix24-api §6.1. */
    private static final Map<ItemType, Integer> OWNER_TYPE = Map.of(ItemType.LEAD, 1, ItemType.DEAL, 2, ItemType.CONTACT, 3,
        ItemType.COMPANY, 4);

    private Bitrix24Records() {
    }

    /** The {@code OWNER_TYPE_ID} / {@code ENTITY_TYPE_ID} of an item type. */
    static int ownerType(ItemType type) {
        return OWNER_TYPE.get(type);
    }

    /** The item of an owner type and id; empty for types the capture does not use or for no id. */
    static Optional<ItemRef> itemRef(int ownerType, String id) {
        return OWNER_TYPE.entrySet().stream().filter(entry -> entry.getValue() == ownerType).findFirst()
            .filter(entry -> !id.isEmpty() && !id.equals("0"))
            .map(entry -> new ItemRef(entry.getKey(), id));
    }

    /** The items an activity row is bound to: its owner and the entities of its communications. */
    static Set<ItemRef> activityItems(JsonNode activity) {
        Set<ItemRef> items = new LinkedHashSet<>();
        itemRef(activity.path("OWNER_TYPE_ID").asInt(), activity.path("OWNER_ID").asText()).ifPresent(items::add);
        for (JsonNode communication : activity.path("COMMUNICATIONS")) {
            itemRef(communication.path("ENTITY_TYPE_ID").asInt(), communication.path("ENTITY_ID").asText()).ifPresent(items::add);
        }
        return items;
    }

    /** An id field; empty for {@code "0"}, {@code ""} or absent. */
    static Optional<String> id(JsonNode value) {
        String text = value.asText("");
        return text.isEmpty() || text.equals("0") ? Optional.empty() : Optional.of(text);
    }

    /**
     * What the rows of a lookup say about one address.
     *
     * @param leads     lead rows (ID, STATUS_SEMANTIC_ID, ASSIGNED_BY_ID, DATE_MODIFY, EMAIL)
     * @param contacts  contact rows (ID, ASSIGNED_BY_ID, COMPANY_ID, EMAIL)
     * @param companies company rows (ID, ASSIGNED_BY_ID, EMAIL)
     * @param deals     deal rows (ID, STAGE_SEMANTIC_ID, ASSIGNED_BY_ID, DATE_MODIFY, LEAD_ID, CONTACT_ID, COMPANY_ID)
     */
    static ClientRecord clientRecord(EmailAddress email, List<JsonNode> leads, List<JsonNode> contacts, List<JsonNode> companies,
                                     List<JsonNode> deals) {
        List<ClientRecord.Lead> leadRecords = new ArrayList<>();
        List<ClientRecord.Contact> contactRecords = new ArrayList<>();
        List<ClientRecord.Company> companyRecords = new ArrayList<>();
        Set<String> leadIds = new LinkedHashSet<>();
        Set<String> contactIds = new LinkedHashSet<>();
        Set<String> companyIds = new LinkedHashSet<>();
        for (JsonNode lead : leads) {
            if (hasEmail(lead, email) && leadIds.add(lead.path("ID").asText())) {
                leadRecords.add(new ClientRecord.Lead(lead.path("ID").asText(), leadStatus(lead.path("STATUS_SEMANTIC_ID").asText("P")),
                    id(lead.path("ASSIGNED_BY_ID")), time(lead.path("DATE_MODIFY"))));
            }
        }
        for (JsonNode contact : contacts) {
            if (hasEmail(contact, email) && contactIds.add(contact.path("ID").asText())) {
                Optional<String> companyId = id(contact.path("COMPANY_ID"));
                companyId.ifPresent(companyIds::add);
                contactRecords.add(new ClientRecord.Contact(contact.path("ID").asText(), id(contact.path("ASSIGNED_BY_ID")), companyId));
            }
        }
        Set<String> companiesSeen = new LinkedHashSet<>();
        for (JsonNode company : companies) {
            String companyId = company.path("ID").asText();
            if ((hasEmail(company, email) || companyIds.contains(companyId)) && companiesSeen.add(companyId)) {
                companyIds.add(companyId);
                companyRecords.add(new ClientRecord.Company(companyId, id(company.path("ASSIGNED_BY_ID"))));
            }
        }
        Map<String, ClientRecord.Deal> dealRecords = new LinkedHashMap<>();
        for (JsonNode deal : deals) {
            boolean mine = contactIds.contains(deal.path("CONTACT_ID").asText("-"))
                || companyIds.contains(deal.path("COMPANY_ID").asText("-"))
                || leadIds.contains(deal.path("LEAD_ID").asText("-"));
            if (mine) {
                dealRecords.putIfAbsent(deal.path("ID").asText(), new ClientRecord.Deal(deal.path("ID").asText(),
                    dealStage(deal.path("STAGE_SEMANTIC_ID").asText("P")), id(deal.path("ASSIGNED_BY_ID")),
                    time(deal.path("DATE_MODIFY")), id(deal.path("LEAD_ID"))));
            }
        }
        return new ClientRecord(email, contactRecords, companyRecords, leadRecords, List.copyOf(dealRecords.values()));
    }

    /** Whether a row's EMAIL multi-field holds the address (absent when the row has none). */
    static boolean hasEmail(JsonNode entity, EmailAddress email) {
        for (JsonNode value : entity.path("EMAIL")) {
            if (value.path("VALUE").asText("").strip().toLowerCase(Locale.ROOT).equals(email.value())) {
                return true;
            }
        }
        return false;
    }

    private static LeadStatus leadStatus(String semantic) {
        return switch (semantic) {
            case "S" -> LeadStatus.CONVERTED;
            case "F" -> LeadStatus.JUNK;
            default -> LeadStatus.OPEN;
        };
    }

    private static DealStage dealStage(String semantic) {
        return switch (semantic) {
            case "S" -> DealStage.WON;
            case "F" -> DealStage.LOST;
            default -> DealStage.IN_PROGRESS;
        };
    }

    private static Instant time(JsonNode value) {
        try {
            return OffsetDateTime.parse(value.asText("")).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.EPOCH; // an empty or odd date sorts last
        }
    }
}

package org.jamescrm.zoho;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.spi.CrmText;
import org.jamescrm.spi.ItemType;
import org.jamescrm.spi.LeadStatus;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How capture concepts become Zoho modules and fields (docs/connectors.md, the Zoho column): module API
 * names, lead statuses, the datetime format, field lengths, and the one custom field an administrator
 * adds (Setup &gt; Modules and Fields) for exactly-once captures: {@code Capture Key} (single line, API
 * name {@value #CAPTURE_KEY}) on Leads, Contacts and Deals, the capture key of the mail that created the
 * record. E-mails need none: Zoho keeps their {@code original_message_id}, which is the capture key.
 */
final class ZohoFields {
    static final String CAPTURE_KEY = "Capture_Key";
    static final String LEADS = "Leads";
    static final String CONTACTS = "Contacts";
    static final String ACCOUNTS = "Accounts";
    static final String DEALS = "Deals";
    /** Zoho's own lead statuses of an unsuccessful close. */
    static final Set<String> JUNK_STATUSES = Set.of("Junk Lead", "Lost Lead", "Not Qualified");
    /** Field lengths of the standard layouts. */
    static final int LAST_NAME_LENGTH = 80;
    static final int FIRST_NAME_LENGTH = 40;
    static final int COMPANY_LENGTH = 200;
    static final int DEAL_NAME_LENGTH = 120;
    static final int SUBJECT_LENGTH = 250;
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'+00:00'", Locale.ROOT);
    private static final Map<ItemType, String> MODULES = Map.of(ItemType.LEAD, LEADS, ItemType.CONTACT, CONTACTS,
        ItemType.COMPANY, ACCOUNTS, ItemType.DEAL, DEALS);

    private ZohoFields() {
    }

    static String module(ItemType type) {
        return MODULES.get(type);
    }

    static Optional<ItemType> itemType(String module) {
        return MODULES.entrySet().stream().filter(entry -> entry.getValue().equals(module)).map(Map.Entry::getKey).findFirst();
    }

    /** An unconverted lead's status: junk by Zoho's closing statuses, open otherwise. */
    static LeadStatus leadStatus(JsonNode lead) {
        if (lead.path("Converted__s").asBoolean(false)) {
            return LeadStatus.CONVERTED;
        }
        return JUNK_STATUSES.contains(lead.path("Lead_Status").asText("")) ? LeadStatus.JUNK : LeadStatus.OPEN;
    }

    /** Zoho's datetime: seconds, an offset, no milliseconds (some fields refuse them). */
    static String dateTime(Instant instant) {
        return DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
    }

    static Instant instant(JsonNode value) {
        try {
            return OffsetDateTime.parse(value.asText("")).toInstant();
        } catch (DateTimeParseException notADate) {
            return Instant.EPOCH;
        }
    }

    /** The id of a lookup field ({@code {"id": …, "name": …}}), if set. */
    static Optional<String> lookupId(JsonNode record, String field) {
        String id = record.path(field).path("id").asText("");
        return id.isEmpty() ? Optional.empty() : Optional.of(id);
    }

    /** Whether a record's e-mail fields hold exactly {@code address}, whatever the case: Zoho's matching is looser. */
    static boolean hasAddress(JsonNode record, EmailAddress address) {
        for (String field : List.of("Email", "Secondary_Email")) {
            if (record.path(field).asText("").equalsIgnoreCase(address.value())) {
                return true;
            }
        }
        return false;
    }

    /** The first and last name of a display name; Zoho requires the last name. */
    static String[] names(String name, EmailAddress email) {
        String stripped = name.strip();
        int space = stripped.lastIndexOf(' ');
        String first = space < 0 ? "" : stripped.substring(0, space).strip();
        String last = space < 0 ? stripped : stripped.substring(space + 1);
        return new String[] {CrmText.truncate(first, FIRST_NAME_LENGTH),
            CrmText.truncate(last.isEmpty() ? email.localPart() : last, LAST_NAME_LENGTH)};
    }

    /** A COQL string literal: quoted, with {@code '} and {@code \} escaped. */
    static String literal(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}

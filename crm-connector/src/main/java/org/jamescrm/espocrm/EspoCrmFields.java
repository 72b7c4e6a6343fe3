package org.jamescrm.espocrm;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.spi.CrmText;
import org.jamescrm.spi.DealStage;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.ItemType;
import org.jamescrm.spi.LeadStatus;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How capture concepts become EspoCRM entities and attributes (docs/connectors.md, the EspoCRM column):
 * entity types, lead statuses and opportunity stages, the UTC datetime format, and the two custom fields
 * an administrator adds (Administration &gt; Entity Manager) for exactly-once captures:
 * <ul>
 *   <li>{@code captureKey} (varchar, API name {@value #CAPTURE_KEY}) on Lead, Contact, Account, Opportunity,
 *       Case and Email: the capture key of the mail that created the record;</li>
 *   <li>{@code captureItems} (varchar 255, API name {@value #CAPTURE_ITEMS}) on Email: the direction and
 *       every item the capture bound the e-mail to (EspoCRM's e-mail has a single parent).</li>
 * </ul>
 */
final class EspoCrmFields {
    static final String CAPTURE_KEY = "cCaptureKey";
    static final String CAPTURE_ITEMS = "cCaptureItems";
    static final String LEAD = "Lead";
    static final String CONTACT = "Contact";
    static final String ACCOUNT = "Account";
    static final String OPPORTUNITY = "Opportunity";
    static final String CASE = "Case";
    static final String EMAIL = "Email";
    static final String USER = "User";
    static final String TEAM = "Team";
    /** Lead statuses that are not "actual" (espocrm-api §6). */
    static final List<String> CLOSED_LEAD = List.of("Converted", "Recycled", "Dead");
    static final List<String> CLOSED_STAGES = List.of("Closed Won", "Closed Lost");
    /** Case statuses that are not "actual" (espocrm-api §6): the case is no longer being worked on. */
    static final List<String> CLOSED_CASE = List.of("Closed", "Rejected", "Duplicate");
    /** The options of Lead {@code source} and Opportunity {@code leadSource}. */
    static final List<String> SOURCES = List.of("Call", "Email", "Existing Customer", "Partner", "Public Relations", "Web Site",
        "Campaign", "Other");
    /** Free mail providers: their domains name no company, so no Account is made of them. */
    static final Set<String> FREE_MAIL = Set.of("gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com",
        "icloud.com", "me.com", "mac.com", "aol.com", "yahoo.com", "gmx.com", "gmx.net", "gmx.de", "web.de", "mail.com", "proton.me",
        "protonmail.com", "yandex.ru", "mail.ru", "seznam.cz", "email.cz", "centrum.cz", "atlas.cz", "post.cz", "volny.cz",
        "azet.sk", "zoznam.sk", "centrum.sk", "pobox.sk", "wp.pl", "o2.pl", "onet.pl", "interia.pl", "t-online.de", "orange.fr",
        "free.fr", "laposte.net", "libero.it", "yahoo.co.uk");
    /** EspoCRM's limits of the fields written (varchar lengths of entityDefs). */
    static final int NAME_LENGTH = 255;
    static final int PERSON_NAME_LENGTH = 100;
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    private static final Map<ItemType, String> ENTITIES = Map.of(ItemType.LEAD, LEAD, ItemType.CONTACT, CONTACT,
        ItemType.COMPANY, ACCOUNT, ItemType.DEAL, OPPORTUNITY, ItemType.CASE, CASE);

    private EspoCrmFields() {
    }

    static String entity(ItemType type) {
        return ENTITIES.get(type);
    }

    static Optional<ItemType> itemType(String entity) {
        return ENTITIES.entrySet().stream().filter(entry -> entry.getValue().equals(entity)).map(Map.Entry::getKey).findFirst();
    }

    static LeadStatus leadStatus(String status) {
        return switch (status) {
            case "Converted" -> LeadStatus.CONVERTED;
            case "Recycled", "Dead" -> LeadStatus.JUNK;
            default -> LeadStatus.OPEN;
        };
    }

    static DealStage dealStage(String stage) {
        return switch (stage) {
            case "Closed Won" -> DealStage.WON;
            case "Closed Lost" -> DealStage.LOST;
            default -> DealStage.IN_PROGRESS;
        };
    }

    /** The option of {@code source} naming the capture's lead source ({@code EMAIL} is {@code Email}); {@code Other} when none does. */
    static String source(String source) {
        String wanted = source.replace("_", " ").replace("-", "").strip();
        return SOURCES.stream().filter(option -> option.replace("-", "").equalsIgnoreCase(wanted)).findFirst()
            .orElse(wanted.equalsIgnoreCase("e mail") ? "Email" : "Other");
    }

    /** EspoCRM's datetime: UTC, {@code YYYY-MM-DD HH:mm:ss}, no offset. */
    static String dateTime(Instant instant) {
        return DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
    }

    static Instant instant(String dateTime) {
        try {
            return LocalDateTime.parse(dateTime, DATE_TIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException | NullPointerException notADate) {
            return Instant.EPOCH;
        }
    }

    /** Whether a record's e-mail addresses (primary and others) include {@code address}, as EspoCRM compares them. */
    static boolean hasAddress(JsonNode record, EmailAddress address) {
        if (record.path("emailAddress").asText("").equalsIgnoreCase(address.value())) {
            return true;
        }
        for (JsonNode data : record.path("emailAddressData")) {
            if (data.path("emailAddress").asText("").equalsIgnoreCase(address.value())) {
                return true;
            }
        }
        return false;
    }

    /** The first and last name of a display name; EspoCRM requires a Contact's last name. */
    static String[] names(String name) {
        String stripped = name.strip();
        int space = stripped.lastIndexOf(' ');
        if (space < 0) {
            return new String[] {"", CrmText.truncate(stripped, PERSON_NAME_LENGTH)};
        }
        return new String[] {CrmText.truncate(stripped.substring(0, space).strip(), PERSON_NAME_LENGTH),
            CrmText.truncate(stripped.substring(space + 1), PERSON_NAME_LENGTH)};
    }

    /** The value of {@value #CAPTURE_ITEMS}: {@code incoming|outgoing} and the items, e.g. {@code outgoing Opportunity:65f0 Contact:65e9}. */
    static String captureItems(boolean outgoing, List<ItemRef> items) {
        StringBuilder value = new StringBuilder(outgoing ? "outgoing" : "incoming");
        items.forEach(item -> value.append(' ').append(entity(item.type())).append(':').append(item.id()));
        return value.toString();
    }

    /** The items of a {@value #CAPTURE_ITEMS} value. */
    static List<ItemRef> capturedItems(String value) {
        List<ItemRef> items = new ArrayList<>();
        for (String part : value.strip().split("\\s+")) {
            int colon = part.indexOf(':');
            if (colon > 0) {
                itemType(part.substring(0, colon)).ifPresent(type -> items.add(new ItemRef(type, part.substring(colon + 1))));
            }
        }
        return items;
    }
}

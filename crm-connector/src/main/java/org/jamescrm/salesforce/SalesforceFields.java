package org.jamescrm.salesforce;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.spi.DealStage;
import org.jamescrm.spi.ItemType;
import org.jamescrm.spi.LeadStatus;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How capture concepts become Salesforce objects and fields (docs/connectors.md, the Salesforce column): the
 * objects, the id prefixes, lead and opportunity states, the datetime format ({@code +0000} without a colon), the
 * field limits (text cut with a marker, never refused for length) and the capture key: the SHA-256 of the
 * capture key in hex (64 characters), in the custom text field an administrator adds to Lead, Contact, Opportunity
 * and EmailMessage (or Task). Never a raw Message-ID in a URL path: the hash is what is matched.
 */
final class SalesforceFields {
    static final String LEAD = "Lead";
    static final String CONTACT = "Contact";
    static final String ACCOUNT = "Account";
    static final String OPPORTUNITY = "Opportunity";
    static final String EMAIL_MESSAGE = "EmailMessage";
    static final String EMAIL_RELATION = "EmailMessageRelation";
    static final String TASK = "Task";
    static final String USER = "User";
    static final String CONTENT_VERSION = "ContentVersion";
    /** ContentVersion's Title and PathOnClient. */
    static final int TITLE = 255;
    /** Long text areas: TextBody, HtmlBody, Description. */
    static final int LONG_TEXT = 32_000;
    static final int EMAIL_SUBJECT = 3_000;
    static final int TASK_SUBJECT = 255;
    static final int ADDRESS_LIST = 4_000;
    static final int FROM_NAME = 1_000;
    static final int LAST_NAME = 80;
    static final int FIRST_NAME = 40;
    static final int COMPANY = 255;
    static final int OPPORTUNITY_NAME = 120;
    /** What marks a value the connector cut to the field's limit. */
    static final String CUT = " [... cut by the mail capture]";
    /** Lead statuses of a lead closed without conversion, as a new org names them. */
    static final String CLOSED_LEAD_PREFIX = "Closed";
    /** The Company of a lead whose domain names no company (as Web-to-Lead writes it). */
    static final String NO_COMPANY = "[not provided]";
    static final Set<String> FREE_MAIL = Set.of("gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com",
        "icloud.com", "me.com", "mac.com", "aol.com", "yahoo.com", "gmx.com", "gmx.net", "gmx.de", "web.de", "mail.com", "proton.me",
        "protonmail.com", "yandex.ru", "mail.ru", "seznam.cz", "t-online.de", "orange.fr", "free.fr", "libero.it", "yahoo.co.uk");
    private static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder()
        .appendPattern("yyyy-MM-dd'T'HH:mm:ss[.SSS]").appendPattern("[XX][XXX][X]").toFormatter(Locale.ROOT);

    private SalesforceFields() {
    }

    /** The value of the capture key field for a capture key (or a Message-ID looked up as one). */
    static String keyHash(String captureKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(captureKey.strip().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** The kind of item an 18-character (or 15-character) id names, by its prefix. */
    static Optional<ItemType> itemType(String id) {
        if (id == null || id.length() < 3) {
            return Optional.empty();
        }
        return switch (id.substring(0, 3)) {
            case "00Q" -> Optional.of(ItemType.LEAD);
            case "003" -> Optional.of(ItemType.CONTACT);
            case "001" -> Optional.of(ItemType.COMPANY);
            case "006" -> Optional.of(ItemType.DEAL);
            default -> Optional.empty();
        };
    }

    static LeadStatus leadStatus(JsonNode lead) {
        if (lead.path("IsConverted").asBoolean(false)) {
            return LeadStatus.CONVERTED;
        }
        return lead.path("Status").asText("").startsWith(CLOSED_LEAD_PREFIX) ? LeadStatus.JUNK : LeadStatus.OPEN;
    }

    /** {@code IsClosed} and {@code IsWon} come from the stage's configuration: never the stage's name. */
    static DealStage dealStage(JsonNode opportunity) {
        if (!opportunity.path("IsClosed").asBoolean(false)) {
            return DealStage.IN_PROGRESS;
        }
        return opportunity.path("IsWon").asBoolean(false) ? DealStage.WON : DealStage.LOST;
    }

    /** A datetime as Salesforce writes it ({@code 2025-03-01T09:15:00.000+0000}) or ISO ({@code …Z}); the epoch when absent. */
    static Instant instant(String dateTime) {
        if (dateTime == null || dateTime.isBlank()) {
            return Instant.EPOCH;
        }
        try {
            return OffsetDateTime.parse(dateTime, DATE_TIME).toInstant();
        } catch (DateTimeParseException notADate) {
            return Instant.EPOCH;
        }
    }

    /** {@code value} cut to {@code length} characters, the cut marked. */
    static String cut(String value, int length) {
        return value.length() <= length ? value : value.substring(0, length - CUT.length()) + CUT;
    }

    /** The first and last name of a display name; Salesforce requires a last name. */
    static String[] names(String name, EmailAddress email) {
        String stripped = name.strip();
        int space = stripped.lastIndexOf(' ');
        String first = space < 0 ? "" : stripped.substring(0, space).strip();
        String last = space < 0 ? stripped : stripped.substring(space + 1);
        if (last.isEmpty()) {
            last = email.localPart();
        }
        return new String[] {cut(first, FIRST_NAME), cut(last, LAST_NAME)};
    }

    /** A lead's Company: the domain of a company's address, {@value #NO_COMPANY} for a free mail provider's. */
    static String company(EmailAddress email) {
        String domain = email.domain().toLowerCase(Locale.ROOT);
        return FREE_MAIL.contains(domain) ? NO_COMPANY : cut(domain, COMPANY);
    }

    /** The picklist value of a lead source ({@code EMAIL} is {@code Email}, {@code WEB_SITE} is {@code Web Site}). */
    static String leadSource(String source) {
        StringBuilder value = new StringBuilder();
        for (String word : source.strip().replace('_', ' ').split("\\s+")) {
            if (!word.isEmpty()) {
                value.append(value.isEmpty() ? "" : " ").append(word.substring(0, 1).toUpperCase(Locale.ROOT))
                    .append(word.substring(1).toLowerCase(Locale.ROOT));
            }
        }
        return value.toString().equals("E-mail") ? "Email" : value.toString();
    }

    static String text(JsonNode record, String field) {
        JsonNode value = record.path(field);
        return value.isTextual() ? value.asText() : "";
    }

    static Optional<String> optional(JsonNode record, String field) {
        String value = text(record, field);
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }
}

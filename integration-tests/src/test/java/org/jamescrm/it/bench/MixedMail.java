package org.jamescrm.it.bench;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jamescrm.emulator.salesforce.SalesforceEmulator;
import org.jamescrm.it.SalesforceKeys;
import org.jamescrm.capture.CaptureRequest;
import org.jamescrm.emulator.bitrix24.Bitrix24Emulator;
import org.jamescrm.settings.CaptureSettings;
import org.jamescrm.settings.SettingsParser;
import org.jamescrm.testing.CaptureRequests;
import org.jamescrm.testing.TestMessages;
import org.jamescrm.spi.ConnectorProviders;

/**
 * The mixed mail of the load benchmark and the rate-limit tests, on a Bitrix24 portal seeded with
 * known clients: each known client has a contact, a deal in progress and a captured mail from the
 * company that clients answer. The mix, in turn: a new client writing in (lead and activity), a
 * known client writing in (activity on the deal), a known client answering the company's mail
 * (activity on the thread's deal), and — one mail in seven — the company writing to a known client
 * (outgoing activity, created open and completed).
 */
public final class MixedMail {
    /** The server's own domain. */
    public static final String DOMAIN = "company.example";
    private static final String ORIGINATOR = "james-crm-capture";

    private final CaptureSettings settings = new SettingsParser(ConnectorProviders.load()).parse(
        new ByteArrayInputStream("<crmcapture/>".getBytes(StandardCharsets.UTF_8)), "crm-capture.xml");
    private final int knownClients;
    private final String run;

    /**
     * @param knownClients how many known clients to seed
     * @param run          a word making this run's Message-IDs and new clients unique
     */
    public MixedMail(int knownClients, String run) {
        this.knownClients = knownClients;
        this.run = run;
    }

    /** The settings the captures run under (all defaults). */
    public CaptureSettings settings() {
        return settings;
    }

    /** Seeds the portal without touching its rate limit: the employee, the known clients, their deals and threads. */
    public void seed(Bitrix24Emulator portal) {
        long alice = portal.addUser(Map.of("NAME", "Alice", "LAST_NAME", "Adams", "EMAIL", "alice@" + DOMAIN, "ACTIVE", "Y"));
        for (int i = 0; i < knownClients; i++) {
            String email = known(i);
            long contact = portal.addContact(Map.of("NAME", "Client " + i, "ASSIGNED_BY_ID", alice,
                "EMAIL", List.of(Map.of("VALUE", email, "VALUE_TYPE", "WORK"))));
            long deal = portal.addDeal(Map.of("TITLE", "Order " + i, "CONTACT_ID", contact, "ASSIGNED_BY_ID", alice, "STAGE_ID", "NEW"));
            Map<String, Object> fields = new java.util.LinkedHashMap<>();
            fields.put("OWNER_TYPE_ID", 2);
            fields.put("OWNER_ID", deal);
            fields.put("TYPE_ID", 4);
            fields.put("DIRECTION", 2);
            fields.put("SUBJECT", "Offer " + i);
            fields.put("DESCRIPTION", "Our offer");
            fields.put("DESCRIPTION_TYPE", 1);
            fields.put("COMPLETED", "N");
            fields.put("RESPONSIBLE_ID", alice);
            fields.put("ORIGINATOR_ID", ORIGINATOR);
            fields.put("ORIGIN_ID", offerId(i));
            fields.put("COMMUNICATIONS", List.of(Map.of("VALUE", email, "ENTITY_TYPE_ID", 3, "ENTITY_ID", contact, "TYPE", "EMAIL")));
            portal.call("crm.activity.add", Map.of("fields", fields));
        }
    }

    /** Seeds an EspoCRM site the same way: the employee, the known clients (Contact), their Opportunities and offers (Email). */
    public void seed(org.jamescrm.emulator.espocrm.EspoCrmEmulator site) {
        String alice = site.addUser("alice@" + DOMAIN, "Alice Adams");
        for (int i = 0; i < knownClients; i++) {
            String email = known(i);
            String contact = site.add("Contact", Map.of("firstName", "Client", "lastName", "No " + i, "emailAddress", email,
                "assignedUserId", alice));
            String deal = site.add("Opportunity", Map.of("name", "Order " + i, "amount", 100, "closeDate", "2027-06-30",
                "stage", "Prospecting", "contactId", contact, "contactsIds", List.of(contact), "assignedUserId", alice));
            site.add("Email", Map.of("name", "Offer " + i, "from", "alice@" + DOMAIN, "to", email, "status", "Archived",
                "parentType", "Opportunity", "parentId", deal, "assignedUserId", alice, "cCaptureKey", offerId(i),
                "cCaptureItems", "outgoing Opportunity:" + deal + " Contact:" + contact));
        }
    }

    /** Seeds a Zoho organisation the same way: the employee, the known clients (Contacts), their Deals and offers (e-mails). */
    public void seed(org.jamescrm.emulator.zoho.ZohoEmulator org) {
        String alice = org.addUser("alice@" + DOMAIN, "Alice Adams");
        for (int i = 0; i < knownClients; i++) {
            String email = known(i);
            String contact = org.add("Contacts", Map.of("First_Name", "Client", "Last_Name", "No " + i, "Email", email, "Owner", alice));
            String deal = org.add("Deals", Map.of("Deal_Name", "Order " + i, "Stage", "Needs Analysis", "Closing_Date", "2027-06-30",
                "Contact_Name", contact, "Owner", alice));
            org.addEmail("Contacts", contact, Map.of("from", Map.of("email", "alice@" + DOMAIN), "to", List.of(Map.of("email", email)),
                "subject", "Offer " + i, "content", "Our offer", "sent", true, "original_message_id", offerId(i),
                "date_time", "2026-11-20T10:00:00+00:00", "linked_record", Map.of("module", Map.of("api_name", "Deals"), "id", deal)));
        }
    }

    /**
     * Seeds a Salesforce org the same way: the employee (User), the known clients (Contact), their Opportunities (with the
     * contact's role) and offers (EmailMessage carrying the SHA-256 of the offer's capture key, as the connector writes it).
     */
    public void seed(SalesforceEmulator org) {
        String alice = org.addUser("alice@" + DOMAIN, "Alice Adams");
        for (int i = 0; i < knownClients; i++) {
            String email = known(i);
            String contact = org.add("Contact", Map.of("FirstName", "Client", "LastName", "No " + i, "Email", email, "OwnerId", alice));
            String deal = org.add("Opportunity", Map.of("Name", "Order " + i, "StageName", "Prospecting", "CloseDate", "2027-06-30",
                "ContactId", contact, "OwnerId", alice));
            org.add("EmailMessage", Map.of("Subject", "Offer " + i, "FromAddress", "alice@" + DOMAIN, "ToAddress", email, "Incoming", false,
                "Status", "3", "RelatedToId", deal, "ToIds", List.of(contact), "Capture_Key__c",
                SalesforceKeys.hash(offerId(i))));
        }
    }

    /** The kind of mail number {@code n}. */
    public static Kind kind(int n) {
        int slot = n % 7;
        return slot < 2 ? Kind.NEW_CLIENT : slot < 4 ? Kind.KNOWN_CLIENT : slot < 6 ? Kind.REPLY : Kind.OUTGOING;
    }

    /** The kinds of mail in the mix. */
    public enum Kind {
        /** An unknown address writes to the company: a lead and its activity. */
        NEW_CLIENT,
        /** A known client writes: an activity on the client's deal. */
        KNOWN_CLIENT,
        /** A known client answers the company's offer: an activity on the thread's deal. */
        REPLY,
        /** The company writes to a known client: an outgoing activity, completed. */
        OUTGOING
    }

    /** Mail number {@code n} of the mix, classified and parsed as the capture queue hands it over. */
    public CaptureRequest request(int n) {
        int client = n % knownClients;
        String id = "<" + run + "-" + n + "@mix.example>";
        return switch (kind(n)) {
            case NEW_CLIENT -> request("new" + n + "-" + run + "@lead.example", "alice@" + DOMAIN,
                TestMessages.plain("New Client <new" + n + "-" + run + "@lead.example>", "alice@" + DOMAIN, id, "", "Inquiry " + n, "Hello."));
            case KNOWN_CLIENT -> request(known(client), "alice@" + DOMAIN,
                TestMessages.plain(known(client), "alice@" + DOMAIN, id, "", "Question " + n, "One more question."));
            case REPLY -> request(known(client), "alice@" + DOMAIN,
                TestMessages.plain(known(client), "alice@" + DOMAIN, id, "In-Reply-To: " + offerId(client) + "\r\n", "Re: Offer " + client,
                    "Agreed."));
            case OUTGOING -> request("alice@" + DOMAIN, known(client),
                TestMessages.plain("Alice Adams <alice@" + DOMAIN + ">", known(client), id, "", "Invoice " + n, "Please find the invoice."));
        };
    }

    /** The requests of mails {@code 0 … count-1}. */
    public List<CaptureRequest> requests(int count) {
        List<CaptureRequest> requests = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            requests.add(request(n));
        }
        return requests;
    }

    private CaptureRequest request(String sender, String recipient, String message) {
        return CaptureRequests.of(sender, List.of(recipient), message, DOMAIN, settings, Instant.now());
    }

    private static String known(int i) {
        return "client" + i + "@client" + i + ".example";
    }

    private String offerId(int i) {
        return "<offer-" + i + "@" + DOMAIN + ">";
    }
}

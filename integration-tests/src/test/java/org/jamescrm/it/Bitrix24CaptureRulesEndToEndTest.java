package org.jamescrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.jamescrm.it.CaptureRulesScenario.ALICE;
import static org.jamescrm.it.CaptureRulesScenario.BOB;
import static org.jamescrm.it.CaptureRulesScenario.CAPTURE;
import static org.jamescrm.it.CaptureRulesScenario.CRM;
import static org.jamescrm.it.CaptureRulesScenario.DORA;
import static org.jamescrm.it.CaptureRulesScenario.roundRobinMessageId;

import java.util.List;
import java.util.Map;

import org.apache.james.GuiceJamesServer;
import org.apache.james.JamesServerExtension;
import org.jamescrm.emulator.bitrix24.Bitrix24Emulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * Capture settings a CRM administrator wrote, end to end on Bitrix24: a real James 3.8.1 server with
 * the product installed and {@code <connector>bitrix24</connector>}, talking over HTTP to the Bitrix24
 * emulator. Covers, as an administrator would check them in the portal (the activity's owner and
 * bindings, the responsible user, ORIGIN_ID, the leads created) and on WebAdmin {@code /crm/decisions}:
 * <ul>
 * <li>repeat-sale mode {@code lead}: a known client whose only deal is won gets a repeat lead for its
 * responsible although lead creation from mail is off ({@code REPEAT_LEAD});</li>
 * <li>a group mailbox with round-robin distribution handing new clients' leads to its queue in turn;</li>
 * <li>a leadless mailbox: a new client gets a contact and a deal, no lead ({@code NEW_CONTACT_AND_DEAL});</li>
 * <li>manual save: a client mail an employee forwards as attachment to the capture address is saved for
 * that employee although automatic capture skipped it, and the capture address receives nothing;</li>
 * <li>lead creation off: an unknown client's mail is delivered but not captured
 * ({@code UNKNOWN_CLIENT_NO_CREATE}).</li>
 * </ul>
 * The server is shared by the class, so every test uses its own client addresses and Message-IDs.
 */
class Bitrix24CaptureRulesEndToEndTest {
    /** Bitrix24's owner types (OWNER_TYPE_ID, ENTITY_TYPE_ID). */
    static final String LEAD = "1";
    static final String DEAL = "2";
    static final String CONTACT = "3";

    /** Started before James, whose settings name its URL and webhook. */
    static final Bitrix24Emulator PORTAL = Bitrix24Emulator.builder().start();

    /**
     * Lead creation for incoming mail is off by default, with repeat-sale mode {@code lead}; sales@ is a
     * group mailbox creating leads in round robin; Dora's mailbox works without leads. Lead creation is
     * switched on for Dora because leadless mode replaces the lead by a contact and a deal, it does not
     * by itself allow creating anything (configuration.md: {@code createLeadForIncoming} false gives
     * {@code UNKNOWN_CLIENT_NO_CREATE}).
     */
    static final String SETTINGS = InstalledJames.captureRulesSettings("""
          <connector>bitrix24</connector>
          <bitrix24>
            <portal>%s</portal>
            <webhook user="%d" code="%s"/>
          </bitrix24>
        """.formatted(PORTAL.portalUrl(), PORTAL.webhookUserId(), PORTAL.webhookCode()));

    /** The clients' mail server: outgoing mail goes there through the smarthost option, never to the network. */
    @RegisterExtension
    static GreenMailExtension clientMailServer = new GreenMailExtension(new ServerSetup(3028, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
        .withPerMethodLifecycle(false);

    @RegisterExtension
    static JamesServerExtension james = InstalledJames.withProductConfiguration().smarthost(3028).captureSettings(SETTINGS).extension();

    static CaptureRulesScenario scenario;
    static long alice;
    static long bob;
    static long dora;

    @BeforeAll
    static void createMailboxes(GuiceJamesServer server) throws Exception {
        // every employee whose mailbox or queue creates items is a portal user, matched by e-mail address
        alice = PORTAL.addUser(Map.of("NAME", "Alice", "LAST_NAME", "Adams", "EMAIL", ALICE, "ACTIVE", "Y"));
        bob = PORTAL.addUser(Map.of("NAME", "Bob", "LAST_NAME", "Brown", "EMAIL", BOB, "ACTIVE", "Y"));
        dora = PORTAL.addUser(Map.of("NAME", "Dora", "LAST_NAME", "Diaz", "EMAIL", DORA, "ACTIVE", "Y"));
        scenario = CaptureRulesScenario.connect(server);
    }

    @AfterEach
    void noOutgoingMailWasSentAgainByThePortal() {
        assertThat(PORTAL.resentOutgoingEmails()).isEmpty();
    }

    @AfterAll
    static void stopPortal() {
        PORTAL.close();
    }

    /** Whether a row's EMAIL multi-field holds {@code address}. */
    @SuppressWarnings("unchecked")
    private static boolean hasEmail(Map<String, Object> row, String address) {
        return row.get("EMAIL") instanceof List<?> values && values.stream()
            .anyMatch(value -> value instanceof Map<?, ?> field && address.equalsIgnoreCase(String.valueOf(((Map<String, Object>) field).get("VALUE"))));
    }

    private static Map<String, String> binding(String ownerType, Object ownerId) {
        return Map.of("OWNER_TYPE_ID", ownerType, "OWNER_ID", String.valueOf(ownerId));
    }

    /** The activity's bindings (owner and communications) as the emulator shows them. */
    @SuppressWarnings("unchecked")
    private static List<Object> bindings(Map<String, Object> activity) {
        return (List<Object>) activity.get("BINDINGS");
    }

    private static String text(Object value) {
        return String.valueOf(value);
    }

    @Test
    void aKnownClientWhoseOnlyDealIsWonShouldGetARepeatLeadForItsResponsibleAlthoughLeadCreationIsOff() throws Exception {
        // Bob is the client's responsible, the mail goes to Alice: the repeat lead must follow the client, not the mailbox
        long contact = PORTAL.addContact(Map.of("NAME", "Rita", "LAST_NAME", "Returning", "ASSIGNED_BY_ID", bob,
            "EMAIL", List.of(Map.of("VALUE", "rita@client.example", "VALUE_TYPE", "WORK"))));
        long deal = PORTAL.addDeal(Map.of("TITLE", "First order", "CONTACT_ID", contact, "ASSIGNED_BY_ID", bob, "STAGE_ID", "NEW"));
        // won as a sales manager would win it, so the deal is closed and no longer in progress
        PORTAL.call("crm.deal.update", Map.of("id", deal, "fields", Map.of("STAGE_ID", "WON")));
        long leadsBefore = PORTAL.leads().size();

        JsonNode record = scenario.knownClientOrdersAgain();
        assertThat(record.path("settings").path("createLeadForIncoming").asText()).isEqualTo("false");
        assertThat(record.path("settings").path("repeatSale").asText()).isEqualTo("lead");
        assertThat(PORTAL.leads()).hasSize((int) leadsBefore + 1);
        Map<String, Object> lead = PORTAL.leadsWithOrigin("<second-order@client.example>").stream().findFirst().orElseThrow();
        assertThat(text(lead.get("ASSIGNED_BY_ID"))).as("the client's responsible").isEqualTo(text(bob));
        assertThat(text(lead.get("CONTACT_ID"))).isEqualTo(text(contact));
        assertThat(lead.get("IS_RETURN_CUSTOMER")).as("marked as a returning customer").isEqualTo("Y");
        assertThat(lead.get("TITLE")).isEqualTo("Second order");
        assertThat(PORTAL.activitiesWithOrigin("<second-order@client.example>")).singleElement().satisfies(activity -> {
            // capture-rules §5 binds the activity to every item it goes to; which of them Bitrix24 shows as the
            // owner is not a rule, so either is accepted while both timelines must show the mail
            assertThat(List.of(binding(LEAD, lead.get("ID")), binding(CONTACT, contact)))
                .contains(binding(text(activity.get("OWNER_TYPE_ID")), activity.get("OWNER_ID")));
            assertThat(bindings(activity)).as("the repeat lead and the contact, not the won deal")
                .containsExactlyInAnyOrder(binding(LEAD, lead.get("ID")), binding(CONTACT, contact));
            assertThat(text(activity.get("RESPONSIBLE_ID"))).isEqualTo(text(bob));
            assertThat(text(activity.get("DIRECTION"))).isEqualTo("1");
        });
        assertThat(PORTAL.deals()).filteredOn(row -> text(row.get("CONTACT_ID")).equals(text(contact))).singleElement()
            .satisfies(row -> assertThat(row.get("STAGE_ID")).as("no repeat deal, the won one untouched").isEqualTo("WON"));
    }

    @Test
    void theGroupMailboxShouldHandNewClientsLeadsToAliceAndBobInTurn() throws Exception {
        scenario.newClientsWriteToTheGroupMailbox(client -> {
            String messageId = roundRobinMessageId(client);
            Map<String, Object> lead = PORTAL.leadsWithOrigin(messageId).stream().findFirst().orElseThrow();
            assertThat(hasEmail(lead, client + "@client.example")).isTrue();
            assertThat(PORTAL.activitiesWithOrigin(messageId)).singleElement().satisfies(activity -> {
                assertThat(text(activity.get("OWNER_TYPE_ID"))).isEqualTo(LEAD);
                assertThat(text(activity.get("OWNER_ID"))).isEqualTo(text(lead.get("ID")));
                assertThat(text(activity.get("RESPONSIBLE_ID"))).isEqualTo(text(lead.get("ASSIGNED_BY_ID")));
            });
            return text(lead.get("ASSIGNED_BY_ID"));
        }, text(alice), text(bob));
        assertThat(scenario.webAdmin().awaitDecision("<rr-iris@client.example>").path("settings").path("distribution").asText()).isEqualTo("round-robin");
    }

    @Test
    void aNewClientWritingToALeadlessMailboxShouldGetAContactAndADealButNoLead() throws Exception {
        long leadsBefore = PORTAL.leads().size();

        JsonNode record = scenario.newClientWritesToTheLeadlessMailbox();
        assertThat(record.path("settings").path("leadless").asText()).isEqualTo("true");
        assertThat(PORTAL.leads()).as("no lead in leadless mode").hasSize((int) leadsBefore)
            .noneMatch(lead -> hasEmail(lead, "kim@client.example"));
        Map<String, Object> contact = PORTAL.contacts().stream().filter(row -> hasEmail(row, "kim@client.example")).findFirst().orElseThrow();
        assertThat(text(contact.get("ASSIGNED_BY_ID"))).as("the mailbox owner").isEqualTo(text(dora));
        Map<String, Object> deal = PORTAL.deals().stream().filter(row -> "<leadless@client.example>".equals(row.get("ORIGIN_ID")))
            .findFirst().orElseThrow();
        assertThat(text(deal.get("CONTACT_ID"))).isEqualTo(text(contact.get("ID")));
        assertThat(text(deal.get("ASSIGNED_BY_ID"))).isEqualTo(text(dora));
        assertThat(deal.get("CLOSED")).as("a deal in progress").isEqualTo("N");
        assertThat(PORTAL.activitiesWithOrigin("<leadless@client.example>")).singleElement().satisfies(activity -> {
            // as for the repeat lead: either item may be the owner, both must be bound
            assertThat(List.of(binding(CONTACT, contact.get("ID")), binding(DEAL, deal.get("ID"))))
                .contains(binding(text(activity.get("OWNER_TYPE_ID")), activity.get("OWNER_ID")));
            assertThat(bindings(activity)).containsExactlyInAnyOrder(binding(CONTACT, contact.get("ID")),
                binding(DEAL, deal.get("ID")));
            assertThat(text(activity.get("RESPONSIBLE_ID"))).isEqualTo(text(dora));
        });
    }

    @Test
    void aClientMailForwardedAsAttachmentToTheCaptureAddressShouldBeSavedForTheForwardingEmployee() throws Exception {
        String clientMail = scenario.unknownClientWritesToBob();
        assertThat(PORTAL.leadsWithOrigin("<lena-order@client.example>")).isEmpty();

        JsonNode record = scenario.bobForwardsItToTheCaptureAddress(clientMail);
        assertThat(record.path("mailbox").asText()).isEqualTo(BOB);
        assertThat(record.path("settings").path("manualSave").asText()).isEqualTo("true");
        Map<String, Object> lead = PORTAL.leadsWithOrigin("<lena-order@client.example>").stream().findFirst().orElseThrow();
        assertThat(hasEmail(lead, "lena@client.example")).isTrue();
        assertThat(text(lead.get("ASSIGNED_BY_ID"))).as("the forwarding employee").isEqualTo(text(bob));
        assertThat(PORTAL.activitiesWithOrigin("<lena-order@client.example>")).singleElement().satisfies(activity -> {
            assertThat(text(activity.get("OWNER_TYPE_ID"))).isEqualTo(LEAD);
            assertThat(text(activity.get("OWNER_ID"))).isEqualTo(text(lead.get("ID")));
            assertThat(text(activity.get("RESPONSIBLE_ID"))).isEqualTo(text(bob));
            assertThat(text(activity.get("DIRECTION"))).as("the client's mail, incoming").isEqualTo("1");
            assertThat(activity.get("SUBJECT")).isEqualTo("Order of lamps");
        });
        assertThat(PORTAL.activitiesWithOrigin("<fwd-lena@company.example>")).as("the forward itself is not a client mail").isEmpty();
        assertThat(PORTAL.leadsWithOrigin("<fwd-lena@company.example>")).isEmpty();
        MailClient mail = scenario.mail();
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(mail.inbox(BOB)).contains("Please send 12 lamps."));
        assertThat(mail.inbox(CRM)).doesNotContain("fwd-lena@company.example").doesNotContain("lena-order@client.example");
        assertThat(mail.inbox(BOB)).as("no refusal answer for a client mail").doesNotContain("Not saved to the CRM");
    }

    @Test
    void anUnknownClientsMailShouldBeDeliveredButNotCapturedWhenLeadCreationIsOff() throws Exception {
        long leadsBefore = PORTAL.leads().size();
        long contactsBefore = PORTAL.contacts().size();

        JsonNode record = scenario.unknownClientWritesToAlice();
        assertThat(record.path("captured").asBoolean()).isFalse();
        assertThat(record.path("settings").path("createLeadForIncoming").asText()).isEqualTo("false");
        assertThat(PORTAL.leads()).hasSize((int) leadsBefore).noneMatch(lead -> hasEmail(lead, "max@client.example"));
        assertThat(PORTAL.contacts()).hasSize((int) contactsBefore);
        assertThat(PORTAL.activitiesWithOrigin("<max-hello@client.example>")).isEmpty();
    }
}

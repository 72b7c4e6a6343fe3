package org.jamescrm.bitrix24;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.jamescrm.emulator.bitrix24.Bitrix24Emulator;
import org.jamescrm.emulator.bitrix24.Bitrix24EmulatorExtension;
import org.jamescrm.model.AttachmentInfo;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.model.MailParty;
import org.jamescrm.model.SafeHtml;
import org.jamescrm.spi.ActivityDirection;
import org.jamescrm.spi.ClientRecord;
import org.jamescrm.spi.CrmLookup;
import org.jamescrm.spi.CrmRejectedException;
import org.jamescrm.spi.CrmUnavailableException;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.ItemType;
import org.jamescrm.spi.NewLead;
import org.jamescrm.spi.NewEmailActivity;
import org.jamescrm.spi.WritePlan;
import org.jamescrm.spi.WriteResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The traps of the Bitrix24 REST API (bitrix24-api §10) that a naive connector falls into, each
 * met by the connector against the strict emulator.
 */
class Bitrix24TrapsContractTest {
    @RegisterExtension
    final Bitrix24EmulatorExtension b24 = new Bitrix24EmulatorExtension(Bitrix24Emulator.builder().rateLimit(50, 20.0));

    private Bitrix24Connector connector(Bitrix24Emulator portal, double perSecond, int burst) {
        Bitrix24Configuration configuration = new Bitrix24Configuration(portal.portalUrl().toString(),
            new Bitrix24Auth.Webhook(portal.webhookUserId(), portal.webhookCode()), perSecond, burst, Duration.ofSeconds(5),
            "james-crm-capture");
        return new Bitrix24Connector(new Bitrix24Client(configuration, Clock.systemUTC(), duration -> Thread.sleep(duration.toMillis())),
            configuration.originatorId());
    }

    private Bitrix24Connector connector() {
        return connector(b24.emulator(), 20, 50);
    }

    private long contact(String email) {
        return b24.emulator().addContact(Map.of("NAME", email, "EMAIL", List.of(Map.of("VALUE", email, "VALUE_TYPE", "WORK"))));
    }

    private static NewEmailActivity activity(String key, List<ItemRef> bindings, ActivityDirection direction, Optional<String> html,
                                             List<AttachmentInfo> attachments) {
        return new NewEmailActivity(direction, "Quote", MailParty.of("carol@client.example", "Carol"),
            List.of(MailParty.of(EmailAddress.of("alice@company.example"))), List.of(), "Hello", html.map(SafeHtml::sanitize), attachments, bindings,
            Optional.empty(), direction == ActivityDirection.OUTGOING, Optional.of(Instant.parse("2026-11-22T07:15:00Z")),
            Instant.parse("2026-11-22T09:00:00Z"), Instant.parse("2026-11-22T09:00:02Z"), Optional.of(key), key,
            List.of(EmailAddress.of("carol@client.example")));
    }

    @AfterEach
    void noOutgoingMailWasSentAgain() {
        assertThat(b24.emulator().resentOutgoingEmails()).isEmpty();
    }

    @Test
    void moreAddressesThanFindbycommTakesShouldAllBeFound() throws Exception {
        Set<EmailAddress> addresses = new LinkedHashSet<>();
        for (int i = 0; i < 45; i++) {
            addresses.add(EmailAddress.of("c" + i + "@client.example"));
            contact("c" + i + "@client.example");
        }

        Map<EmailAddress, ClientRecord> found = connector().findClients(addresses);

        assertThat(found.values()).hasSize(45).allSatisfy(record -> assertThat(record.contacts()).hasSize(1));
    }

    @Test
    void aClientWithMoreDealsThanAPageShouldHaveThemAll() throws Exception {
        long contact = contact("carol@client.example");
        for (int i = 0; i < 60; i++) {
            b24.emulator().addDeal(Map.of("TITLE", "Deal " + i, "CONTACT_ID", contact, "STAGE_ID", "NEW"));
        }

        ClientRecord carol = connector().findClients(Set.of(EmailAddress.of("carol@client.example"))).get(EmailAddress.of("carol@client.example"));

        assertThat(carol.deals()).hasSize(60);
    }

    @Test
    void aRoundOfAHundredAndTwentyPlansShouldTakeThreeRequestsAndWriteEveryActivityOnce() throws Exception {
        long contact = contact("carol@client.example");
        List<WritePlan> plans = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            String key = "<r" + i + "@client.example>";
            plans.add(new WritePlan(key, List.of(), activity(key, List.of(new ItemRef(ItemType.CONTACT, String.valueOf(contact))),
                ActivityDirection.INCOMING, Optional.empty(), List.of())));
        }
        long before = b24.emulator().requestCount();

        List<WriteResult> results = connector().write(plans);

        assertThat(results).allSatisfy(result -> assertThat(result).isInstanceOf(WriteResult.Written.class));
        assertThat(b24.emulator().requestCount() - before).as("120 commands, 50 per batch").isEqualTo(3);
        assertThat(b24.emulator().activities()).hasSize(120);
    }

    @Test
    void aRoundsWritesShouldGoOutInAsFewRequestsAsTheirCommandsNeed() throws Exception {
        long contact = contact("carol@client.example");
        List<WritePlan> plans = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String key = "<new" + i + "@lead.example>";
            plans.add(new WritePlan(key, List.of(new NewLead("Inquiry", "New " + i, EmailAddress.of("new" + i + "@lead.example"), "EMAIL",
                Optional.empty(), false, key)), activity(key, List.of(), ActivityDirection.INCOMING, Optional.empty(), List.of())));
            String known = "<known" + i + "@client.example>";
            plans.add(new WritePlan(known, List.of(), activity(known, List.of(new ItemRef(ItemType.CONTACT, String.valueOf(contact))),
                ActivityDirection.INCOMING, Optional.empty(), List.of())));
        }
        Bitrix24Connector connector = connector();
        connector.checkConnection(); // as the server does at start: it learns the portal's CRM mode
        long before = b24.emulator().requestCount();

        List<WriteResult> results = connector.write(plans);

        assertThat(results).allSatisfy(result -> assertThat(result).isInstanceOf(WriteResult.Written.class));
        assertThat(b24.emulator().requestCount() - before)
            .as("90 commands: the leads with 20 activities of known clients, then the leads' activities with the other 10")
            .isEqualTo(2);
        assertThat(b24.emulator().activities()).hasSize(60);
    }

    @Test
    void aLoneNewClientsMailShouldBeWrittenInOneRequestWithItsActivityOnTheLeadItCreates() throws Exception {
        String key = "<lone@lead.example>";
        WritePlan plan = new WritePlan(key, List.of(new NewLead("Inquiry", "Lone", EmailAddress.of("lone@lead.example"), "EMAIL",
            Optional.empty(), false, key)), activity(key, List.of(), ActivityDirection.INCOMING, Optional.empty(), List.of()));
        Bitrix24Connector connector = connector();
        connector.checkConnection(); // as the server does at start: it learns the portal's CRM mode
        long before = b24.emulator().requestCount();

        WriteResult.Written written = (WriteResult.Written) connector.write(List.of(plan)).get(0);

        assertThat(b24.emulator().requestCount() - before).as("the lead and its activity in one request").isEqualTo(1);
        assertThat(written.created()).singleElement().satisfies(item -> assertThat(item.type()).isEqualTo(ItemType.LEAD));
        assertThat(b24.emulator().leadsWithOrigin(key)).singleElement()
            .satisfies(lead -> assertThat(String.valueOf(lead.get("ID"))).isEqualTo(written.created().get(0).id()));
        Map<String, Object> activity = b24.emulator().activity(Long.parseLong(written.activityId()));
        assertThat(String.valueOf(activity.get("OWNER_TYPE_ID"))).isEqualTo("1");
        assertThat(String.valueOf(activity.get("OWNER_ID"))).isEqualTo(written.created().get(0).id());
    }

    @Test
    void aLoneOutgoingMailToANewClientShouldCreateTheContactItsDealAndTheCompletedActivityInOneRequest() throws Exception {
        String key = "<lone-out@company.example>";
        WritePlan plan = new WritePlan(key, List.of(
            new org.jamescrm.spi.NewContact("Carol", EmailAddress.of("carol@client.example"), Optional.empty(), key),
            new org.jamescrm.spi.NewDeal("Quote", Optional.empty(), Optional.empty(), Optional.empty(), false, key)),
            activity(key, List.of(), ActivityDirection.OUTGOING, Optional.empty(), List.of()));
        Bitrix24Connector connector = connector();
        connector.checkConnection();
        long before = b24.emulator().requestCount();

        WriteResult.Written written = (WriteResult.Written) connector.write(List.of(plan)).get(0);

        assertThat(b24.emulator().requestCount() - before).as("contact, deal, activity and its completion in one request").isEqualTo(1);
        assertThat(written.created()).extracting(ItemRef::type).containsExactly(ItemType.CONTACT, ItemType.DEAL);
        String contactId = written.created().get(0).id();
        String dealId = written.created().get(1).id();
        assertThat(b24.emulator().deals()).singleElement().satisfies(deal -> {
            assertThat(String.valueOf(deal.get("ID"))).isEqualTo(dealId);
            assertThat(String.valueOf(deal.get("CONTACT_ID"))).isEqualTo(contactId);
        });
        Map<String, Object> activity = b24.emulator().activity(Long.parseLong(written.activityId()));
        assertThat(activity).containsEntry("COMPLETED", "Y");
        assertThat(String.valueOf(activity.get("OWNER_ID"))).isIn(contactId, dealId);
        assertThat(String.valueOf(activity.get("COMMUNICATIONS"))).contains("ENTITY_ID=" + contactId).doesNotContain("$result");
    }

    @Test
    void aLoneMailWhoseCreationIsRefusedShouldFailWithThePortalsReasonAndLeaveNoActivity() throws Exception {
        String key = "<refused@lead.example>";
        WritePlan plan = new WritePlan(key, List.of(new NewLead("Inquiry", "Refused", EmailAddress.of("refused@lead.example"), "EMAIL",
            Optional.of("999"), false, key)), activity(key, List.of(), ActivityDirection.INCOMING, Optional.empty(), List.of()));
        Bitrix24Connector connector = connector();
        connector.checkConnection();

        WriteResult result = connector.write(List.of(plan)).get(0);

        assertThat(result).isInstanceOfSatisfying(WriteResult.Failed.class,
            failed -> assertThat(failed.cause()).hasMessageContaining("ASSIGNED_BY_ID"));
        assertThat(b24.emulator().activities()).as("the request halted at the refused lead").isEmpty();
        assertThat(b24.emulator().leadsWithOrigin(key)).isEmpty();
    }

    @Test
    void onAPortalWithoutLeadsNewClientsMailShouldJoinTheDealsMadeFromTheirLeadsInAFewRequests() throws Exception {
        Bitrix24Emulator portal = Bitrix24Emulator.builder().crmMode("simple").start();
        try (portal) {
            List<WritePlan> plans = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String key = "<simple" + i + "@lead.example>";
                plans.add(new WritePlan(key, List.of(new NewLead("Inquiry", "Sam " + i, EmailAddress.of("sam" + i + "@lead.example"),
                    "EMAIL", Optional.empty(), false, key)), activity(key, List.of(), ActivityDirection.INCOMING, Optional.empty(), List.of())));
            }
            Bitrix24Connector connector = connector(portal, 20, 50);
            connector.checkConnection(); // as the server does at start: it learns the portal has no leads
            long before = portal.requestCount();

            List<WriteResult> results = connector.write(plans);

            assertThat(portal.requestCount() - before).as("the leads, the deals made of them, the activities").isEqualTo(3);
            for (WriteResult result : results) {
                WriteResult.Written written = (WriteResult.Written) result;
                assertThat(written.created()).singleElement().satisfies(item -> assertThat(item.type()).isEqualTo(ItemType.DEAL));
                Map<String, Object> activity = portal.activity(Long.parseLong(written.activityId()));
                assertThat(String.valueOf(activity.get("OWNER_TYPE_ID"))).isEqualTo("2");
                assertThat(String.valueOf(activity.get("OWNER_ID"))).isEqualTo(written.created().get(0).id());
            }
        }
    }

    @Test
    void theLookupsOfARoundOfTwoHundredMailsShouldTakeAFewRequests() throws Exception {
        b24.emulator().addUser(Map.of("NAME", "Alice", "EMAIL", "alice@company.example", "ACTIVE", "Y"));
        Set<String> keys = new LinkedHashSet<>();
        Set<EmailAddress> clients = new LinkedHashSet<>();
        for (int i = 0; i < 200; i++) {
            keys.add("<k" + i + "@client.example>");
            clients.add(EmailAddress.of("c" + i + "@client.example"));
            if (i % 2 == 0) {
                contact("c" + i + "@client.example");
            }
        }
        Bitrix24Connector connector = connector();
        connector.findUsers(Set.of(EmailAddress.of("alice@company.example"))); // the user cache, warm in a running server
        long before = b24.emulator().requestCount();

        var found = connector.lookUp(new CrmLookup(keys, Set.of(), clients, Set.of(EmailAddress.of("alice@company.example")), Set.of()));

        assertThat(found.clients().values().stream().filter(record -> !record.isUnknown())).hasSize(100);
        assertThat(b24.emulator().requestCount() - before).as("one batch of lookups, one of details").isLessThanOrEqualTo(3);
    }

    @Test
    void anOutgoingActivityShouldBeCreatedOpenAndThenCompleted() throws Exception {
        long contact = contact("carol@client.example");

        String id = connector().createEmailActivity(activity("<out@company.example>",
            List.of(new ItemRef(ItemType.CONTACT, String.valueOf(contact))), ActivityDirection.OUTGOING, Optional.empty(), List.of()));

        assertThat(b24.emulator().activity(Long.parseLong(id))).containsEntry("COMPLETED", "Y");
        assertThat(b24.emulator().resentOutgoingEmails()).isEmpty();
    }

    @Test
    void anOutgoingActivityLeftOpenByAnInterruptedCaptureShouldBeCompletedWhenItsMailComesAgain() throws Exception {
        long contact = contact("carol@client.example");
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("OWNER_TYPE_ID", 3);
        fields.put("OWNER_ID", contact);
        fields.put("TYPE_ID", 4);
        fields.put("DIRECTION", 2);
        fields.put("SUBJECT", "Offer");
        fields.put("COMPLETED", "N");
        fields.put("ORIGINATOR_ID", "james-crm-capture");
        fields.put("ORIGIN_ID", "<half@company.example>");
        fields.put("COMMUNICATIONS", List.of(Map.of("VALUE", "carol@client.example", "ENTITY_TYPE_ID", 3, "ENTITY_ID", contact,
            "TYPE", "EMAIL")));
        long id = b24.emulator().call("crm.activity.add", Map.of("fields", fields)).asLong(); // created, its update lost

        var found = connector().lookUp(new CrmLookup(Set.of("<half@company.example>"), Set.of(), Set.of(), Set.of(), Set.of()));

        assertThat(found.activity("<half@company.example>")).contains(String.valueOf(id));
        assertThat(b24.emulator().activity(id)).containsEntry("COMPLETED", "Y");
        assertThat(b24.emulator().resentOutgoingEmails()).isEmpty();
    }

    @Test
    void htmlShouldBeSanitizedAndAttachmentsStoredOrListed() throws Exception {
        long contact = contact("carol@client.example");
        AttachmentInfo invoice = new AttachmentInfo("invoice.txt", "text/plain", 7, "invoice".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        AttachmentInfo video = new AttachmentInfo("video.mp4", "video/mp4", 90_000_000, new byte[0]).withoutContent();

        String id = connector().createEmailActivity(activity("<html@client.example>",
            List.of(new ItemRef(ItemType.CONTACT, String.valueOf(contact))), ActivityDirection.INCOMING,
            Optional.of("<p onclick=\"steal()\">Hi</p><script>steal()</script>"), List.of(invoice, video)));

        Map<String, Object> activity = b24.emulator().activity(Long.parseLong(id));
        assertThat(String.valueOf(activity.get("DESCRIPTION_TYPE"))).isEqualTo("3");
        assertThat(String.valueOf(activity.get("DESCRIPTION"))).contains("<p>Hi</p>").doesNotContain("script").doesNotContain("onclick")
            .endsWith("<p>Attachments not stored:<br>video.mp4 (90000000 bytes)</p>");
        assertThat(b24.emulator().activities()).filteredOn(stored -> String.valueOf(stored.get("ID")).equals(id)).singleElement()
            .satisfies(stored -> assertThat(String.valueOf(stored.get("FILES"))).contains("invoice.txt").doesNotContain("video.mp4"));
    }

    @Test
    void aTextMailShouldListTheAttachmentsNotStoredUnderItsText() throws Exception {
        long contact = contact("carol@client.example");
        AttachmentInfo video = new AttachmentInfo("video.mp4", "video/mp4", 90_000_000, new byte[0]).withoutContent();
        AttachmentInfo scan = new AttachmentInfo("scan.tiff", "image/tiff", 40_000_000, new byte[0]).withoutContent();

        String id = connector().createEmailActivity(activity("<text@client.example>",
            List.of(new ItemRef(ItemType.CONTACT, String.valueOf(contact))), ActivityDirection.INCOMING, Optional.empty(), List.of(video, scan)));

        Map<String, Object> activity = b24.emulator().activity(Long.parseLong(id));
        assertThat(String.valueOf(activity.get("DESCRIPTION_TYPE"))).isEqualTo("1");
        assertThat(activity.get("DESCRIPTION")).isEqualTo("Hello\n\nAttachments not stored:\nvideo.mp4 (90000000 bytes)\nscan.tiff (40000000 bytes)");
    }

    @Test
    void aWrongWebhookShouldBeRefusedForGoodWithoutShowingItsCode() {
        Bitrix24Emulator portal = b24.emulator();
        Bitrix24Configuration configuration = Bitrix24Configuration.of(portal.portalUrl().toString(),
            new Bitrix24Auth.Webhook(portal.webhookUserId(), "wrongcode123"));
        Bitrix24Connector wrong = new Bitrix24Connector(Bitrix24Client.create(configuration), "james-crm-capture");

        assertThatThrownBy(wrong::checkConnection).isInstanceOf(CrmRejectedException.class)
            .satisfies(error -> assertThat(error.getMessage()).doesNotContain("wrongcode123"));
    }

    @Test
    void aRateLimitRefusalShouldBeWaitedOutAndARefusalThatPersistsShouldBeTransientWithAWait() throws Exception {
        Bitrix24Connector connector = connector();
        b24.emulator().faultNext(1, Bitrix24Emulator.Fault.queryLimit());
        connector.checkConnection();

        b24.emulator().faultNext(3, Bitrix24Emulator.Fault.queryLimit());
        assertThatThrownBy(connector::checkConnection).isInstanceOfSatisfying(CrmUnavailableException.class,
            error -> assertThat(error.retryAfter()).isPresent());
        connector.checkConnection();
    }

    @Test
    void anOperatingTimeLimitShouldWaitUntilTheResetThePortalNames() {
        b24.emulator().faultNext(1, Bitrix24Emulator.Fault.operationTimeLimit());

        assertThatThrownBy(() -> connector().checkConnection()).isInstanceOfSatisfying(CrmUnavailableException.class,
            error -> assertThat(error.retryAfter()).hasValueSatisfying(wait -> assertThat(wait).isPositive()));
    }

    @Test
    void serverErrorsDroppedConnectionsAndTimeoutsShouldBeTransient() {
        Bitrix24Connector connector = connector();
        for (Bitrix24Emulator.Fault fault : List.of(Bitrix24Emulator.Fault.status(500), Bitrix24Emulator.Fault.status(503),
            Bitrix24Emulator.Fault.drop(), Bitrix24Emulator.Fault.timeout())) {
            b24.emulator().faultNext(1, fault);
            assertThatThrownBy(connector::checkConnection).as(fault.toString()).isInstanceOf(CrmUnavailableException.class);
        }
    }

    @Test
    void concurrentCallersShouldNeverExceedThePortalsRateLimit() throws Exception {
        Bitrix24Emulator portal = Bitrix24Emulator.builder().rateLimit(10, 20.0).start();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try (portal) {
            Bitrix24Connector shared = connector(portal, 20, 10);
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                calls.add(threads.submit(() -> {
                    shared.checkConnection();
                    return null;
                }));
            }
            for (Future<?> call : calls) {
                call.get();
            }
            assertThat(portal.refusedCount("QUERY_LIMIT_EXCEEDED")).isZero();
            assertThat(portal.requestCount()).isEqualTo(100);
        } finally {
            threads.shutdownNow();
        }
    }
}

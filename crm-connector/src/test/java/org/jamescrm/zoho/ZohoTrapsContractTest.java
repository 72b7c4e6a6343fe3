package org.jamescrm.zoho;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.jamescrm.emulator.Fault;
import org.jamescrm.emulator.FaultPlan;
import org.jamescrm.emulator.MutableClock;
import org.jamescrm.emulator.zoho.ZohoEmulator;
import org.jamescrm.emulator.zoho.ZohoEmulatorExtension;
import org.jamescrm.model.AttachmentInfo;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.spi.ActivityDirection;
import org.jamescrm.spi.ClientRecord;
import org.jamescrm.spi.CrmLookup;
import org.jamescrm.spi.CrmLookupResult;
import org.jamescrm.spi.CrmRejectedException;
import org.jamescrm.spi.CrmUnavailableException;
import org.jamescrm.spi.DealStage;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.ItemType;
import org.jamescrm.spi.WritePlan;
import org.jamescrm.spi.WriteResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One test per trap of Zoho's API (zoho-api §2, §5), against the strict emulator; none may leave a violation. */
class ZohoTrapsContractTest {

    @RegisterExtension
    static ZohoEmulatorExtension zoho = new ZohoEmulatorExtension(ZohoEmulator.builder().dataCentre("EU"));

    private static ZohoEmulator org() {
        return zoho.emulator();
    }

    private static ZohoConnector connector() {
        return ZohoFixture.connector(org());
    }

    private static CrmLookupResult lookUp(ZohoConnector connector, Set<String> keys, Set<EmailAddress> clients) throws Exception {
        return connector.lookUp(new CrmLookup(keys, Set.of(), clients, Set.of(), Set.of()));
    }

    @AfterEach
    void noViolation() {
        org().violations().assertNone();
    }

    @Test
    void aRefreshTokenOfAnotherDataCentreShouldFailTheHealthCheckNamingTheDataCentre() {
        ZohoConfiguration us = ZohoFixture.configuration(org()).withAccountsUrl(org().accountsUrl("US"));
        ZohoConfiguration wrong = new ZohoConfiguration(ZohoDataCentre.US, us.clientId(), us.clientSecret(), us.refreshToken(),
            us.accountsUrl(), us.apiUrl(), us.concurrency(), us.workflows(), us.timeout());

        assertThatThrownBy(ZohoFixture.connector(wrong)::checkConnection).isInstanceOf(CrmRejectedException.class)
            .hasMessageContaining("data centre US").hasMessageContaining("invalid_client").hasMessageContaining("<zoho><dataCentre>");
        assertThat(org().calls().all()).extracting(call -> call.status()).containsOnly(200);
    }

    @Test
    void theDataCentreShouldDecideTheHostsUnlessTheyAreSetForTestingOrAPrivateDeployment() {
        ZohoConfiguration eu = ZohoConfiguration.of(ZohoDataCentre.EU, "1000.X", "secret-1", "refresh-1");

        assertThat(eu.accounts()).isEqualTo("https://accounts.zoho.eu");
        assertThat(ZohoDataCentre.CA.accountsUrl()).isEqualTo("https://accounts.zohocloud.ca");
        assertThat(eu.withAccountsUrl("http://127.0.0.1:9/accounts/eu/").accounts()).isEqualTo("http://127.0.0.1:9/accounts/eu");
    }

    @Test
    void aRefusedRefreshShouldBeAFailureAlthoughZohoAnswersItWithHttp200() {
        ZohoConfiguration right = ZohoFixture.configuration(org());
        ZohoConfiguration revoked = new ZohoConfiguration(right.dataCentre(), right.clientId(), right.clientSecret(), "1000.revoked-token",
            right.accountsUrl(), right.apiUrl(), right.concurrency(), right.workflows(), right.timeout());

        assertThatThrownBy(ZohoFixture.connector(revoked)::checkConnection).isInstanceOf(CrmRejectedException.class)
            .hasMessageContaining("invalid_code").hasMessageContaining("<zoho><refreshToken>");
    }

    @Test
    void aRefreshStormFromManyThreadsShouldAskForOneToken() throws Exception {
        ZohoConnector connector = connector();
        ExecutorService threads = Executors.newFixedThreadPool(16);
        try {
            List<Callable<Object>> lookups = IntStream.range(0, 32).<Callable<Object>>mapToObj(i -> () ->
                connector.findUsers(Set.of(EmailAddress.of("u" + i + "@company.example")))).toList();
            for (Future<Object> done : threads.invokeAll(lookups)) {
                done.get();
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(org().tokensIssued()).isEqualTo(1);
    }

    @Test
    void theServersOfAClusterShouldShareOneAccessTokenAndRefreshItOnceForAll() throws Exception {
        org.jamescrm.spi.ConnectorState cluster = org.jamescrm.spi.ConnectorState.inMemory(); // the store every server shares
        ZohoConnector serverA = new ZohoConnector(new ZohoClient(ZohoFixture.configuration(org()), Clock.systemUTC(), cluster), Clock.systemUTC());
        ZohoConnector serverB = new ZohoConnector(new ZohoClient(ZohoFixture.configuration(org()), Clock.systemUTC(), cluster), Clock.systemUTC());

        serverA.checkConnection();
        serverB.checkConnection();
        assertThat(org().tokensIssued()).as("B takes the token A got").isEqualTo(1);

        org().expireTokens();
        serverA.checkConnection();
        serverB.checkConnection(); // refused once with the old token, then takes the one A got
        assertThat(org().tokensIssued()).as("one refresh for both servers").isEqualTo(2);
        assertThat(org().calls().countErrors("INVALID_TOKEN")).isEqualTo(2);

        ZohoConnector alone = connector(); // a server with a store of its own asks for its own
        alone.checkConnection();
        assertThat(org().tokensIssued()).isEqualTo(3);
    }

    @Test
    void anExpiredTokenShouldBeRefreshedOnceAndTheRequestSentAgain() throws Exception {
        ZohoConnector connector = connector();
        connector.checkConnection();
        org().expireTokens();

        connector.checkConnection();

        assertThat(org().tokensIssued()).isEqualTo(2);
        assertThat(org().calls().countErrors("INVALID_TOKEN")).isEqualTo(1);
    }

    @Test
    void theConnectorShouldNeverAskForMoreTokensThanZohoAllowsInTenMinutes() {
        ZohoConnector connector = connector();
        org().faults().everyMatching(request -> request.path().startsWith("/crm/"), Fault.expiredToken());

        // the first check asks twice (a token, then a new one after INVALID_TOKEN), each later one once
        for (int i = 0; i < 9; i++) {
            assertThatThrownBy(connector::checkConnection).isInstanceOf(CrmRejectedException.class).hasMessageContaining("INVALID_TOKEN");
        }

        assertThat(org().tokensIssued()).isEqualTo(10);
        assertThat(org().calls().countErrors("Access Denied")).isZero();
        assertThatThrownBy(connector::checkConnection).isInstanceOf(CrmUnavailableException.class)
            .hasMessageContaining("10 access tokens per refresh token");
    }

    @Test
    void aRecordWrittenShouldBeFoundAtOnceByCoqlWhereTheSearchApiWouldNotFindItYet() throws Exception {
        ZohoConnector connector = connector();
        WriteResult written = connector.write(List.of(ZohoMail.newLead("<w@x>", ZohoMail.CAROL, "EMAIL"))).get(0);
        assertThat(written).isInstanceOf(WriteResult.Written.class);

        CrmLookupResult found = lookUp(connector, Set.of("<w@x>"), Set.of(ZohoMail.CAROL));

        assertThat(found.clients().get(ZohoMail.CAROL).leads()).hasSize(1);
        assertThat(found.created("<w@x>", ItemType.LEAD)).isPresent();
        assertThat(found.activity("<w@x>")).contains("<w@x>");
        ZohoClient client = new ZohoClient(ZohoFixture.configuration(org()), Clock.systemUTC());
        assertThat(client.get("Leads/search", "email", ZohoMail.CAROL.value()).isMissingNode())
            .as("the search API answers 204 while its index lags").isTrue();
    }

    @Test
    void theSearchApisLooseEqualsShouldNeverMakeAnotherAddressTheClient() throws Exception {
        new ZohoFixture(org()).addContact("Sales Team", EmailAddress.of("sales_team@client.example"), Optional.empty());
        EmailAddress dashed = EmailAddress.of("sales-team@client.example");

        CrmLookupResult found = lookUp(connector(), Set.of(), Set.of(dashed));

        assertThat(found.clients().getOrDefault(dashed, ClientRecord.unknown(dashed)).isUnknown()).isTrue();
    }

    @Test
    void aDealInAClosedStageOfASecondPipelineShouldBeClosed() throws Exception {
        ZohoFixture fixture = new ZohoFixture(org());
        String contact = fixture.addContact("Carol Client", ZohoMail.CAROL, Optional.empty());
        String renewed = fixture.addDeal("Renewal 2026", contact, Optional.empty());
        String churned = fixture.addDeal("Renewal 2025", contact, Optional.empty());
        String due = fixture.addDeal("Renewal 2027", contact, Optional.empty());
        org().update("Deals", renewed, Map.of("Stage", "Renewed", "Pipeline", "Renewals"));
        org().update("Deals", churned, Map.of("Stage", "Churned", "Pipeline", "Renewals"));
        org().update("Deals", due, Map.of("Stage", "Renewal Due", "Pipeline", "Renewals"));

        List<ClientRecord.Deal> deals = lookUp(connector(), Set.of(), Set.of(ZohoMail.CAROL)).clients().get(ZohoMail.CAROL).deals();

        assertThat(deals).extracting(ClientRecord.Deal::id, ClientRecord.Deal::stage).containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(renewed, DealStage.WON), org.assertj.core.groups.Tuple.tuple(churned, DealStage.LOST),
            org.assertj.core.groups.Tuple.tuple(due, DealStage.IN_PROGRESS));
    }

    @Test
    void aLeadSourceTheRestrictedPicklistDoesNotListShouldNeverBeSent() {
        List<WriteResult> results = connector().write(List.of(ZohoMail.newLead("<t@x>", ZohoMail.CAROL, "Trade Fair"),
            ZohoMail.newLead("<e@x>", EmailAddress.of("erin@client.example"), "EMAIL")));

        assertThat(results).allMatch(WriteResult.Written.class::isInstance);
        assertThat(org().calls().countErrors("INVALID_DATA")).isZero();
        assertThat(org().records("Leads")).extracting(lead -> lead.path("Lead_Source").asText(null)).containsExactly(null, "Email");
        assertThat(org().calls().of("GET settings/fields")).as("the picklist read once").hasSize(1);
    }

    @Test
    void anOrganisationOutOfCreditsShouldBeReportedAndNoRequestSentUntilTheProbe() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"), ZoneOffset.UTC);
        ZohoConnector connector = new ZohoConnector(new ZohoClient(ZohoFixture.configuration(org()), clock), clock);
        String lead = new ZohoFixture(org()).addLeadOfInterruptedCapture(new org.jamescrm.spi.NewLead("Quote", "Carol", ZohoMail.CAROL, "EMAIL",
            Optional.empty(), false, "<k@x>"));
        connector.checkConnection();
        org().spendCredits(org().creditsRemaining()); // by the organisation's other integrations

        assertThatThrownBy(() -> lookUp(connector, Set.of("<k@x>"), Set.of(ZohoMail.CAROL))).isInstanceOf(CrmUnavailableException.class)
            .satisfies(failure -> assertThat(((CrmUnavailableException) failure).retryAfter()).contains(ZohoLimits.CREDITS_PROBE));
        long sent = org().requestCount();
        assertThatThrownBy(() -> lookUp(connector, Set.of("<k@x>"), Set.of(ZohoMail.CAROL))).isInstanceOf(CrmUnavailableException.class)
            .hasMessageContaining("credits of the day are spent");
        assertThat(org().requestCount()).as("held on the client side").isEqualTo(sent);
        assertThat(connector.view()).containsEntry("creditsRemaining", 0L);

        org().renewCredits();
        clock.step(ZohoLimits.CREDITS_PROBE);

        assertThat(lookUp(connector, Set.of("<k@x>"), Set.of(ZohoMail.CAROL)).created("<k@x>", ItemType.LEAD))
            .contains(new ItemRef(ItemType.LEAD, lead));
    }

    @Test
    void onceZohoReportsTheCreditsARoundShouldWaitToFillACompositeRequestUnlessNoMoreAreComing() throws Exception {
        ZohoConnector connector = connector();
        Duration roundWait = Duration.ofSeconds(3);
        connector.checkConnection();
        assertThat(connector.budgetWait(1, 10, roundWait)).as("less than half the credits spent: no reason to wait").isZero();

        org().spendCredits(org().creditsRemaining() - 100);
        connector.checkConnection();

        assertThat(connector.view().get("creditsRemaining")).as("one request: the field settings are kept").isEqualTo(99L);
        assertThat(connector.budgetWait(2, 10, roundWait)).isEqualTo(roundWait);
        assertThat(connector.budgetWait(5, 10, roundWait)).isZero();
        assertThat(connector.budgetWait(2, 0, roundWait)).isZero();
    }

    @Test
    void theConnectorShouldKeepTheOrganisationsConcurrencyWithManyThreads() throws Exception {
        ZohoConnector connector = ZohoFixture.connector(ZohoFixture.configuration(org()).withConcurrency(3));
        ExecutorService threads = Executors.newFixedThreadPool(12);
        try {
            List<Callable<Object>> lookups = IntStream.range(0, 36).<Callable<Object>>mapToObj(i -> () ->
                connector.lookUp(new CrmLookup(Set.of("<c" + i + "@x>"), Set.of(), Set.of(EmailAddress.of("c" + i + "@client.example")),
                    Set.of(), Set.of()))).toList();
            for (Future<Object> done : threads.invokeAll(lookups)) {
                done.get();
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(org().peakConcurrency()).isLessThanOrEqualTo(3);
        assertThat(org().calls().countErrors("TOO_MANY_REQUESTS")).isZero();
    }

    @Test
    void aMissingScopeShouldBeNamed() {
        try (ZohoEmulator withoutCoql = ZohoEmulator.builder().withoutScope("ZohoCRM.coql.READ").start()) {
            assertThatThrownBy(() -> lookUp(ZohoFixture.connector(withoutCoql), Set.of(), Set.of(ZohoMail.CAROL)))
                .isInstanceOf(CrmRejectedException.class).hasMessageContaining("OAUTH_SCOPE_MISMATCH").hasMessageContaining("ZohoCRM.coql.READ");
        }
    }

    @Test
    void aRoundShouldTakeAFewRequestsWhateverItsSize() throws Exception {
        ZohoConnector connector = connector();
        connector.checkConnection();
        List<WritePlan> plans = new ArrayList<>();
        Set<String> keys = new java.util.LinkedHashSet<>();
        Set<EmailAddress> clients = new java.util.LinkedHashSet<>();
        for (int i = 0; i < 20; i++) {
            EmailAddress client = EmailAddress.of("client" + i + "@client.example");
            plans.add(ZohoMail.newLead("<r" + i + "@x>", client, "EMAIL"));
            keys.add("<r" + i + "@x>");
            clients.add(client);
        }
        long before = org().requestCount();

        lookUp(connector, keys, clients);
        long lookups = org().requestCount() - before;
        List<WriteResult> results = connector.write(plans);
        long writes = org().requestCount() - before - lookups;

        assertThat(results).allMatch(WriteResult.Written.class::isInstance);
        assertThat(lookups).as("4 composites of email_available, Leads, Contacts, Deals").isEqualTo(7);
        assertThat(writes).as("one insert of 20 leads, 4 composites of associate_email").isEqualTo(5);
        assertThat(org().emails()).hasSize(20);
    }

    @Test
    void eitherSpellingOfEmailAvailablesParameterShouldWork() throws Exception {
        try (ZohoEmulator oas = ZohoEmulator.builder().emailAvailableParameter("orginal_message_id").start()) {
            ZohoConnector connector = ZohoFixture.connector(oas);
            String contact = new ZohoFixture(oas).addContact("Carol", ZohoMail.CAROL, Optional.empty());
            connector.createEmailActivity(ZohoMail.incoming("<o@x>", new ItemRef(ItemType.CONTACT, contact)));

            assertThat(connector.findActivityByOriginKey("<o@x>")).contains("<o@x>");
            oas.violations().assertNone();
        }
    }

    @Test
    void anEmailShouldBeAssociatedNeverSentWithItsDirectionDateSubjectAndAttachmentsKept() throws Exception {
        String contact = new ZohoFixture(org()).addContact("Carol", ZohoMail.CAROL, Optional.empty());
        String longSubject = "Quote ".repeat(60);
        AttachmentInfo kept = new AttachmentInfo("offer.pdf", "application/pdf", 3, new byte[] {1, 2, 3});
        AttachmentInfo listed = new AttachmentInfo("video.mp4", "video/mp4", 50_000_000, new byte[0]).withoutContent();

        connector().createEmailActivity(ZohoMail.activity(ActivityDirection.OUTGOING, "<a@x>", longSubject, List.of(kept, listed),
            new ItemRef(ItemType.CONTACT, contact)));

        var email = org().email("<a@x>").orElseThrow();
        assertThat(email.path("sent").asBoolean()).isTrue();
        assertThat(email.path("date_time").asText()).isEqualTo("2026-11-22T07:15:00+00:00");
        assertThat(email.path("subject").asText()).hasSize(250).endsWith("\u2026");
        assertThat(email.path("attachments")).hasSize(1);
        assertThat(email.path("content").asText()).contains("video.mp4").doesNotContain("<script>");
        assertThat(org().calls().countErrors("INVALID_DATA")).isZero();
    }

    @Test
    void aPlanRetriedAfterItsWritesShouldFindThemAndNotAssociateTwice() throws Exception {
        ZohoConnector connector = connector();
        connector.write(List.of(ZohoMail.newLead("<d@x>", ZohoMail.CAROL, "EMAIL")));

        CrmLookupResult replay = lookUp(connector, Set.of("<d@x>"), Set.of(ZohoMail.CAROL));

        assertThat(replay.activity("<d@x>")).isPresent();
        assertThat(replay.created("<d@x>", ItemType.LEAD)).isPresent();
        assertThat(org().email("<d@x>").orElseThrow().path("record").path("module").path("api_name").asText()).isEqualTo("Leads");
    }

    @Test
    void workflowsOffShouldSendAnEmptyTrigger() {
        List<String> bodies = new java.util.concurrent.CopyOnWriteArrayList<>();
        org().faults().everyMatching(request -> {
            if (request.operation().equals("POST Leads")) {
                bodies.add(request.bodyText());
            }
            return false;
        }, Fault.drop());
        ZohoConfiguration on = ZohoFixture.configuration(org());
        ZohoConfiguration off = new ZohoConfiguration(on.dataCentre(), on.clientId(), on.clientSecret(), on.refreshToken(), on.accountsUrl(),
            on.apiUrl(), on.concurrency(), false, on.timeout());

        ZohoFixture.connector(on).write(List.of(ZohoMail.newLead("<on@x>", ZohoMail.CAROL, "EMAIL")));
        ZohoFixture.connector(off).write(List.of(ZohoMail.newLead("<off@x>", EmailAddress.of("dan@client.example"), "EMAIL")));

        assertThat(bodies).hasSize(2);
        assertThat(bodies.get(0)).doesNotContain("\"trigger\"");
        assertThat(bodies.get(1)).contains("\"trigger\":[]");
    }

    @Test
    void serverErrorsThrottlingAndDroppedConnectionsShouldBeRetriedLater() {
        ZohoConnector connector = connector();
        for (Fault fault : List.of(Fault.status(500), Fault.drop(),
            Fault.response(429, "application/json", "{\"code\":\"TOO_MANY_REQUESTS\",\"details\":{},\"message\":\"x\",\"status\":\"error\"}"))) {
            org().faults().nextMatching(1, FaultPlan.operation("POST coql"), fault);

            assertThatThrownBy(() -> lookUp(connector, Set.of(), Set.of(ZohoMail.CAROL))).isInstanceOf(CrmUnavailableException.class);
        }
        assertThat(connector.write(List.of(ZohoMail.newLead("<z@x>", ZohoMail.CAROL, "EMAIL"))).get(0)).isInstanceOf(WriteResult.Written.class);
    }
}

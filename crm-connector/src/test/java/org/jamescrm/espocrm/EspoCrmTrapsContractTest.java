package org.jamescrm.espocrm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jamescrm.emulator.Call;
import org.jamescrm.emulator.Fault;
import org.jamescrm.emulator.espocrm.EspoCrmEmulator;
import org.jamescrm.emulator.espocrm.EspoCrmEmulatorExtension;
import org.jamescrm.model.AttachmentInfo;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.spi.ActivityDirection;
import org.jamescrm.spi.ClientRecord;
import org.jamescrm.spi.CrmLookup;
import org.jamescrm.spi.CrmRejectedException;
import org.jamescrm.spi.CrmUnavailableException;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.ItemType;
import org.jamescrm.spi.NewContact;
import org.jamescrm.spi.NewDeal;
import org.jamescrm.spi.NewLead;
import org.jamescrm.spi.WritePlan;
import org.jamescrm.spi.WriteResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

/** One test per trap of espocrm-api.md, each against the strict emulator over HTTP. */
class EspoCrmTrapsContractTest {
    static final EmailAddress CAROL = ContractActivity.CAROL;
    static final String RAW = "Message-ID: <eml@client.example>\r\nFrom: Carol <carol@client.example>\r\nTo: alice@company.example\r\n"
        + "Subject: Quote\r\nDate: Sun, 22 Nov 2026 07:15:00 +0000\r\n\r\nHello\r\n";

    @RegisterExtension
    static EspoCrmEmulatorExtension espo = new EspoCrmEmulatorExtension();

    private static EspoCrmConnector connector(EspoCrmEmulator site) {
        return new EspoCrmConnector(new EspoCrmClient(site.secretKey()
            .map(secret -> EspoCrmConfiguration.hmac(site.baseUrl().toString(), site.apiKey(), secret))
            .orElse(EspoCrmConfiguration.apiKey(site.baseUrl().toString(), site.apiKey()))), Clock.systemUTC());
    }

    private static EspoCrmConnector connector() {
        return connector(espo.emulator());
    }

    private static NewLead lead(String name, EmailAddress email, boolean repeat, String key) {
        return new NewLead("Quote", name, email, "EMAIL", Optional.empty(), repeat, key);
    }

    @AfterEach
    void noViolation() {
        espo.emulator().violations().assertNone();
    }

    @Test
    void hmacShouldSignTheMethodAndThePathAfterApiV1WithoutTheQueryInLowerCaseHex() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String hex = HexFormat.of().formatHex(mac.doFinal("GET /Lead".getBytes(StandardCharsets.UTF_8)));

        assertThat(EspoCrmClient.hmacAuthorization("key", "s3cret", "GET", "/Lead"))
            .isEqualTo(Base64.getEncoder().encodeToString(("key:" + hex).getBytes(StandardCharsets.UTF_8)));
        try (EspoCrmEmulator site = EspoCrmEmulator.builder().hmac("hmac-secret-1").start()) {
            assertThat(connector(site).findClients(Set.of(CAROL)).get(CAROL).isUnknown()).as("a list request with a query").isTrue();
        }
    }

    @Test
    void aWrongKeyShouldBeRefusedWithAnEmptyBodyAndNamedInTheFailure() {
        EspoCrmConnector wrong = new EspoCrmConnector(new EspoCrmClient(EspoCrmConfiguration.apiKey(espo.emulator().baseUrl().toString(),
            "not-the-key")), Clock.systemUTC());

        assertThatThrownBy(wrong::checkConnection).isInstanceOf(CrmRejectedException.class).hasMessageContaining("answered 401");
    }

    @Test
    void tooManyFailedLoginsShouldBlockTheServerAndBeReportedAsSuch() {
        try (EspoCrmEmulator site = EspoCrmEmulator.builder().maxFailedLogins(2).start()) {
            EspoCrmConnector wrong = new EspoCrmConnector(new EspoCrmClient(EspoCrmConfiguration.apiKey(site.baseUrl().toString(), "wrong")),
                Clock.systemUTC());
            assertThatThrownBy(wrong::checkConnection).hasMessageContaining("401");
            assertThatThrownBy(wrong::checkConnection).hasMessageContaining("401");

            assertThatThrownBy(connector(site)::checkConnection).isInstanceOf(CrmRejectedException.class)
                .hasMessageContaining("Max failed login attempts exceeded").hasMessageContaining("too many failed logins");
        }
    }

    @Test
    void anApiUserWithoutTheImportScopeShouldBeFoundByTheHealthCheckAndItsMailRefusedWithTheReason() {
        espo.emulator().importScope(false);
        String contact = espo.emulator().add("Contact", Map.of("lastName", "Carol", "emailAddress", CAROL.value()));

        assertThatThrownBy(connector()::checkConnection).isInstanceOf(CrmRejectedException.class)
            .hasMessageContaining("no access to the Import scope").hasMessageContaining("Not allowed 'from' address.");
        assertThatThrownBy(() -> connector().createEmailActivity(ContractActivity.incoming("<i@x>", new ItemRef(ItemType.CONTACT, contact))))
            .isInstanceOf(CrmRejectedException.class).hasMessageContaining("Import scope");
    }

    @Test
    void aDuplicateShouldAnswerTheExistingLeadInsteadOfASecond() throws Exception {
        String existing = espo.emulator().add("Lead", Map.of("lastName", "Novak", "emailAddress", "CAROL@client.example"));

        ItemRef lead = connector().createLead(lead("Carol Client", CAROL, false, "<d@x>"));

        assertThat(lead).isEqualTo(new ItemRef(ItemType.LEAD, existing));
        assertThat(espo.emulator().records("Lead")).hasSize(1);
    }

    @Test
    void aNamesakeOfAnotherAddressShouldNotBeTakenForTheClient() throws Exception {
        String namesake = espo.emulator().add("Lead", Map.of("firstName", "Carol", "lastName", "Client", "emailAddress", "carol@other.example"));

        ItemRef lead = connector().createLead(lead("Carol Client", CAROL, false, "<n@x>"));

        assertThat(lead.id()).isNotEqualTo(namesake);
        assertThat(espo.emulator().record("Lead", lead.id()).path("emailAddress").asText()).isEqualTo(CAROL.value());
    }

    @Test
    void onlyARepeatLeadShouldSkipTheDuplicateCheck() throws Exception {
        String first = connector().createLead(lead("Carol Client", CAROL, false, "<r1@x>")).id();

        String repeat = connector().createLead(lead("Carol Client", CAROL, true, "<r2@x>")).id();

        assertThat(repeat).isNotEqualTo(first);
        assertThat(espo.emulator().records("Lead")).hasSize(2);
        assertThat(espo.emulator().calls().all()).filteredOn(call -> call.operation().equals("POST Lead")).hasSize(2);
    }

    @Test
    void listsShouldBePagedAtTwoHundredWhichIsTheLargestPageEspoCrmServes() throws Exception {
        String alice = espo.emulator().addUser("alice@company.example", "Alice Adams");
        for (int i = 0; i < 450; i++) {
            espo.emulator().add("Lead", Map.of("lastName", "L" + i, "status", "New", "assignedUserId", alice));
        }

        assertThat(connector().countOpenItems(Set.of(alice))).containsEntry(alice, 450);
        assertThat(espo.emulator().calls().all()).filteredOn(call -> call.status() == 403).isEmpty();
    }

    @Test
    void messageIdIsReadOnlySoOurOwnMailShouldBeFoundByItsCaptureKey() throws Exception {
        String contact = espo.emulator().add("Contact", Map.of("lastName", "Carol", "emailAddress", CAROL.value()));

        String id = connector().createEmailActivity(ContractActivity.incoming("<own@x>", new ItemRef(ItemType.CONTACT, contact)));

        assertThat(espo.emulator().record("Email", id).path("messageId").asText()).isEqualTo("dummy:" + id);
        assertThat(connector().findThreadItems(List.of("<own@x>"))).containsExactly(new ItemRef(ItemType.CONTACT, contact));
        assertThat(connector().findActivityByOriginKey("<own@x>")).contains(id);
    }

    @Test
    void aSiteWithoutTheCaptureFieldsShouldBeRefusedLoudlyNotWrittenAgainOnEveryRetry() {
        try (EspoCrmEmulator site = EspoCrmEmulator.builder().captureFields(false).start()) {
            assertThatThrownBy(() -> connector(site).createLead(lead("Carol Client", CAROL, false, "<f@x>")))
                .isInstanceOf(CrmRejectedException.class).hasMessageContaining("add the varchar field 'captureKey' (cCaptureKey) to Lead");
        }
    }

    @Test
    void mailShouldBeArchivedNeverSentEvenOutgoing() throws Exception {
        String contact = espo.emulator().add("Contact", Map.of("lastName", "Carol", "emailAddress", CAROL.value()));

        String id = connector().createEmailActivity(ContractActivity.activity(ActivityDirection.OUTGOING, "<out@x>", List.of(),
            new ItemRef(ItemType.CONTACT, contact)));

        assertThat(espo.emulator().record("Email", id).path("status").asText()).isEqualTo("Archived");
        espo.emulator().violations().assertNone();
    }

    @Test
    void anEmailHasOneParentSoTheMostSpecificItemShouldBeItAndEveryBindingBeFoundAgain() throws Exception {
        String contact = espo.emulator().add("Contact", Map.of("lastName", "Carol", "emailAddress", CAROL.value()));
        String deal = espo.emulator().add("Opportunity", Map.of("name", "Chairs", "amount", 1, "closeDate", "2027-01-01",
            "contactId", contact, "contactsIds", List.of(contact)));
        List<ItemRef> bindings = List.of(new ItemRef(ItemType.CONTACT, contact), new ItemRef(ItemType.DEAL, deal));

        String id = connector().createEmailActivity(ContractActivity.incoming("<p@x>", bindings.toArray(ItemRef[]::new)));

        JsonNode email = espo.emulator().record("Email", id);
        assertThat(email.path("parentType").asText()).isEqualTo("Opportunity");
        assertThat(email.path("parentId").asText()).isEqualTo(deal);
        assertThat(connector().findThreadItems(List.of("<p@x>"))).containsExactlyInAnyOrderElementsOf(bindings);
    }

    @Test
    void mailEspoCrmImportedItselfShouldBeBoundNotArchivedASecondTime() throws Exception {
        String contact = espo.emulator().add("Contact", Map.of("lastName", "Carol", "emailAddress", CAROL.value()));
        String imported = espo.emulator().add("Email", Map.of("name", "Quote", "from", CAROL.value(), "to", "alice@company.example",
            "messageId", "<fetched@client.example>", "status", "Archived"));

        String id = connector().createEmailActivity(ContractActivity.incoming("<fetched@client.example>", new ItemRef(ItemType.CONTACT, contact)));

        assertThat(id).isEqualTo(imported);
        assertThat(espo.emulator().records("Email")).singleElement().satisfies(email -> {
            assertThat(email.path("parentId").asText()).isEqualTo(contact);
            assertThat(email.path("cCaptureKey").asText()).isEqualTo("<fetched@client.example>");
        });
    }

    @Test
    void aRoundShouldFindTheMailEspoCrmFetchedInItsLookupAndBindItWithOneRequest() throws Exception {
        String contact = espo.emulator().add("Contact", Map.of("lastName", "Carol", "emailAddress", CAROL.value()));
        String imported = espo.emulator().add("Email", Map.of("name", "Quote", "from", CAROL.value(), "to", "alice@company.example",
            "messageId", "<round@client.example>", "status", "Archived"));
        EspoCrmConnector connector = connector();
        connector.lookUp(new CrmLookup(Set.of("<round@client.example>"), Set.of(), Set.of(CAROL), Set.of(), Set.of()));
        long before = espo.emulator().requestCount();

        List<WriteResult> results = connector.write(List.of(new WritePlan("<round@client.example>", List.of(),
            ContractActivity.incoming("<round@client.example>", new ItemRef(ItemType.CONTACT, contact)))));

        assertThat(results).singleElement().isEqualTo(new WriteResult.Written(List.of(), imported));
        assertThat(espo.emulator().requestCount() - before).as("PUT Email only").isEqualTo(1);
        assertThat(espo.emulator().records("Email")).hasSize(1);
    }

    @Test
    void importEmlShouldAnswerTheEmailAlreadyImportedForTheSameMessageId() throws Exception {
        EspoCrmClient client = new EspoCrmClient(EspoCrmConfiguration.apiKey(espo.emulator().baseUrl().toString(), espo.emulator().apiKey()));

        String first = client.importEml(upload(client, RAW)).orElseThrow().emailId().orElseThrow();
        EspoCrmClient.Imported again = client.importEml(upload(client, RAW)).orElseThrow();

        assertThat(again).isEqualTo(new EspoCrmClient.Imported(Optional.of(first), true));
        assertThat(espo.emulator().emailsWithMessageId("<eml@client.example>")).hasSize(1);
    }

    @Test
    void aPlanWithTheRawMessageShouldBeImportedKeepingItsMessageIdThenBoundToTheParentTheRulesChose() throws Exception {
        String contact = espo.emulator().add("Contact", Map.of("lastName", "Carol", "emailAddress", CAROL.value()));
        String deal = espo.emulator().add("Opportunity", Map.of("name", "Chairs", "amount", 1, "closeDate", "2027-01-01",
            "contactId", contact, "contactsIds", List.of(contact)));
        WritePlan plan = new WritePlan("<eml@client.example>", List.of(), ContractActivity.incoming("<eml@client.example>",
            new ItemRef(ItemType.DEAL, deal)), Optional.of(() -> RAW.getBytes(StandardCharsets.UTF_8)));

        WriteResult first = connector().write(List.of(plan)).get(0);
        WriteResult retried = connector().write(List.of(plan)).get(0);

        assertThat(retried).as("409 already imported: the same e-mail").isEqualTo(first);
        assertThat(espo.emulator().emailsWithMessageId("<eml@client.example>")).singleElement().satisfies(email -> {
            assertThat(email.path("parentType").asText()).isEqualTo("Opportunity");
            assertThat(email.path("parentId").asText()).isEqualTo(deal);
            assertThat(email.path("cCaptureKey").asText()).isEqualTo("<eml@client.example>");
        });
        assertThat(espo.emulator().calls().all()).extracting(Call::operation).contains("POST Email/importEml").doesNotContain("POST Email");
    }

    @Test
    void anEspoCrmWithoutImportEmlShouldGetTheMailByPostEmail() throws Exception {
        try (EspoCrmEmulator site = EspoCrmEmulator.builder().importEml(false).start()) {
            String contact = site.add("Contact", Map.of("lastName", "Carol", "emailAddress", CAROL.value()));
            WritePlan plan = new WritePlan("<eml@client.example>", List.of(), ContractActivity.incoming("<eml@client.example>",
                new ItemRef(ItemType.CONTACT, contact)), Optional.of(() -> RAW.getBytes(StandardCharsets.UTF_8)));

            WriteResult result = connector(site).write(List.of(plan)).get(0);

            assertThat(result).isInstanceOf(WriteResult.Written.class);
            assertThat(site.emailsWithCaptureKey("<eml@client.example>")).singleElement()
                .satisfies(email -> assertThat(email.path("messageId").asText()).startsWith("dummy:"));
            site.violations().assertNone();
        }
    }

    private static String upload(EspoCrmClient client, String raw) throws Exception {
        return client.create("Attachment", client.object().put("name", "message.eml").put("type", "message/rfc822").put("role", "Attachment")
            .put("relatedType", "ImportEml").put("field", "file")
            .put("file", "data:message/rfc822;base64," + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8))), false).id();
    }

    @Test
    void datesShouldBeWrittenInUtcWithoutAnOffset() throws Exception {
        String contact = espo.emulator().add("Contact", Map.of("lastName", "Carol", "emailAddress", CAROL.value()));

        String id = connector().createEmailActivity(ContractActivity.incoming("<t@x>", new ItemRef(ItemType.CONTACT, contact)));

        assertThat(espo.emulator().record("Email", id).path("dateSent").asText()).isEqualTo("2026-11-22 07:15:00");
    }

    @Test
    void anAddressShouldMatchAnyOfARecordsAddressesWhateverItsCase() throws Exception {
        String contact = espo.emulator().add("Contact", Map.of("lastName", "Carol", "emailAddress", "carol@old.example",
            "emailAddressData", List.of(Map.of("emailAddress", "carol@old.example", "primary", true),
                Map.of("emailAddress", "Carol@Client.Example", "primary", false))));

        ClientRecord carol = connector().findClients(Set.of(CAROL)).get(CAROL);

        assertThat(carol.contacts()).extracting(ClientRecord.Contact::id).containsExactly(contact);
    }

    @Test
    void aClientShouldBeLookedUpAsEspoCrmsParentFinderDoesContactItsAccountThenLead() throws Exception {
        String account = espo.emulator().add("Account", Map.of("name", "Client Ltd"));
        String contact = espo.emulator().add("Contact", Map.of("lastName", "Carol", "emailAddress", CAROL.value(), "accountId", account));
        String lead = espo.emulator().add("Lead", Map.of("lastName", "Carol", "emailAddress", CAROL.value(), "status", "Converted"));
        String deal = espo.emulator().add("Opportunity", Map.of("name", "Tables", "amount", 1, "closeDate", "2027-01-01",
            "accountId", account, "stage", "Closed Lost"));

        ClientRecord carol = connector().lookUp(new CrmLookup(Set.of(), Set.of(), Set.of(CAROL), Set.of(), Set.of())).clients().get(CAROL);

        assertThat(carol.contacts()).extracting(ClientRecord.Contact::companyId).containsExactly(Optional.of(account));
        assertThat(carol.companies()).extracting(ClientRecord.Company::id).containsExactly(account);
        assertThat(carol.leads()).extracting(ClientRecord.Lead::id).containsExactly(lead);
        assertThat(carol.deals()).extracting(ClientRecord.Deal::id, deal2 -> deal2.stage().active()).containsExactly(
            org.assertj.core.groups.Tuple.tuple(deal, false));
    }

    @Test
    void aRoundOfLookupsShouldTakeAFewListRequestsWhateverItsSize() throws Exception {
        for (int i = 0; i < 150; i++) {
            espo.emulator().add("Contact", Map.of("lastName", "C" + i, "emailAddress", "c" + i + "@client.example"));
        }
        Set<EmailAddress> clients = new java.util.HashSet<>();
        Set<String> keys = new java.util.HashSet<>();
        for (int i = 0; i < 150; i++) {
            clients.add(EmailAddress.of("c" + i + "@client.example"));
            keys.add("<m" + i + "@client.example>");
        }

        connector().lookUp(new CrmLookup(keys, keys, clients, Set.of(EmailAddress.of("alice@company.example")), Set.of()));

        assertThat(espo.emulator().requestCount()).as("150 mails, 100 values an in filter").isLessThanOrEqualTo(20);
    }

    @Test
    void opportunitiesNeedAnAmountAndACloseDateAndContactsALastName() throws Exception {
        ItemRef contact = connector().createContact(new NewContact("Carol", CAROL, Optional.empty(), "<o@x>"));
        ItemRef deal = connector().createDeal(new NewDeal("Chairs", Optional.of(contact), Optional.empty(), Optional.empty(), false, "<o@x>"));

        assertThat(espo.emulator().record("Contact", contact.id()).path("lastName").asText()).isEqualTo("Carol");
        JsonNode opportunity = espo.emulator().record("Opportunity", deal.id());
        assertThat(opportunity.path("amount").asInt()).isZero();
        assertThat(opportunity.path("closeDate").asText()).isNotEmpty();
        assertThat(opportunity.path("accountId").asText()).as("the account of the client's domain")
            .isEqualTo(espo.emulator().record("Contact", contact.id()).path("accountId").asText());
    }

    @Test
    void attachmentsShouldBeUploadedFirstAndTheTooLargeOnesListed() throws Exception {
        String contact = espo.emulator().add("Contact", Map.of("lastName", "Carol", "emailAddress", CAROL.value()));
        List<AttachmentInfo> attachments = List.of(new AttachmentInfo("offer.pdf", "application/pdf", 3, new byte[] {1, 2, 3}),
            new AttachmentInfo("video.mp4", "video/mp4", 5, new byte[5]).withoutContent());

        String id = connector().createEmailActivity(ContractActivity.activity(ActivityDirection.INCOMING, "<a@x>", attachments,
            new ItemRef(ItemType.CONTACT, contact)));

        JsonNode email = espo.emulator().record("Email", id);
        assertThat(email.path("attachmentsIds")).hasSize(1);
        assertThat(espo.emulator().data().file(email.path("attachmentsIds").get(0).asText())).contains(new byte[] {1, 2, 3});
        assertThat(email.path("body").asText()).contains("video.mp4").doesNotContain("<script>");
    }

    @Test
    void aProxysRateLimitAndServerErrorsShouldBeRetriedLaterAndDroppedConnectionsToo() {
        try (EspoCrmEmulator site = EspoCrmEmulator.builder().proxyRateLimit(1, Duration.ofMinutes(1)).start()) {
            EspoCrmConnector connector = connector(site);
            org.assertj.core.api.Assertions.assertThatCode(connector::checkConnection).doesNotThrowAnyException();
            assertThatThrownBy(connector::checkConnection).isInstanceOf(CrmUnavailableException.class)
                .satisfies(failure -> assertThat(((CrmUnavailableException) failure).retryAfter()).contains(Duration.ofSeconds(1)));
        }
        espo.emulator().faults().next(1, Fault.status(503));
        espo.emulator().faults().next(1, Fault.drop());
        assertThatThrownBy(connector()::checkConnection).isInstanceOf(CrmUnavailableException.class);
        assertThatThrownBy(connector()::checkConnection).isInstanceOf(CrmUnavailableException.class);
    }

    @Test
    void aRoundOfPlansShouldKeepAtMostTheConfiguredRequestsInFlight() {
        espo.emulator().faults().everyMatching(request -> true, Fault.latency(Duration.ofMillis(20)));
        EspoCrmConnector connector = new EspoCrmConnector(new EspoCrmClient(new EspoCrmConfiguration(espo.emulator().baseUrl().toString(),
            espo.emulator().apiKey(), Optional.empty(), 2, Duration.ofSeconds(10))), Clock.systemUTC());
        List<WritePlan> plans = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            EmailAddress client = EmailAddress.of("p" + i + "@gmail.com");
            plans.add(new WritePlan("<w" + i + "@x>", List.of(lead("P " + i, client, false, "<w" + i + "@x>")),
                ContractActivity.incoming("<w" + i + "@x>")));
        }

        List<WriteResult> results = connector.write(plans);

        assertThat(results).allMatch(WriteResult.Written.class::isInstance);
        assertThat(espo.emulator().maxConcurrentRequests()).isEqualTo(2);
        assertThat(espo.emulator().calls().all()).extracting(Call::operation).contains("POST Lead", "POST Email");
    }
}

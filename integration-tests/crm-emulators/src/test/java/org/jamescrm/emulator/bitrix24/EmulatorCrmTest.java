package org.jamescrm.emulator.bitrix24;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jamescrm.emulator.bitrix24.EmulatorHttp.email;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jamescrm.emulator.MutableClock;
import org.jamescrm.emulator.bitrix24.Bitrix24Emulator.CallFailedException;
import org.jamescrm.emulator.bitrix24.EmulatorHttp.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Leads, contacts, companies, deals, their lists, crm.duplicate.findbycomm and users (§4, §6, §7). */
class EmulatorCrmTest {
    static final Instant START = Instant.parse("2026-11-29T10:00:00Z");

    /** Each test its own clock and portal (a new test instance per method): the clock is stepped. */
    final MutableClock clock = new MutableClock(START, ZoneOffset.ofHours(2));
    Bitrix24Emulator portal;
    EmulatorHttp http;

    @BeforeEach
    void start() {
        portal = Bitrix24Emulator.builder().clock(clock).rateLimit(100_000, 10_000).start();
        http = new EmulatorHttp(portal);
    }

    @AfterEach
    void stop() {
        portal.close();
    }

    private List<String> ids(Reply reply) {
        List<String> ids = new ArrayList<>();
        reply.result().forEach(row -> ids.add(row.get("ID").asText()));
        return ids;
    }

    private Reply leads(Map<String, Object> filter) {
        return http.call("crm.lead.list", http.json("filter", filter, "select", List.of("ID")));
    }

    // ---- leads

    @Test
    void aNewLeadShouldGetTheDefaultsAndDerivedFields() {
        long contact = portal.addContact(Map.of("NAME", "Ann"));
        long id = http.call("crm.lead.add", http.json("fields", Map.of("TITLE", "Quote", "CONTACT_ID", contact, "IS_RETURN_CUSTOMER", "N",
            "ORIGINATOR_ID", "james-crm-capture", "ORIGIN_ID", "<m1@client.example>"))).result().asLong();

        JsonNode lead = http.call("crm.lead.get", http.json("id", id)).result();

        assertThat(lead.get("STATUS_ID").asText()).isEqualTo("NEW");
        assertThat(lead.get("STATUS_SEMANTIC_ID").asText()).isEqualTo("P");
        assertThat(lead.get("IS_RETURN_CUSTOMER").asText()).as("follows CONTACT_ID, not the written value").isEqualTo("Y");
        assertThat(lead.get("ORIGINATOR_ID").asText()).isEqualTo("james-crm-capture");
        assertThat(lead.get("ORIGIN_ID").asText()).isEqualTo("<m1@client.example>");
        assertThat(lead.get("ASSIGNED_BY_ID").asText()).isEqualTo("1");
        assertThat(lead.get("DATE_CREATE").asText()).isEqualTo("2026-11-29T12:00:00+02:00");
        assertThat(lead.get("OPPORTUNITY").asText()).isEqualTo("0.00");
        assertThat(lead.get("COMPANY_ID").isNull()).isTrue();
    }

    @Test
    void aLeadStatusShouldGiveItsSemanticAndAnUnknownStatusBeRefused() {
        long junk = portal.addLead(Map.of("TITLE", "spam", "STATUS_ID", "JUNK"));
        long converted = portal.addLead(Map.of("TITLE", "won", "STATUS_ID", "CONVERTED"));

        Reply refused = http.call("crm.lead.add", http.json("fields", Map.of("TITLE", "x", "STATUS_ID", "OPEN")));

        assertThat(portal.leads()).extracting(lead -> lead.get("STATUS_SEMANTIC_ID")).containsExactly("F", "S");
        assertThat(portal.leads().get(0).get("DATE_CLOSED")).isEqualTo("2026-11-29T12:00:00+02:00");
        assertThat(junk).isEqualTo(1);
        assertThat(converted).isEqualTo(2);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.description()).startsWith("Invalid value for the \"Status\" field");
    }

    @Test
    void anUnknownResponsibleOrClientShouldBeRefused() {
        Reply unknownUser = http.call("crm.lead.add", http.json("fields", Map.of("TITLE", "x", "ASSIGNED_BY_ID", 42)));
        Reply unknownContact = http.call("crm.lead.add", http.json("fields", Map.of("TITLE", "x", "CONTACT_ID", 42)));

        assertThat(unknownUser.status()).isEqualTo(400);
        assertThat(unknownUser.description()).contains("ASSIGNED_BY_ID").contains("42");
        assertThat(unknownContact.description()).isEqualTo("Could not find 'CONTACT' with ID: 42");
        assertThat(portal.leads()).isEmpty();
    }

    @Test
    void anInvalidEmailShouldBeRefusedWithErrorCore() {
        Reply reply = http.call("crm.contact.add", http.json("fields", Map.of("NAME", "x", "EMAIL", List.of(email("not an address")))));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("ERROR_CORE");
        assertThat(reply.description()).isEqualTo("The field `Work e-mail` contains an invalid address");
    }

    @Test
    void multifieldsShouldAppendOverwriteAndDeleteOnUpdate() {
        long id = portal.addContact(Map.of("NAME", "Ann", "EMAIL", List.of("ann@one.example", "ann@two.example")));
        List<Map<String, Object>> stored = emails(portal.contacts().get(0));

        http.call("crm.contact.update", http.json("id", id, "fields", Map.of("EMAIL", List.of(
            Map.of("ID", stored.get(0).get("ID"), "VALUE", "ann@new.example"),
            Map.of("ID", stored.get(1).get("ID"), "DELETE", "Y"),
            Map.of("VALUE", "ann@three.example", "VALUE_TYPE", "HOME")))));

        List<Map<String, Object>> emails = emails(portal.contacts().get(0));
        assertThat(emails).extracting(value -> value.get("VALUE")).containsExactly("ann@new.example", "ann@three.example");
        assertThat(emails).extracting(value -> value.get("VALUE_TYPE")).containsExactly("WORK", "HOME");
        assertThat(emails.get(0).get("ID")).isEqualTo(stored.get(0).get("ID"));
        assertThat(emails.get(0).get("TYPE_ID")).isEqualTo("EMAIL");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> emails(Map<String, Object> item) {
        return (List<Map<String, Object>>) item.get("EMAIL");
    }

    @Test
    void aMultifieldGivenAsAPlainStringShouldBeIgnoredLikeThePortalDoes() {
        http.call("crm.contact.add", http.json("fields", Map.of("NAME", "Ann", "EMAIL", "ann@client.example")));

        assertThat(portal.contacts().get(0)).doesNotContainKey("EMAIL");
        assertThat(portal.contacts().get(0).get("HAS_EMAIL")).isEqualTo("N");
    }

    @Test
    void updateShouldIgnoreUnknownAndReadOnlyFields() {
        long id = portal.addLead(Map.of("TITLE", "x"));

        Reply reply = http.call("crm.lead.update", http.json("id", id, "fields", Map.of("TITLE", "y", "NO_SUCH_FIELD", 1,
            "DATE_CREATE", "2020-01-01T00:00:00+00:00", "UF_CRM_SOURCE_MAIL", "m1")));

        assertThat(reply.result().asBoolean()).isTrue();
        Map<String, Object> lead = portal.leads().get(0);
        assertThat(lead.get("TITLE")).isEqualTo("y");
        assertThat(lead.get("DATE_CREATE")).isEqualTo("2026-11-29T12:00:00+02:00");
        assertThat(lead.get("UF_CRM_SOURCE_MAIL")).isEqualTo("m1");
        assertThat(lead).doesNotContainKey("NO_SUCH_FIELD");
    }

    // ---- deals, companies, modes

    @Test
    void aDealStageShouldGiveItsSemanticAndDefaults() {
        long open = portal.addDeal(Map.of());
        long won = portal.addDeal(Map.of("TITLE", "won", "STAGE_ID", "WON"));
        long lost = portal.addDeal(Map.of("TITLE", "lost", "STAGE_ID", "C3:LOSE", "CATEGORY_ID", 3));

        List<Map<String, Object>> deals = portal.deals();
        assertThat(deals).extracting(deal -> deal.get("STAGE_SEMANTIC_ID")).containsExactly("P", "S", "F");
        assertThat(deals).extracting(deal -> deal.get("CLOSED")).containsExactly("N", "Y", "Y");
        assertThat(deals.get(0).get("TITLE")).isEqualTo("Deal #" + open);
        assertThat(deals.get(0).get("STAGE_ID")).isEqualTo("NEW");
        assertThat(deals.get(0).get("CATEGORY_ID")).isEqualTo("0");
        assertThat(deals.get(0).get("IS_RETURN_CUSTOMER")).isEqualTo("N");
        assertThat(deals.get(0).get("CLOSEDATE")).isEqualTo("2026-12-06T00:00:00+02:00");
        assertThat(deals.get(2).get("CATEGORY_ID")).isEqualTo("3");
        assertThat(won).isEqualTo(2);
        assertThat(lost).isEqualTo(3);
    }

    @Test
    void aStageOfAnotherPipelineShouldBeRefused() {
        Reply reply = http.call("crm.deal.add", http.json("fields", Map.of("STAGE_ID", "C2:NEW")));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.description()).startsWith("Invalid value for the \"Stage\" field");
    }

    @Test
    void aDealShouldKeepLeadAndClientLinksAndTakeTheFirstOfContactIds() {
        long lead = portal.addLead(Map.of("TITLE", "l"));
        long company = portal.addCompany(Map.of("TITLE", "Client Ltd"));
        long contact = portal.addContact(Map.of("NAME", "Ann", "COMPANY_ID", company));

        http.call("crm.deal.add", http.json("fields", Map.of("LEAD_ID", lead, "COMPANY_ID", company, "CONTACT_IDS", List.of(contact),
            "IS_RETURN_CUSTOMER", "Y")));

        Map<String, Object> deal = portal.deals().get(0);
        assertThat(deal.get("LEAD_ID")).isEqualTo("1");
        assertThat(deal.get("CONTACT_ID")).isEqualTo("1");
        assertThat(deal.get("COMPANY_ID")).isEqualTo("1");
        assertThat(deal.get("IS_RETURN_CUSTOMER")).isEqualTo("Y");
        assertThat(deal).doesNotContainKey("CONTACT_IDS");
        assertThat(portal.contacts().get(0).get("COMPANY_ID")).isEqualTo("1");
    }

    @Test
    void aCompanyShouldNeedATitle() {
        assertThatThrownBy(() -> portal.addCompany(Map.of("COMPANY_TYPE", "CUSTOMER"))).isInstanceOf(CallFailedException.class)
            .hasMessage("The field TITLE (company name) is required.");
    }

    @Test
    void simpleModeShouldConvertARestLeadIntoADealAndAContact() {
        try (Bitrix24Emulator simple = Bitrix24Emulator.builder().crmMode("simple").start()) {
            EmulatorHttp simpleHttp = new EmulatorHttp(simple);
            long lead = simpleHttp.call("crm.lead.add", simpleHttp.json("fields", Map.of("TITLE", "Inquiry", "NAME", "Ann",
                "EMAIL", List.of(email("ann@client.example"))))).result().asLong();

            assertThat(simpleHttp.call("crm.settings.mode.get", simpleHttp.json()).result().asInt()).isEqualTo(2);
            Reply deals = simpleHttp.call("crm.deal.list", simpleHttp.json("filter", Map.of("LEAD_ID", lead), "select", List.of("ID",
                "CONTACT_ID", "TITLE")));
            assertThat(deals.result()).hasSize(1);
            assertThat(deals.result().get(0).get("TITLE").asText()).isEqualTo("Inquiry");
            assertThat(simple.leads().get(0).get("STATUS_ID")).isEqualTo("CONVERTED");
            assertThat(emails(simple.contacts().get(0))).extracting(value -> value.get("VALUE")).containsExactly("ann@client.example");
            assertThat(deals.result().get(0).get("CONTACT_ID").asText()).isEqualTo(simple.contacts().get(0).get("ID"));
        }
    }

    // ---- lists

    @Test
    void a120LeadListShouldComeInThreePagesOf50() {
        for (int i = 0; i < 120; i++) {
            portal.addLead(Map.of("TITLE", "lead " + i));
        }

        Reply first = http.call("crm.lead.list", http.json("select", List.of("ID")));
        Reply second = http.call("crm.lead.list", http.json("select", List.of("ID"), "start", first.body().get("next").asInt()));
        Reply third = http.call("crm.lead.list", http.json("select", List.of("ID"), "start", second.body().get("next").asInt()));

        assertThat(first.result()).hasSize(50);
        assertThat(first.body().get("total").asInt()).isEqualTo(120);
        assertThat(first.body().get("next").asInt()).isEqualTo(50);
        assertThat(second.body().get("next").asInt()).isEqualTo(100);
        assertThat(third.result()).hasSize(20);
        assertThat(third.body().has("next")).isFalse();
        assertThat(ids(third).get(19)).isEqualTo("120");
    }

    @Test
    void startShouldBeRoundedDownToItsPage() {
        for (int i = 0; i < 120; i++) {
            portal.addLead(Map.of("TITLE", "lead " + i));
        }

        Reply page = http.call("crm.lead.list", http.json("select", List.of("ID"), "start", 75));

        assertThat(ids(page).get(0)).isEqualTo("51");
        assertThat(page.body().get("next").asInt()).isEqualTo(100);
    }

    @Test
    void startMinusOneShouldSkipTheCount() {
        for (int i = 0; i < 60; i++) {
            portal.addLead(Map.of("TITLE", "lead " + i));
        }

        Reply reply = http.call("crm.lead.list", http.json("select", List.of("ID"), "start", -1, "filter", Map.of(">ID", 5),
            "order", Map.of("ID", "ASC")));

        assertThat(reply.result()).hasSize(50);
        assertThat(ids(reply).get(0)).isEqualTo("6");
        assertThat(reply.body().get("total").asInt()).isZero();
        assertThat(reply.body().has("next")).isFalse();
    }

    @Test
    void everyFilterOperatorShouldSelectAsDocumented() {
        for (String title : List.of("Alpha offer", "Beta offer", "Gamma", "Delta request", "Epsilon")) {
            portal.addLead(Map.of("TITLE", title));
        }

        assertThat(ids(leads(Map.of("ID", 3)))).containsExactly("3");
        assertThat(ids(leads(Map.of("=ID", "3")))).containsExactly("3");
        assertThat(ids(leads(Map.of("!ID", 3)))).containsExactly("1", "2", "4", "5");
        assertThat(ids(leads(Map.of("!=ID", 3)))).containsExactly("1", "2", "4", "5");
        assertThat(ids(leads(Map.of(">ID", 3)))).containsExactly("4", "5");
        assertThat(ids(leads(Map.of(">=ID", 3)))).containsExactly("3", "4", "5");
        assertThat(ids(leads(Map.of("<ID", 3)))).containsExactly("1", "2");
        assertThat(ids(leads(Map.of("<=ID", 3)))).containsExactly("1", "2", "3");
        assertThat(ids(leads(Map.of("@ID", List.of(1, 4))))).containsExactly("1", "4");
        assertThat(ids(leads(Map.of("ID", List.of(2, 5))))).as("an array under = is IN").containsExactly("2", "5");
        assertThat(ids(leads(Map.of("!@ID", List.of(1, 4))))).containsExactly("2", "3", "5");
        assertThat(ids(leads(Map.of("%TITLE", "OFFER")))).as("substring, case-insensitive").containsExactly("1", "2");
        assertThat(ids(leads(Map.of("!%TITLE", "offer")))).containsExactly("3", "4", "5");
        assertThat(ids(leads(Map.of("=%TITLE", "%ta%")))).containsExactly("2", "4");
        assertThat(ids(leads(Map.of("%=TITLE", "g%")))).containsExactly("3");
        assertThat(ids(leads(Map.of("!=%TITLE", "%offer")))).containsExactly("3", "4", "5");
        assertThat(ids(leads(Map.of("><ID", List.of(2, 4))))).containsExactly("2", "3", "4");
        assertThat(ids(leads(Map.of("TITLE", "gamma")))).as("= on text is case-insensitive").containsExactly("3");
        assertThat(ids(leads(Map.of("NO_SUCH_FIELD", "x")))).as("unknown fields are ignored").hasSize(5);
    }

    @Test
    void filtersShouldCompareDatesAndCombineConditions() {
        portal.addLead(Map.of("TITLE", "old", "DATE_CREATE", "2026-11-01T10:00:00+02:00", "ASSIGNED_BY_ID", 1));
        long user = portal.addUser(Map.of("NAME", "Alice", "EMAIL", "alice@company.example"));
        portal.addLead(Map.of("TITLE", "new", "ASSIGNED_BY_ID", user));
        portal.addLead(Map.of("TITLE", "new junk", "ASSIGNED_BY_ID", user, "STATUS_ID", "JUNK"));

        assertThat(ids(leads(Map.of(">DATE_CREATE", "2026-11-15T00:00:00+00:00")))).containsExactly("2", "3");
        assertThat(ids(leads(Map.of("<DATE_CREATE", "2026-11-01T09:00:00Z")))).as("10:00+02:00 is 08:00Z").containsExactly("1");
        assertThat(ids(leads(Map.of("STATUS_SEMANTIC_ID", "P", "ASSIGNED_BY_ID", user)))).containsExactly("2");
    }

    @Test
    void aMultifieldFilterShouldMatchExactValuesOnly() {
        portal.addContact(Map.of("NAME", "Ann", "EMAIL", "Ann@Client.example"));
        portal.addContact(Map.of("NAME", "Annette", "EMAIL", "annette@client.example"));

        Reply exact = http.call("crm.contact.list", http.json("filter", Map.of("EMAIL", "ann@client.example"), "select", List.of("ID")));
        Reply partial = http.call("crm.contact.list", http.json("filter", Map.of("EMAIL", "client.example"), "select", List.of("ID")));

        assertThat(ids(exact)).containsExactly("1");
        assertThat(partial.result()).isEmpty();
    }

    @Test
    void orderShouldSortAscendingOrDescending() {
        for (String title : List.of("b", "c", "a")) {
            portal.addLead(Map.of("TITLE", title));
        }

        Reply descending = http.call("crm.lead.list", http.json("order", Map.of("TITLE", "DESC"), "select", List.of("ID")));
        Reply ascending = http.call("crm.lead.list", http.json("order", Map.of("TITLE", "asc"), "select", List.of("ID")));

        assertThat(ids(descending)).containsExactly("2", "1", "3");
        assertThat(ids(ascending)).containsExactly("3", "1", "2");
    }

    @Test
    void selectShouldHonourMasksAndNeedMultifieldsNamed() {
        portal.addLead(Map.of("TITLE", "x", "EMAIL", "a@client.example", "UF_CRM_MAIL", "m1"));

        JsonNode byDefault = http.call("crm.lead.list", http.json()).result().get(0);
        JsonNode star = http.call("crm.lead.list", http.json("select", List.of("*"))).result().get(0);
        JsonNode named = http.call("crm.lead.list", http.json("select", List.of("TITLE", "EMAIL"))).result().get(0);
        JsonNode custom = http.call("crm.lead.list", http.json("select", List.of("UF_*"))).result().get(0);

        assertThat(byDefault.has("EMAIL")).as("masks do not cover multifields").isFalse();
        assertThat(byDefault.get("UF_CRM_MAIL").asText()).isEqualTo("m1");
        assertThat(star.has("TITLE")).isTrue();
        assertThat(star.has("UF_CRM_MAIL")).isFalse();
        assertThat(named.fieldNames()).toIterable().containsExactly("ID", "TITLE", "EMAIL");
        assertThat(named.get("EMAIL").get(0).get("VALUE").asText()).isEqualTo("a@client.example");
        assertThat(custom.fieldNames()).toIterable().containsExactly("UF_CRM_MAIL");
    }

    @Test
    void aFilterThatIsNotAnArrayShouldBeRefused() {
        Reply reply = http.call("crm.deal.list", http.json("filter", "ID=1"));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.description()).isEqualTo("Parameter 'filter' must be array.");
    }

    @Test
    void companiesAndDealsShouldListWithTheSameContract() {
        portal.addCompany(Map.of("TITLE", "Client Ltd", "EMAIL", "office@client.example"));
        long contact = portal.addContact(Map.of("NAME", "Ann", "COMPANY_ID", 1));
        portal.addDeal(Map.of("CONTACT_ID", contact, "STAGE_ID", "WON"));
        portal.addDeal(Map.of("CONTACT_ID", contact));

        Reply companies = http.call("crm.company.list", http.json("filter", Map.of("@ID", List.of(1)), "select", List.of("ID", "EMAIL",
            "ASSIGNED_BY_ID"), "start", -1));
        Reply deals = http.call("crm.deal.list", http.json("filter", Map.of("@CONTACT_ID", List.of(contact)), "select", List.of("ID",
            "STAGE_SEMANTIC_ID")));

        assertThat(companies.result().get(0).get("EMAIL").get(0).get("VALUE").asText()).isEqualTo("office@client.example");
        assertThat(deals.result()).extracting(row -> row.get("STAGE_SEMANTIC_ID").asText()).containsExactly("S", "P");
    }

    // ---- crm.duplicate.findbycomm

    @Test
    void findByCommShouldMatchEmailsCaseInsensitivelyAcrossTypes() {
        portal.addLead(Map.of("TITLE", "l", "EMAIL", "Carol@Client.example"));
        portal.addContact(Map.of("NAME", "Carol", "EMAIL", "carol@client.example"));
        portal.addContact(Map.of("NAME", "Dan", "EMAIL", "dan@client.example"));

        Reply reply = http.call("crm.duplicate.findbycomm", http.json("type", "email", "values", List.of(" CAROL@client.EXAMPLE ")));

        assertThat(reply.result().toString()).isEqualTo("{\"LEAD\":[1],\"CONTACT\":[1]}");
    }

    @Test
    void findByCommShouldRestrictToTheEntityTypeAndRefuseDeals() {
        portal.addLead(Map.of("TITLE", "l", "EMAIL", "carol@client.example"));
        portal.addContact(Map.of("NAME", "Carol", "EMAIL", "carol@client.example"));

        Reply contacts = http.call("crm.duplicate.findbycomm", http.json("type", "EMAIL", "values", List.of("carol@client.example"),
            "entity_type", "CONTACT"));
        Reply deals = http.call("crm.duplicate.findbycomm", http.json("type", "EMAIL", "values", List.of("carol@client.example"),
            "ENTITY_TYPE", "DEAL"));

        assertThat(contacts.result().toString()).isEqualTo("{\"CONTACT\":[1]}");
        assertThat(deals.status()).isEqualTo(400);
        assertThat(deals.description()).isEqualTo("Deal is not supported in current context.");
    }

    @Test
    void findByCommShouldProcessAtMost20DistinctValues() {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            values.add("c" + i + "@client.example");
            portal.addContact(Map.of("NAME", "c" + i, "EMAIL", "c" + i + "@client.example"));
        }
        values.add(0, "c0@client.example"); // a duplicate value is not counted twice

        Reply reply = http.call("crm.duplicate.findbycomm", http.json("type", "EMAIL", "values", values));

        assertThat(reply.result().get("CONTACT")).hasSize(20);
        assertThat(reply.result().get("CONTACT").get(19).asInt()).isEqualTo(20);
    }

    @Test
    void findByCommShouldCapEachLookupAt20MatchesAcrossTypes() {
        for (int i = 0; i < 15; i++) {
            portal.addLead(Map.of("TITLE", "l" + i, "EMAIL", "shared@client.example"));
            portal.addContact(Map.of("NAME", "c" + i, "EMAIL", "shared@client.example"));
        }

        Reply reply = http.call("crm.duplicate.findbycomm", http.json("type", "EMAIL", "values", List.of("shared@client.example")));

        assertThat(reply.result().get("LEAD")).hasSize(15);
        assertThat(reply.result().get("CONTACT")).hasSize(5);
    }

    @Test
    void findByCommShouldAnswerTheDocumentedErrors() {
        assertThat(http.call("crm.duplicate.findbycomm", http.json("values", List.of("a@b.example"))).description())
            .isEqualTo("Communication type is not defined.");
        assertThat(http.call("crm.duplicate.findbycomm", http.json("type", "FAX", "values", List.of("1"))).description())
            .isEqualTo("Communication type 'FAX' is not supported in current context.");
        assertThat(http.call("crm.duplicate.findbycomm", http.json("type", "EMAIL")).description())
            .isEqualTo("Communication values is not defined.");
        Reply notAList = http.call("crm.duplicate.findbycomm", http.json("type", "EMAIL", "values", "a@b.example"));
        assertThat(notAList.status()).isEqualTo(400);
        assertThat(notAList.error()).isEmpty();
        assertThat(notAList.description()).isEqualTo("Communication values is not defined.");
    }

    @Test
    void findByCommShouldNormalizePhonesAndSkipNonStrings() {
        portal.addContact(Map.of("NAME", "Ann", "PHONE", "+420 777 123 456"));

        Reply byString = http.call("crm.duplicate.findbycomm", http.json("type", "PHONE", "values", List.of("+420777123456")));
        Reply byNumber = http.call("crm.duplicate.findbycomm", http.json("type", "PHONE", "values", List.of(420777123456L)));

        assertThat(byString.result().get("CONTACT").get(0).asInt()).isEqualTo(1);
        assertThat(byNumber.result().isArray()).as("a number is not a string: skipped, nothing found").isTrue();
    }

    // ---- users

    @Test
    void userGetShouldFilterLooselyByEmailAndExcludeDismissedAndBots() {
        portal.addUser(Map.of("NAME", "Jan", "LAST_NAME", "Novak", "EMAIL", "jan@firm.example"));
        portal.addUser(Map.of("NAME", "Jana", "EMAIL", "jana@firm.example", "ACTIVE", "N"));
        portal.addUser(Map.of("NAME", "Bot", "EMAIL", "jan.bot@firm.example", "USER_TYPE", "bot"));
        portal.addUser(Map.of("NAME", "Janek", "EMAIL", "janek@firm.example"));

        Reply active = http.call("user.get", http.json("FILTER", Map.of("EMAIL", "jan@firm.example", "ACTIVE", true)));
        Reply loose = http.postForm(http.webhook("user.get"), "FILTER[EMAIL]=jan&FILTER[ACTIVE]=true");
        Reply all = http.call("user.get", http.json("FILTER", Map.of("EMAIL", "jan")));

        assertThat(ids(active)).containsExactly("2");
        assertThat(active.result().get(0).get("ACTIVE").isBoolean()).isTrue();
        assertThat(active.result().get(0).get("UF_DEPARTMENT").get(0).asInt()).isEqualTo(1);
        assertThat(ids(loose)).as("EMAIL is a substring match: compare it yourself").containsExactly("2", "5");
        assertThat(ids(all)).containsExactly("2", "3", "5");
    }

    @Test
    void userGetShouldTakeTopLevelFieldsAsFilterAndIgnorePrefixedKeys() {
        portal.addUser(Map.of("NAME", "Jan", "EMAIL", "jan@firm.example"));

        Reply topLevel = http.call("user.get", http.json("ID", 2));
        Reply prefixed = http.call("user.get", http.json("FILTER", Map.of("=EMAIL", "nobody@firm.example")));

        assertThat(ids(topLevel)).containsExactly("2");
        assertThat(ids(prefixed)).as("the prefixed key is dropped: every real user").containsExactly("1", "2");
        assertThat(prefixed.body().get("total").asInt()).isEqualTo(2);
    }

    @Test
    void userGetShouldPageBy50() {
        for (int i = 0; i < 60; i++) {
            portal.addUser(Map.of("NAME", "u" + i, "EMAIL", "u" + i + "@firm.example"));
        }

        Reply first = http.call("user.get", http.json("sort", "ID", "order", "DESC"));

        assertThat(first.result()).hasSize(50);
        assertThat(first.body().get("next").asInt()).isEqualTo(50);
        assertThat(first.result().get(0).get("ID").asText()).isEqualTo("61");
    }

    @Test
    void theCurrentUserAndProfileShouldBeTheWebhookOwner() {
        JsonNode current = http.call("user.current", http.json()).result();
        JsonNode profile = http.call("profile", http.json()).result();

        assertThat(current.get("ID").asText()).isEqualTo("1");
        assertThat(profile.get("ADMIN").asBoolean()).isTrue();
        assertThat(profile.get("TIME_ZONE_OFFSET").asInt()).isEqualTo(7200);
    }

    @Test
    void theHelperEnumerationsShouldAnswerAsDocumented() {
        JsonNode ownerTypes = http.call("crm.enum.ownertype", http.json()).result();
        JsonNode stages = http.call("crm.status.list", http.json("filter", Map.of("ENTITY_ID", "DEAL_STAGE"))).result();

        assertThat(ownerTypes.get(0).toString()).isEqualTo("{\"ID\":1,\"NAME\":\"Lead\",\"SYMBOL_CODE\":\"LEAD\",\"SYMBOL_CODE_SHORT\":\"L\"}");
        Map<String, String> semantics = new LinkedHashMap<>();
        stages.forEach(stage -> semantics.put(stage.get("STATUS_ID").asText(), stage.get("EXTRA").get("SEMANTICS").asText()));
        assertThat(semantics).containsEntry("NEW", "process").containsEntry("WON", "success").containsEntry("LOSE", "failure");
        assertThat(stages.get(0).get("SEMANTICS").isNull()).isTrue();
    }

    @Test
    void seedingShouldAcceptFmMultifieldsAndDates() {
        long id = portal.addLead(Map.of("TITLE", "x", "FM", Map.of("EMAIL", List.of(email("a@client.example"))),
            "DATE_CREATE", "2026-01-02T03:04:05+02:00"));
        clock.step(Duration.ofHours(1));

        Map<String, Object> lead = portal.leads().get(0);

        assertThat(id).isEqualTo(1);
        assertThat(emails(lead)).extracting(value -> value.get("VALUE")).containsExactly("a@client.example");
        assertThat(lead.get("DATE_CREATE")).isEqualTo("2026-01-02T03:04:05+02:00");
        assertThat(lead.get("DATE_MODIFY")).isEqualTo("2026-01-02T03:04:05+02:00");
    }
}

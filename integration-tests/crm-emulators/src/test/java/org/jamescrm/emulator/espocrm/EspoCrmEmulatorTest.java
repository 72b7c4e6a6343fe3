package org.jamescrm.emulator.espocrm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.jamescrm.emulator.Violation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The EspoCRM emulator held to espocrm-api.md over real HTTP. */
class EspoCrmEmulatorTest {
    static final ObjectMapper MAPPER = new ObjectMapper();

    @RegisterExtension
    static EspoCrmEmulatorExtension espo = new EspoCrmEmulatorExtension(EspoCrmEmulator.builder().apiKey("test-key"));

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    record Answer(int status, String reason, String text) {
        JsonNode json() {
            try {
                return MAPPER.readTree(text);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + text, e);
            }
        }
    }

    private Answer send(EspoCrmEmulator site, String method, String resource, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(site.baseUrl() + "api/v1/" + resource))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("X-Status-Reason").orElse(""), response.body());
    }

    private Answer call(String method, String resource, String body, String... headers) throws Exception {
        String[] all = new String[headers.length + 2];
        all[0] = "X-Api-Key";
        all[1] = "test-key";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return send(espo.emulator(), method, resource, body, all);
    }

    private static String search(String json) {
        return "searchParams=" + URLEncoder.encode(json, StandardCharsets.UTF_8);
    }

    @Test
    void aWrongKeyShouldGet401WithAnEmptyBodyAndNoReason() throws Exception {
        Answer answer = send(espo.emulator(), "GET", "App/user", null, "X-Api-Key", "wrong");

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.text()).isEmpty();
        assertThat(answer.reason()).isEmpty();
    }

    @Test
    void tooManyFailedLoginsShouldBlockEvenTheRightKey() throws Exception {
        try (EspoCrmEmulator site = EspoCrmEmulator.builder().maxFailedLogins(1).start()) {
            send(site, "GET", "App/user", null, "X-Api-Key", "wrong");

            Answer answer = send(site, "GET", "App/user", null, "X-Api-Key", site.apiKey());

            assertThat(answer.status()).isEqualTo(403);
            assertThat(answer.reason()).startsWith("Max failed login attempts exceeded for IP address");
        }
    }

    @Test
    void hmacShouldSignMethodAndPathWithoutQueryAndRefuseTheKeyAlone() throws Exception {
        try (EspoCrmEmulator site = EspoCrmEmulator.builder().apiKey("k").hmac("secret").start()) {
            String signature = Base64.getEncoder().encodeToString(("k:" + EspoCrmEmulator.hmac("secret", "GET /Lead"))
                .getBytes(StandardCharsets.UTF_8));

            assertThat(send(site, "GET", "Lead?maxSize=5", null, "X-Hmac-Authorization", signature).status()).isEqualTo(200);
            assertThat(send(site, "GET", "Contact", null, "X-Hmac-Authorization", signature).status()).isEqualTo(401);
            assertThat(send(site, "GET", "Lead", null, "X-Api-Key", "k").status()).isEqualTo(401);
        }
    }

    @Test
    void appUserShouldTellTheImportScope() throws Exception {
        assertThat(call("GET", "App/user", null).json().path("acl").path("table").path("Import").asBoolean()).isTrue();
        espo.emulator().importScope(false);
        assertThat(call("GET", "App/user", null).json().path("acl").path("table").path("Import").asBoolean()).isFalse();
    }

    @Test
    void createReadUpdateShouldDropReadOnlyAndUnknownAttributes() throws Exception {
        JsonNode created = call("POST", "Lead", "{\"firstName\":\"Ann\",\"lastName\":\"Novak\",\"emailAddress\":\"ann@client.cz\","
            + "\"convertedAt\":\"2026-01-01 00:00:00\",\"nickname\":\"Annie\",\"id\":\"mine\"}").json();

        String id = created.path("id").asText();
        assertThat(id).hasSize(17).isNotEqualTo("mine");
        assertThat(created.path("name").asText()).isEqualTo("Ann Novak");
        assertThat(created.has("convertedAt")).isFalse();
        assertThat(created.has("nickname")).isFalse();
        assertThat(call("PUT", "Lead/" + id, "{\"status\":\"Dead\"}").json().path("status").asText()).isEqualTo("Dead");
        assertThat(call("GET", "Lead/" + id, null).json().path("status").asText()).isEqualTo("Dead");
        Answer missing = call("GET", "Lead/00000000000000000", null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.reason()).isEqualTo("Record does not exist.");
        assertThat(missing.text()).isEmpty();
    }

    @Test
    void aMissingRequiredFieldOrAWrongOptionShouldBeAValidationFailure() throws Exception {
        Answer answer = call("POST", "Contact", "{\"firstName\":\"Ann\"}");
        Answer option = call("POST", "Lead", "{\"lastName\":\"Novak\",\"status\":\"Hot\"}");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.reason()).isEqualTo("validationFailure");
        assertThat(answer.json().path("messageTranslation").path("data").path("field").asText()).isEqualTo("lastName");
        assertThat(option.json().path("messageTranslation").path("data").path("type").asText()).isEqualTo("valid");
    }

    @Test
    void theDuplicateCheckShouldAnswer409WithTheRecordsUnlessSkipped() throws Exception {
        String id = call("POST", "Contact", "{\"lastName\":\"Novak\",\"emailAddress\":\"ann@client.cz\"}").json().path("id").asText();

        Answer duplicate = call("POST", "Contact", "{\"lastName\":\"Other\",\"emailAddress\":\"ANN@client.cz\"}");
        Answer skipped = call("POST", "Lead", "{\"lastName\":\"Novak\",\"emailAddress\":\"ann@client.cz\"}", "X-Skip-Duplicate-Check", "TRUE");
        Answer leadAgain = call("POST", "Lead", "{\"firstName\":\"X\",\"lastName\":\"Novak\",\"emailAddress\":\"ann@client.cz\"}",
            "X-Skip-Duplicate-Check", "true");

        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.reason()).isEqualTo("duplicate");
        assertThat(duplicate.json().get(0).path("id").asText()).isEqualTo(id);
        assertThat(skipped.status()).isEqualTo(200);
        assertThat(leadAgain.status()).isEqualTo(200);
        espo.emulator().violations().assertNone();
    }

    @Test
    void searchShouldFilterPageAndSelectWithSearchParamsOrPhpStyleWhere() throws Exception {
        for (int i = 0; i < 5; i++) {
            espo.emulator().add("Lead", Map.of("lastName", "L" + i, "emailAddress", "l" + i + "@client.cz", "status", i < 3 ? "New" : "Dead"));
        }

        JsonNode in = call("GET", "Lead?" + search("{\"maxSize\":2,\"offset\":1,\"select\":\"id,status\",\"where\":[{\"type\":\"in\","
            + "\"attribute\":\"emailAddress\",\"value\":[\"L0@client.cz\",\"l1@client.cz\",\"l2@client.cz\"]}]}"), null).json();
        JsonNode php = call("GET", "Lead?maxSize=10&where[0][type]=notIn&where[0][attribute]=status&where[0][value][]=Dead"
            + "&where[1][type]=equals&where[1][attribute]=emailAddress&where[1][value]=l1%40client.cz", null).json();

        assertThat(in.path("total").asInt()).isEqualTo(3);
        assertThat(in.path("list")).hasSize(2);
        assertThat(in.path("list").get(0).has("lastName")).isFalse();
        assertThat(in.path("list").get(0).path("status").asText()).isEqualTo("New");
        assertThat(php.path("list")).singleElement().satisfies(lead -> assertThat(lead.path("lastName").asText()).isEqualTo("L1"));
    }

    @Test
    void aPageLargerThanTwoHundredShouldBeRefused() throws Exception {
        Answer answer = call("GET", "Lead?maxSize=201", null);

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.reason()).isEqualTo("Max size should not exceed 200. Use offset and limit.");
    }

    @Test
    void postEmailShouldKeepADummyMessageIdAndLinkTheUsersOfItsAddresses() throws Exception {
        String alice = espo.emulator().addUser("alice@company.example", "Alice Adams");
        String account = espo.emulator().add("Account", Map.of("name", "Client"));
        String contact = espo.emulator().add("Contact", Map.of("lastName", "Carol", "accountId", account));

        JsonNode email = call("POST", "Email", "{\"name\":\"Hi\",\"from\":\"carol@client.cz\",\"to\":\"alice@company.example\","
            + "\"status\":\"Archived\",\"messageId\":\"<mine@x>\",\"parentType\":\"Contact\",\"parentId\":\"" + contact + "\"}").json();

        assertThat(email.path("messageId").asText()).isEqualTo("dummy:" + email.path("id").asText());
        assertThat(email.path("usersIds")).extracting(JsonNode::asText).containsExactly(alice);
        assertThat(email.path("accountId").asText()).isEqualTo(account);
    }

    @Test
    void postEmailWithoutTheImportScopeShouldRefuseAnotherFromAddress() throws Exception {
        espo.emulator().importScope(false);

        Answer answer = call("POST", "Email", "{\"name\":\"Hi\",\"from\":\"carol@client.cz\",\"to\":\"alice@company.example\"}");

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.reason()).isEqualTo("Not allowed 'from' address.");
    }

    @Test
    void anEmailCreatedSendingShouldBeRecordedAsSentToTheClient() throws Exception {
        call("POST", "Email", "{\"name\":\"Hi\",\"from\":\"alice@company.example\",\"to\":\"carol@client.cz\",\"status\":\"Sending\"}");

        espo.emulator().violations().assertCount(Violation.Kind.EMAIL_SENT_TO_CLIENT, 1);
        espo.emulator().violations().clear();
    }

    @Test
    void aSecondRecordOfOneCaptureKeyShouldBeRecordedAsADuplicate() throws Exception {
        call("POST", "Lead", "{\"lastName\":\"A\",\"cCaptureKey\":\"<k@x>\"}");
        call("POST", "Lead", "{\"lastName\":\"B\",\"cCaptureKey\":\"<k@x>\"}");

        espo.emulator().violations().assertCount(Violation.Kind.DUPLICATE_RECORD, 1);
        espo.emulator().violations().clear();
    }

    @Test
    void importEmlShouldImportOnceByMessageIdAndFindTheParent() throws Exception {
        String contact = espo.emulator().add("Contact", Map.of("lastName", "Carol", "emailAddress", "carol@client.cz"));
        String raw = "Message-ID: <m1@client.cz>\r\nFrom: Carol <carol@client.cz>\r\nTo: alice@company.example\r\nSubject: Hi\r\n\r\nBody\r\n";

        Answer first = call("POST", "Email/importEml", "{\"fileId\":\"" + upload(raw) + "\"}");
        Answer again = call("POST", "Email/importEml", "{\"fileId\":\"" + upload(raw) + "\"}");

        String id = first.json().path("id").asText();
        assertThat(espo.emulator().record("Email", id).path("parentId").asText()).isEqualTo(contact);
        assertThat(espo.emulator().record("Email", id).path("messageId").asText()).isEqualTo("<m1@client.cz>");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.reason()).isEqualTo("Email is already imported.");
        assertThat(again.json().path("messageTranslation").path("data").path("id").asText()).isEqualTo(id);
    }

    @Test
    void aCaseShouldGetTheNextNumberAndStatusNewWhateverTheInputAndBeFoundByNumber() throws Exception {
        String contact = espo.emulator().add("Contact", Map.of("lastName", "Carol", "emailAddress", "carol@client.cz"));
        JsonNode first = call("POST", "Case", "{\"name\":\"Printer\",\"number\":99,\"contactId\":\"" + contact + "\"}").json();
        JsonNode second = call("POST", "Case", "{\"name\":\"Login\",\"status\":\"Assigned\"}").json();
        Answer nameless = call("POST", "Case", "{\"description\":\"?\"}");
        Answer status = call("POST", "Case", "{\"name\":\"X\",\"status\":\"Open\"}");

        assertThat(first.path("number").asInt()).as("read-only, auto-increment").isEqualTo(1);
        assertThat(first.path("status").asText()).isEqualTo("New");
        assertThat(first.path("contactId").asText()).isEqualTo(contact);
        assertThat(second.path("number").asInt()).isEqualTo(2);
        assertThat(second.path("status").asText()).isEqualTo("Assigned");
        assertThat(nameless.status()).isEqualTo(400);
        assertThat(status.json().path("messageTranslation").path("data").path("field").asText()).isEqualTo("status");
        JsonNode found = call("GET", "Case?" + search("{\"where\":[{\"type\":\"in\",\"attribute\":\"number\",\"value\":[\"2\",\"7\"]}],"
            + "\"select\":\"id,number,status\"}"), null).json();
        assertThat(found.path("list")).singleElement().satisfies(one -> assertThat(one.path("id").asText()).isEqualTo(second.path("id").asText()));
    }

    @Test
    void anEmailImportedInReplyToAnEmailOfACaseShouldHaveTheCaseAsParent() throws Exception {
        String opened = call("POST", "Case", "{\"name\":\"Printer\"}").json().path("id").asText();
        String raw = "Message-ID: <c1@client.cz>\r\nFrom: carol@client.cz\r\nTo: support@company.example\r\nSubject: Printer\r\n\r\nIt jams\r\n";
        String first = call("POST", "Email/importEml", "{\"fileId\":\"" + upload(raw) + "\"}").json().path("id").asText();
        call("PUT", "Email/" + first, "{\"parentType\":\"Case\",\"parentId\":\"" + opened + "\"}");

        String reply = call("POST", "Email/importEml", "{\"fileId\":\"" + upload("Message-ID: <c2@client.cz>\r\nIn-Reply-To: <c1@client.cz>\r\n"
            + "From: carol@client.cz\r\nTo: support@company.example\r\nSubject: Re: Printer\r\n\r\nStill\r\n") + "\"}").json().path("id").asText();

        assertThat(espo.emulator().record("Email", reply).path("parentType").asText()).isEqualTo("Case");
        assertThat(espo.emulator().record("Email", reply).path("parentId").asText()).isEqualTo(opened);
    }

    @Test
    void teamsShouldBeListedSetOnRecordsAddedByTheirLinkAndAnUnknownTeamRefused() throws Exception {
        String support = espo.emulator().addTeam("Support");
        String sales = espo.emulator().addTeam("Sales");

        JsonNode teams = call("GET", "Team?" + search("{\"select\":\"id,name\"}"), null).json();
        JsonNode lead = call("POST", "Lead", "{\"lastName\":\"Novak\",\"teamsIds\":[\"" + support + "\"]}").json();
        Answer unknown = call("POST", "Case", "{\"name\":\"X\",\"teamsIds\":[\"00000000000000000\"]}");
        Answer related = call("POST", "Lead/" + lead.path("id").asText() + "/teams", "{\"ids\":[\"" + sales + "\",\"" + support + "\"]}");
        Answer createTeam = call("POST", "Team", "{\"name\":\"Mine\"}");

        assertThat(teams.path("list")).extracting(team -> team.path("name").asText()).containsExactly("Support", "Sales");
        assertThat(lead.path("teamsIds").toString()).isEqualTo("[\"" + support + "\"]");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().path("messageTranslation").path("data").path("field").asText()).isEqualTo("teams");
        assertThat(related.status()).isEqualTo(200);
        assertThat(espo.emulator().record("Lead", lead.path("id").asText()).path("teamsIds").toString())
            .as("added, none twice").isEqualTo("[\"" + support + "\",\"" + sales + "\"]");
        assertThat(createTeam.status()).isEqualTo(403);
    }

    @Test
    void aSecondCaseOfOneCaptureKeyShouldBeRecordedAsADuplicate() throws Exception {
        call("POST", "Case", "{\"name\":\"A\",\"cCaptureKey\":\"<k@x>\"}");
        call("POST", "Case", "{\"name\":\"A\",\"cCaptureKey\":\"<k@x>\"}");

        espo.emulator().violations().assertCount(Violation.Kind.DUPLICATE_RECORD, 1);
        espo.emulator().violations().clear();
    }

    @Test
    void anOlderEspoCrmShouldHaveNoImportEml() throws Exception {
        try (EspoCrmEmulator site = EspoCrmEmulator.builder().importEml(false).start()) {
            assertThat(send(site, "POST", "Email/importEml", "{\"fileId\":\"x\"}", "X-Api-Key", site.apiKey()).status()).isEqualTo(404);
        }
    }

    private String upload(String raw) throws Exception {
        return call("POST", "Attachment", "{\"name\":\"m.eml\",\"type\":\"message/rfc822\",\"role\":\"Attachment\",\"relatedType\":\"ImportEml\","
            + "\"field\":\"file\",\"file\":\"data:message/rfc822;base64," + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8))
            + "\"}").json().path("id").asText();
    }

    @Test
    void usersShouldBeListedByAddress() throws Exception {
        String alice = espo.emulator().addUser("alice@company.example", "Alice Adams");
        espo.emulator().addUser("bob@company.example", "Bob Brown");

        JsonNode users = call("GET", "User?" + search("{\"where\":[{\"type\":\"in\",\"attribute\":\"emailAddress\","
            + "\"value\":[\"ALICE@company.example\"]},{\"type\":\"isTrue\",\"attribute\":\"isActive\"}]}"), null).json();

        assertThat(users.path("list")).extracting(user -> user.path("id").asText()).containsExactly(alice);
        assertThat(call("POST", "User", "{\"userName\":\"x\"}").status()).isEqualTo(403);
    }

    @Test
    void aReverseProxyShouldRefuseOverItsLimitWithRetryAfter() throws Exception {
        try (EspoCrmEmulator site = EspoCrmEmulator.builder().proxyRateLimit(2, Duration.ofHours(1)).start()) {
            List<Integer> statuses = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                statuses.add(send(site, "GET", "App/user", null, "X-Api-Key", site.apiKey()).status());
            }

            assertThat(statuses).containsExactly(200, 200, 429);
        }
    }

    @Test
    void aConstantLatencyShouldDelayEveryAnswer() throws Exception {
        try (EspoCrmEmulator site = EspoCrmEmulator.builder().latency(Duration.ofMillis(60)).start()) {
            for (int i = 0; i < 2; i++) {
                long start = System.nanoTime();
                Answer answer = send(site, "GET", "App/user", null, "X-Api-Key", site.apiKey());

                assertThat(answer.status()).isEqualTo(200);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(60));
            }
            assertThat(site.calls().all()).allSatisfy(call -> assertThat(call.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(60)));
        }
    }
}

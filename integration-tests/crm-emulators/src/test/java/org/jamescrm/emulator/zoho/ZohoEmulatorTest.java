package org.jamescrm.emulator.zoho;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.jamescrm.emulator.MutableClock;
import org.jamescrm.emulator.Violation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The Zoho emulator held to zoho-api §2 over real HTTP. */
class ZohoEmulatorTest {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-12-05T09:00:00Z"), ZoneOffset.UTC);

    @RegisterExtension
    static ZohoEmulatorExtension zoho = new ZohoEmulatorExtension(ZohoEmulator.builder().dataCentre("EU").clock(CLOCK).concurrency(3)
        .creditsPerDay(40).latency(Duration.ofMillis(0)));

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    record Answer(int status, String text, HttpResponse<String> response) {
        JsonNode json() {
            try {
                return MAPPER.readTree(text);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + text, e);
            }
        }
    }

    private Answer send(String method, String url, String body, String contentType, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", contentType);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body(), response);
    }

    private Answer refresh(String dataCentre) throws Exception {
        ZohoEmulator org = zoho.emulator();
        String form = "grant_type=refresh_token&client_id=" + enc(org.clientId()) + "&client_secret=" + enc(org.clientSecret())
            + "&refresh_token=" + enc(org.refreshToken());
        return send("POST", org.accountsUrl(dataCentre) + "/oauth/v2/token", form, "application/x-www-form-urlencoded");
    }

    private String token() throws Exception {
        return refresh("EU").json().path("access_token").asText();
    }

    private Answer api(String method, String path, String body) throws Exception {
        return send(method, zoho.emulator().baseUrl() + "crm/v8/" + path, body, "application/json", "Authorization",
            "Zoho-oauthtoken " + token());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void theOwnDataCentreShouldIssueATokenNamingTheApiDomainAndAnyOtherAnswerInvalidClientWithHttp200() throws Exception {
        Answer own = refresh("EU");
        Answer other = refresh("US");

        assertThat(own.json().path("api_domain").asText()).isEqualTo(zoho.emulator().baseUrl().toString().replaceAll("/$", ""));
        assertThat(own.json().path("expires_in").asLong()).isEqualTo(3600);
        assertThat(other.status()).isEqualTo(200);
        assertThat(other.json().path("error").asText()).isEqualTo("invalid_client");
        assertThat(other.json().has("access_token")).isFalse();
    }

    @Test
    void theEleventhTokenInTenMinutesShouldBeDenied() throws Exception {
        for (int i = 0; i < 10; i++) {
            assertThat(refresh("EU").json().has("access_token")).isTrue();
        }

        assertThat(refresh("EU").json().path("error").asText()).isEqualTo("Access Denied");
        CLOCK.step(Duration.ofMinutes(10));
        assertThat(refresh("EU").json().has("access_token")).isTrue();
    }

    @Test
    void anExpiredTokenShouldBeInvalid() throws Exception {
        String token = token();
        CLOCK.step(Duration.ofHours(1));

        Answer answer = send("GET", zoho.emulator().baseUrl() + "crm/v8/users?type=ActiveUsers", null, "application/json",
            "Authorization", "Zoho-oauthtoken " + token);

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.json().path("code").asText()).isEqualTo("INVALID_TOKEN");
    }

    @Test
    void coqlShouldFindANewRecordAtOnceWhileTheSearchApiLagsAndMatchesLoosely() throws Exception {
        zoho.emulator().add("Contacts", Map.of("Last_Name", "Team", "Email", "sales_team@client.example"));

        Answer coql = api("POST", "coql", "{\"select_query\":\"select id, Email from Contacts where Email = 'sales-team@client.example' limit 10\"}");
        Answer searchNow = api("GET", "Contacts/search?email=sales-team%40client.example", null);
        CLOCK.step(Duration.ofMinutes(2));
        Answer searchLater = api("GET", "Contacts/search?email=sales-team%40client.example", null);

        assertThat(coql.status()).as("COQL is exact: another address").isEqualTo(204);
        assertThat(coql.text()).isEmpty();
        assertThat(searchNow.status()).as("not indexed yet").isEqualTo(204);
        assertThat(searchLater.json().path("data").get(0).path("Email").asText()).as("equals is contains, - and _ alike")
            .isEqualTo("sales_team@client.example");
    }

    @Test
    void listReadsShouldRequireFields() throws Exception {
        Answer answer = api("GET", "Leads", null);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("code").asText()).isEqualTo("REQUIRED_PARAM_MISSING");
        assertThat(answer.json().path("details").path("param_name").asText()).isEqualTo("fields");
    }

    @Test
    void anInsertShouldAnswerEachRecordWith207WhenSomeFail() throws Exception {
        Answer answer = api("POST", "Leads", "{\"data\":[{\"Last_Name\":\"Hara\",\"Company\":\"Example\",\"Email\":\"ann@example.com\"},"
            + "{\"Last_Name\":\"Bad\",\"Company\":\"X\",\"Lead_Source\":\"Trade Fair\"},{\"Company\":\"No name\"}]}");

        assertThat(answer.status()).isEqualTo(207);
        JsonNode items = answer.json().path("data");
        assertThat(items.get(0).path("code").asText()).isEqualTo("SUCCESS");
        assertThat(items.get(0).path("details").path("id").asText()).hasSize(19);
        assertThat(items.get(1).path("code").asText()).isEqualTo("INVALID_DATA");
        assertThat(items.get(1).path("details").path("supported_values").toString()).contains("Trade Show");
        assertThat(items.get(2).path("code").asText()).isEqualTo("MANDATORY_NOT_FOUND");
        assertThat(items.get(2).path("details").path("api_name").asText()).isEqualTo("Last_Name");
    }

    @Test
    void anEmailAssociatedTwiceShouldBeAViolationAndEmailAvailableShouldFindIt() throws Exception {
        String contact = zoho.emulator().add("Contacts", Map.of("Last_Name", "Hara", "Email", "ann@example.com"));
        String email = "{\"Emails\":[{\"from\":{\"email\":\"ann@example.com\"},\"to\":[{\"email\":\"pat@acme.example\"}],\"subject\":\"Quote\","
            + "\"content\":\"Hello\",\"mail_format\":\"text\",\"original_message_id\":\"<q@example.com>\",\"sent\":false,"
            + "\"date_time\":\"2026-12-05T09:00:00+00:00\"}]}";

        Answer first = api("POST", "Contacts/" + contact + "/actions/associate_email", email);
        Answer available = api("GET", "actions/email_available?original_message_id=" + enc("<q@example.com>"), null);
        api("POST", "Contacts/" + contact + "/actions/associate_email", email);

        assertThat(first.status()).isEqualTo(201);
        assertThat(first.json().path("Emails").get(0).path("code").asText()).isEqualTo("SUCCESS");
        assertThat(available.json().path("available").asBoolean()).isTrue();
        assertThat(available.json().path("record").path("id").asText()).isEqualTo(contact);
        zoho.emulator().violations().assertCount(Violation.Kind.DUPLICATE_RECORD, 1);
        zoho.emulator().violations().clear();
    }

    @Test
    void anEmailWithoutItsMandatoryFieldsShouldBeRefusedItemByItem() throws Exception {
        String contact = zoho.emulator().add("Contacts", Map.of("Last_Name", "Hara"));

        Answer answer = api("POST", "Contacts/" + contact + "/actions/associate_email",
            "{\"Emails\":[{\"from\":{\"email\":\"a@b.example\"},\"to\":[{\"email\":\"c@d.example\"}],\"subject\":\"S\",\"content\":\"C\","
                + "\"sent\":false,\"date_time\":\"2026-12-05T09:00:00.123+00:00\",\"original_message_id\":\"<m@x>\"}]}");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("Emails").get(0).path("details").path("api_name").asText()).isEqualTo("date_time");
    }

    @Test
    void theCompositeApiShouldAnswerEachSubRequestForOneCreditAndTakeAtMostFive() throws Exception {
        String sub = "{\"sub_request_id\":\"s\",\"method\":\"GET\",\"uri\":\"/crm/v8/actions/email_available\","
            + "\"params\":{\"original_message_id\":\"<none@x>\"}}";
        token();
        long before = zoho.emulator().creditsRemaining();

        Answer three = api("POST", "__composite_requests", "{\"__composite_requests\":[" + sub + "," + sub + "," + sub + "]}");
        Answer six = api("POST", "__composite_requests", "{\"__composite_requests\":[" + String.join(",", List.of(sub, sub, sub, sub, sub, sub))
            + "]}");

        assertThat(three.json().path("__composite_requests")).hasSize(3);
        assertThat(three.json().path("__composite_requests").get(2).path("details").path("response").path("body").path("available")
            .asBoolean()).isFalse();
        assertThat(six.json().path("code").asText()).isEqualTo("LIMIT_EXCEEDED");
        assertThat(before - zoho.emulator().creditsRemaining()).isEqualTo(2);
    }

    @Test
    void theCreditsShouldBeReportedOnceHalfIsSpentAndRefusedWith429WhenSpent() throws Exception {
        String token = token();
        zoho.emulator().spendCredits(18);
        String users = zoho.emulator().baseUrl() + "crm/v8/users?type=ActiveUsers";

        Answer first = send("GET", users, null, "application/json", "Authorization", "Zoho-oauthtoken " + token);
        Answer second = send("GET", users, null, "application/json", "Authorization", "Zoho-oauthtoken " + token);
        zoho.emulator().spendCredits(100);
        Answer spent = send("GET", users, null, "application/json", "Authorization", "Zoho-oauthtoken " + token);

        assertThat(first.response().headers().firstValue("X-API-CREDITS-REMAINING")).isEmpty();
        assertThat(second.response().headers().firstValue("X-API-CREDITS-REMAINING")).contains("20");
        assertThat(spent.status()).isEqualTo(429);
        assertThat(spent.json().path("code").asText()).isEqualTo("TOO_MANY_REQUESTS");
        assertThat(spent.response().headers().firstValue("Retry-After")).isEmpty();
    }

    @Test
    void anInsertCostingMoreThanTheCreditsLeftShouldBeRefusedAndCountedThoughSomeRemain() throws Exception {
        zoho.emulator().spendCredits(zoho.emulator().creditsRemaining() - 1);
        String lead = "{\"Last_Name\":\"Hara\",\"Company\":\"Example\"}";

        Answer twentyLeads = api("POST", "Leads", "{\"data\":[" + String.join(",", Collections.nCopies(20, lead)) + "]}");

        assertThat(twentyLeads.status()).isEqualTo(429);
        assertThat(twentyLeads.response().headers().firstValue("X-API-CREDITS-REMAINING")).contains("0");
        assertThat(zoho.emulator().creditsRemaining()).as("an insert of twenty records costs two credits").isEqualTo(1);
        assertThat(zoho.emulator().creditRefusals()).isEqualTo(1);
        assertThat(api("GET", "users?type=ActiveUsers", null).status()).as("a call of one credit still goes").isEqualTo(200);
        assertThat(zoho.emulator().creditRefusals()).isEqualTo(1);
    }

    @Test
    void theRequestOverTheConcurrencyLimitShouldBeRefusedWith429() throws Exception {
        try (ZohoEmulator slow = ZohoEmulator.builder().concurrency(2).latency(Duration.ofMillis(300)).start()) {
            String form = "grant_type=refresh_token&client_id=" + enc(slow.clientId()) + "&client_secret=" + enc(slow.clientSecret())
                + "&refresh_token=" + enc(slow.refreshToken());
            String token = send("POST", slow.accountsUrl() + "/oauth/v2/token", form, "application/x-www-form-urlencoded").json()
                .path("access_token").asText();
            ExecutorService threads = Executors.newFixedThreadPool(4);
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(() -> send("GET", slow.baseUrl() + "crm/v8/users?type=ActiveUsers", null, "application/json", "Authorization",
                    "Zoho-oauthtoken " + token).status());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> status : threads.invokeAll(calls)) {
                statuses.add(status.get());
            }
            threads.shutdownNow();

            assertThat(statuses).contains(429, 200);
            assertThat(slow.peakConcurrency()).isEqualTo(2);
        }
    }
}

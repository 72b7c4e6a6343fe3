package org.jamescrm.emulator.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;

import org.jamescrm.emulator.MutableClock;
import org.jamescrm.emulator.Violation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The Salesforce emulator held to salesforce-zoho-hubspot-api.md §1 over real HTTP. */
class SalesforceEmulatorTest {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String V = "/services/data/v66.0/";

    @RegisterExtension
    static SalesforceEmulatorExtension salesforce = new SalesforceEmulatorExtension();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    record Answer(int status, String limitInfo, String text) {
        JsonNode json() {
            try {
                return MAPPER.readTree(text);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + text, e);
            }
        }

        String errorCode() {
            JsonNode json = json();
            return (json.isArray() ? json.path(0) : json).path("errorCode").asText(json.path("error").asText());
        }
    }

    private Answer send(SalesforceEmulator org, String method, String path, String body, String contentType, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(org.loginUrl() + path))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", contentType);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("Sforce-Limit-Info").orElse(""), response.body());
    }

    private String token(SalesforceEmulator org) throws Exception {
        Answer answer = send(org, "POST", "/services/oauth2/token", "grant_type=client_credentials&client_id=" + org.clientId()
            + "&client_secret=" + org.clientSecret(), "application/x-www-form-urlencoded");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("instance_url").asText()).isEqualTo(org.loginUrl());
        return answer.json().path("access_token").asText();
    }

    private Answer api(String method, String resource, String body, String... headers) throws Exception {
        SalesforceEmulator org = salesforce.emulator();
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = "Bearer " + token(org);
        System.arraycopy(headers, 0, all, 2, headers.length);
        return send(org, method, V + resource, body, "application/json", all);
    }

    private Answer query(String soql) throws Exception {
        return api("GET", "query?q=" + URLEncoder.encode(soql, StandardCharsets.UTF_8), null);
    }

    private String assertion(SalesforceEmulator org, String audience, long expiresIn) throws Exception {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String header = url.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8));
        String claims = url.encodeToString(MAPPER.writeValueAsBytes(Map.of("iss", org.clientId(), "sub", org.username(), "aud", audience,
            "exp", Instant.now().getEpochSecond() + expiresIn)));
        String pem = org.privateKeyPem().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem))));
        signature.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
        return header + "." + claims + "." + url.encodeToString(signature.sign());
    }

    @Test
    void theJwtBearerGrantShouldCheckSignatureAudienceAndExpiry() throws Exception {
        SalesforceEmulator org = salesforce.emulator();
        String grant = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=";

        assertThat(send(org, "POST", "/services/oauth2/token", grant + assertion(org, org.loginUrl(), 120), "application/x-www-form-urlencoded")
            .status()).isEqualTo(200);
        Answer audience = send(org, "POST", "/services/oauth2/token", grant + assertion(org, "https://elsewhere.example", 120),
            "application/x-www-form-urlencoded");
        assertThat(audience.status()).isEqualTo(400);
        assertThat(audience.json().path("error_description").asText()).isEqualTo("audience is invalid");
        assertThat(send(org, "POST", "/services/oauth2/token", grant + assertion(org, org.loginUrl(), 600), "application/x-www-form-urlencoded")
            .errorCode()).as("exp more than three minutes ahead").isEqualTo("invalid_grant");
        assertThat(send(org, "POST", "/services/oauth2/token", "grant_type=password", "application/x-www-form-urlencoded").errorCode())
            .isEqualTo("unsupported_grant_type");
    }

    @Test
    void everyAnswerShouldCarryTheApiUsageAndAnExpiredSessionBeA401() throws Exception {
        Answer limits = api("GET", "limits", null);

        assertThat(limits.limitInfo()).isEqualTo("api-usage=1/100000");
        SalesforceEmulator org = salesforce.emulator();
        assertThat(send(org, "GET", V + "limits", null, "application/json", "Authorization", "Bearer 00Dxx!expired").errorCode())
            .isEqualTo("INVALID_SESSION_ID");
    }

    @Test
    void theDailyBudgetShouldRunOutWithA403NotA429AndComeBackADayLater() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T09:00:00Z"), ZoneOffset.UTC);
        try (SalesforceEmulator org = SalesforceEmulator.builder().dailyApiRequests(2).clock(clock).start()) {
            String token = token(org);
            send(org, "GET", V + "limits", null, "application/json", "Authorization", "Bearer " + token);
            send(org, "GET", V + "limits", null, "application/json", "Authorization", "Bearer " + token);

            Answer refused = send(org, "GET", V + "limits", null, "application/json", "Authorization", "Bearer " + token);

            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.errorCode()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
            assertThat(refused.limitInfo()).isEqualTo("api-usage=2/2");
            clock.step(Duration.ofHours(24));
            assertThat(send(org, "GET", V + "limits", null, "application/json", "Authorization", "Bearer " + token(org)).status())
                .isEqualTo(200);
        }
    }

    @Test
    void soqlOutsideTheSubsetOrWithABadEscapeShouldBeMalformed() throws Exception {
        salesforce.emulator().add("Contact", Map.of("LastName", "Hara", "Email", "ann.o'hara@client.example"));

        assertThat(query("SELECT Id FROM Contact WHERE Email = 'ANN.O\\'HARA@client.example'").json().path("totalSize").asInt()).isEqualTo(1);
        assertThat(query("SELECT Id FROM Contact WHERE Email = 'a\\qb'").errorCode()).isEqualTo("MALFORMED_QUERY");
        assertThat(query("SELECT COUNT() FROM Contact").errorCode()).isEqualTo("MALFORMED_QUERY");
        assertThat(query("SELECT Id FROM Contact WHERE Email LIKE 'a%'").errorCode()).isEqualTo("MALFORMED_QUERY");
        assertThat(query("SELECT Nickname FROM Contact").errorCode()).isEqualTo("INVALID_FIELD");
        assertThat(query("SELECT Id FROM Case").errorCode()).isEqualTo("INVALID_TYPE");
    }

    @Test
    void aCompositeShouldCountAsOneCallAndAnswer200WithEachSubRequestsStatus() throws Exception {
        String body = "{\"allOrNone\":false,\"compositeRequest\":["
            + "{\"method\":\"POST\",\"url\":\"" + V + "sobjects/Lead\",\"referenceId\":\"lead\",\"body\":{\"LastName\":\"Hara\",\"Company\":\"c\"}},"
            + "{\"method\":\"GET\",\"url\":\"" + V + "sobjects/Lead/@{lead.id}\",\"referenceId\":\"read\"},"
            + "{\"method\":\"POST\",\"url\":\"" + V + "sobjects/Lead\",\"referenceId\":\"bad\",\"body\":{\"Company\":\"c\"}}]}";

        Answer answer = api("POST", "composite", body);

        assertThat(answer.status()).isEqualTo(200);
        JsonNode responses = answer.json().path("compositeResponse");
        assertThat(responses.path(0).path("httpStatusCode").asInt()).isEqualTo(201);
        assertThat(responses.path(1).path("body").path("LastName").asText()).as("the reference resolved").isEqualTo("Hara");
        assertThat(responses.path(2).path("httpStatusCode").asInt()).isEqualTo(400);
        assertThat(responses.path(2).path("body").path(0).path("errorCode").asText()).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(answer.limitInfo()).isEqualTo("api-usage=1/100000");
    }

    @Test
    void aCompositeShouldRefuseMoreThanFiveQueriesAndACollectionMoreThan200Records() throws Exception {
        StringBuilder queries = new StringBuilder("{\"compositeRequest\":[");
        for (int i = 0; i < 6; i++) {
            queries.append(i == 0 ? "" : ",").append("{\"method\":\"GET\",\"url\":\"").append(V).append("query?q=SELECT+Id+FROM+Lead\",")
                .append("\"referenceId\":\"q").append(i).append("\"}");
        }
        StringBuilder records = new StringBuilder("{\"allOrNone\":false,\"records\":[");
        for (int i = 0; i < 201; i++) {
            records.append(i == 0 ? "" : ",").append("{\"attributes\":{\"type\":\"Lead\"},\"LastName\":\"L\",\"Company\":\"c\"}");
        }

        assertThat(api("POST", "composite", queries + "]}").errorCode()).isEqualTo("LIMIT_EXCEEDED");
        assertThat(api("POST", "composite/sobjects", records + "]}").errorCode()).isEqualTo("EXCEEDED_ID_LIMIT");
    }

    @Test
    void anExternalIdUpsertShouldAnswer201Then200AndAPathUnsafeValueNotBeFound() throws Exception {
        try (SalesforceEmulator org = SalesforceEmulator.builder().externalId(true).start()) {
            String token = token(org);
            String contact = org.add("Contact", Map.of("LastName", "Hara"));
            String body = "{\"Subject\":\"Quote\",\"Incoming\":true,\"Status\":\"0\",\"ToIds\":[\"" + contact + "\"]}";

            Answer first = send(org, "PATCH", V + "sobjects/EmailMessage/Capture_Key__c/abc123", body, "application/json",
                "Authorization", "Bearer " + token);
            Answer second = send(org, "PATCH", V + "sobjects/EmailMessage/Capture_Key__c/abc123", body, "application/json",
                "Authorization", "Bearer " + token);
            Answer unsafe = send(org, "PATCH", V + "sobjects/EmailMessage/Capture_Key__c/abc%40mail.example.inc", body, "application/json",
                "Authorization", "Bearer " + token);

            assertThat(first.status()).isEqualTo(201);
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.json().path("id").asText()).isEqualTo(first.json().path("id").asText());
            assertThat(unsafe.status()).isEqualTo(404);
            assertThat(org.records("EmailMessageRelation")).as("ToIds link the person").hasSize(1);
            org.add("EmailMessage", Map.of("Subject", "again", "Capture_Key__c", "abc123"));
            assertThat(send(org, "PATCH", V + "sobjects/EmailMessage/Capture_Key__c/abc123", body, "application/json",
                "Authorization", "Bearer " + token).status()).isEqualTo(300);
        }
    }

    @Test
    void leadAssignmentRulesShouldOverwriteTheOwnerUnlessSforceAutoAssignIsFalse() throws Exception {
        SalesforceEmulator org = salesforce.emulator();
        String alice = org.addUser("alice@company.example", "Alice");
        String queue = org.addUser("queue@company.example", "Queue");
        org.assignLeadsTo(queue);
        String lead = "{\"LastName\":\"Hara\",\"Company\":\"c\",\"OwnerId\":\"" + alice + "\"}";

        String assigned = api("POST", "sobjects/Lead", lead).json().path("id").asText();
        String kept = api("POST", "sobjects/Lead", lead, "Sforce-Auto-Assign", "FALSE").json().path("id").asText();

        assertThat(org.record(assigned).path("OwnerId").asText()).isEqualTo(queue);
        assertThat(org.record(kept).path("OwnerId").asText()).isEqualTo(alice);
    }

    @Test
    void aSecondRecordWithTheSameCaptureKeyAndAValueTooLongShouldBeViolations() throws Exception {
        SalesforceEmulator org = salesforce.emulator();
        String lead = "{\"LastName\":\"Hara\",\"Company\":\"c\",\"Capture_Key__c\":\"k1\"}";
        api("POST", "sobjects/Lead", lead);
        api("POST", "sobjects/Lead", lead);

        Answer tooLong = api("POST", "sobjects/Lead", "{\"LastName\":\"" + "x".repeat(81) + "\",\"Company\":\"c\"}");

        assertThat(tooLong.errorCode()).isEqualTo("STRING_TOO_LONG");
        org.violations().assertCount(Violation.Kind.DUPLICATE_RECORD, 1);
        org.violations().assertCount(Violation.Kind.TRUNCATED_WRITE, 1);
        org.violations().clear();
    }

    @Test
    void anOrgWithoutEnhancedEmailShouldNotHaveEmailMessage() throws Exception {
        try (SalesforceEmulator org = SalesforceEmulator.builder().enhancedEmail(false).start()) {
            Answer describe = send(org, "GET", V + "sobjects/EmailMessage/describe", null, "application/json", "Authorization",
                "Bearer " + token(org));

            assertThat(describe.status()).isEqualTo(404);
            assertThat(describe.errorCode()).isEqualTo("NOT_FOUND");
        }
    }
}

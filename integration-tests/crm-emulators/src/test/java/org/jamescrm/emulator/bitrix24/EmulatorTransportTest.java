package org.jamescrm.emulator.bitrix24;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jamescrm.emulator.bitrix24.EmulatorHttp.enc;
import static org.jamescrm.emulator.bitrix24.EmulatorHttp.form;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.jamescrm.emulator.MutableClock;
import org.jamescrm.emulator.bitrix24.Bitrix24Emulator.RecordedRequest;
import org.jamescrm.emulator.bitrix24.Bitrix24Emulator.Transport;
import org.jamescrm.emulator.bitrix24.EmulatorHttp.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Endpoint forms, authentication, OAuth refresh, both encodings and the envelope's PHP shapes (§1, §2). */
class EmulatorTransportTest {
    static final Instant START = Instant.parse("2026-11-29T10:00:00Z");

    /** Each test its own clock and portal (a new test instance per method): the clock is stepped. */
    final MutableClock clock = new MutableClock(START, ZoneId.of("Europe/Prague"));
    Bitrix24Emulator portal;
    EmulatorHttp http;

    @BeforeEach
    void start() {
        portal = Bitrix24Emulator.builder().webhook(7, "s3cr3tc0de").oauth("app.client", "app-secret", "initial-refresh")
            .accessTokenLifetime(Duration.ofMinutes(60)).clock(clock).rateLimit(10_000, 1000).start();
        http = new EmulatorHttp(portal);
    }

    @AfterEach
    void stop() {
        portal.close();
    }

    @Test
    void aWebhookCallShouldAnswerTheResultAndTheTimeBlock() {
        Reply reply = http.call("crm.settings.mode.get", http.json());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.result().asInt()).isEqualTo(1);
        assertThat(reply.body().get("time").fieldNames()).toIterable().containsExactly("start", "finish", "duration", "processing",
            "date_start", "date_finish", "operating_reset_at", "operating");
        assertThat(reply.body().get("time").get("date_start").asText()).isEqualTo("2026-11-29T11:00:00+01:00");
        assertThat(reply.body().get("time").get("start").decimalValue()).isEqualByComparingTo(Long.toString(START.getEpochSecond()));
    }

    @Test
    void theWebhookShouldAcceptTheMethodWithAndWithoutJsonSuffixAndATrailingSlash() {
        URI base = portal.webhookUrl();

        assertThat(http.postJson(base.resolve("crm.settings.mode.get"), http.json()).status()).isEqualTo(200);
        assertThat(http.postJson(base.resolve("crm.settings.mode.get/"), http.json()).status()).isEqualTo(200);
        assertThat(http.postJson(base.resolve("CRM.Settings.Mode.Get.json"), http.json()).result().asInt()).isEqualTo(1);
    }

    @Test
    void aWrongWebhookCodeOrUserShouldBeRefusedWithInvalidCredentials() {
        Reply wrongCode = http.postJson(portal.portalUrl().resolve("rest/7/wrongcode/crm.settings.mode.get.json"), http.json());
        Reply wrongUser = http.postJson(portal.portalUrl().resolve("rest/8/s3cr3tc0de/crm.settings.mode.get.json"), http.json());

        assertThat(wrongCode.status()).isEqualTo(401);
        assertThat(wrongCode.error()).isEqualTo("INVALID_CREDENTIALS");
        assertThat(wrongCode.description()).isEqualTo("Invalid request credentials");
        assertThat(wrongUser.status()).isEqualTo(401);
        assertThat(wrongUser.error()).isEqualTo("INVALID_CREDENTIALS");
    }

    @Test
    void aWebhookUrlWithoutTheUserIdShouldAnswerMethodNotFound() {
        Reply reply = http.postJson(portal.portalUrl().resolve("rest/s3cr3tc0de/crm.settings.mode.get.json"), http.json());

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.error()).isEqualTo("ERROR_METHOD_NOT_FOUND");
        assertThat(reply.description()).isEqualTo("Method not found!");
    }

    @Test
    void anUnknownMethodShouldAnswerMethodNotFoundBeforeCheckingCredentials() {
        Reply known = http.call("crm.item.unknown", http.json());
        Reply wrongCode = http.postJson(portal.portalUrl().resolve("rest/7/wrong/crm.lead.fields2.json"), http.json());

        assertThat(known.status()).isEqualTo(404);
        assertThat(known.error()).isEqualTo("ERROR_METHOD_NOT_FOUND");
        assertThat(wrongCode.error()).isEqualTo("ERROR_METHOD_NOT_FOUND");
    }

    @Test
    void aPlainHttpWebhookCallShouldBeRefusedWhenHttpsIsRequired() {
        try (Bitrix24Emulator strict = Bitrix24Emulator.builder().requireHttps(true).start()) {
            EmulatorHttp strictHttp = new EmulatorHttp(strict);
            Reply plain = strictHttp.call("crm.settings.mode.get", strictHttp.json());
            Reply proxied = strictHttp.send(HttpRequest.newBuilder(strictHttp.webhook("crm.settings.mode.get"))
                .header("X-Forwarded-Proto", "https").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());

            assertThat(plain.status()).isEqualTo(400);
            assertThat(plain.error()).isEqualTo("INVALID_REQUEST");
            assertThat(plain.description()).isEqualTo("Https required.");
            assertThat(proxied.status()).isEqualTo(200);
        }
    }

    @Test
    void anOAuthCallShouldTakeTheTokenFromTheQueryOrTheBody() {
        String token = portal.issueAccessToken();

        Reply inQuery = http.postJson(URI.create(http.oauth("crm.settings.mode.get") + "?auth=" + token), http.json());
        Reply inBody = http.postJson(http.oauth("crm.settings.mode.get"), http.json("auth", token));

        assertThat(inQuery.result().asInt()).isEqualTo(1);
        assertThat(inBody.result().asInt()).isEqualTo(1);
    }

    @Test
    void anOAuthCallShouldBeRefusedWithoutTokenOrWithAnUnknownOne() {
        Reply none = http.postJson(http.oauth("crm.settings.mode.get"), http.json());
        Reply unknown = http.postJson(http.oauth("crm.settings.mode.get"), http.json("auth", "not-a-token"));

        assertThat(none.status()).isEqualTo(401);
        assertThat(none.error()).isEqualTo("NO_AUTH_FOUND");
        assertThat(none.description()).isEqualTo("Wrong authorization data");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.error()).isEqualTo("invalid_token");
    }

    @Test
    void anAccessTokenShouldExpireAfterItsLifetimeOnTheEmulatorClock() {
        String token = portal.issueAccessToken();
        clock.step(Duration.ofMinutes(59));
        assertThat(http.postJson(http.oauth("crm.settings.mode.get"), http.json("auth", token)).status()).isEqualTo(200);

        clock.step(Duration.ofMinutes(1));
        Reply expired = http.postJson(http.oauth("crm.settings.mode.get"), http.json("auth", token));

        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.error()).isEqualTo("expired_token");
        assertThat(expired.description()).isEqualTo("The access token provided has expired.");
    }

    @Test
    void expireAccessTokensShouldExpireEveryIssuedToken() {
        String first = portal.issueAccessToken();
        String second = portal.issueAccessToken();

        portal.expireAccessTokens();

        assertThat(http.postJson(http.oauth("crm.settings.mode.get"), http.json("auth", first)).error()).isEqualTo("expired_token");
        assertThat(http.postJson(http.oauth("crm.settings.mode.get"), http.json("auth", second)).error()).isEqualTo("expired_token");
    }

    @Test
    void theTokenEndpointShouldRotateTheRefreshTokenAndIssueAWorkingAccessToken() {
        Reply refreshed = http.get(refreshUrl("app.client", "app-secret", "initial-refresh"));

        assertThat(refreshed.status()).isEqualTo(200);
        assertThat(refreshed.body().get("expires_in").asInt()).isEqualTo(3600);
        assertThat(refreshed.body().get("client_endpoint").asText()).isEqualTo(portal.portalUrl() + "rest/");
        String accessToken = refreshed.body().get("access_token").asText();
        String nextRefresh = refreshed.body().get("refresh_token").asText();
        assertThat(nextRefresh).isNotEqualTo("initial-refresh");
        assertThat(http.postJson(http.oauth("crm.settings.mode.get"), http.json("auth", accessToken)).status()).isEqualTo(200);

        Reply reused = http.get(refreshUrl("app.client", "app-secret", "initial-refresh"));
        assertThat(reused.status()).isEqualTo(400);
        assertThat(reused.error()).isEqualTo("invalid_grant");
        assertThat(http.get(refreshUrl("app.client", "app-secret", nextRefresh)).status()).isEqualTo(200);
    }

    @Test
    void theTokenEndpointShouldRefuseAWrongSecret() {
        Reply reply = http.get(refreshUrl("app.client", "wrong", "initial-refresh"));

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.error()).isEqualTo("invalid_client");
        assertThat(http.get(refreshUrl("app.client", "app-secret", "initial-refresh")).status())
            .as("a refused attempt does not use the refresh token up").isEqualTo(200);
    }

    @Test
    void issuingATokenShouldNeedOAuthToBeConfigured() {
        try (Bitrix24Emulator webhookOnly = Bitrix24Emulator.builder().start()) {
            assertThatThrownBy(webhookOnly::issueAccessToken).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Builder.oauth");
        }
    }

    private URI refreshUrl(String clientId, String secret, String refreshToken) {
        return URI.create(portal.tokenEndpoint() + "?" + form("grant_type", "refresh_token", "client_id", clientId, "client_secret", secret,
            "refresh_token", refreshToken));
    }

    @Test
    void aJsonBodyAndAFormBodyShouldCreateTheSameLead() {
        Reply viaJson = http.call("crm.lead.add", http.json("fields", Map.of("TITLE", "Re: price & terms", "NAME", "Ann",
            "EMAIL", List.of(EmulatorHttp.email("ann@client.example")), "SOURCE_ID", "EMAIL", "ORIGIN_ID", "<m1@client.example>")));
        Reply viaForm = http.postForm(http.webhook("crm.lead.add"), form("fields[TITLE]", "Re: price & terms", "fields[NAME]", "Ann",
            "fields[EMAIL][0][VALUE]", "ann@client.example", "fields[EMAIL][0][VALUE_TYPE]", "WORK", "fields[SOURCE_ID]", "EMAIL",
            "fields[ORIGIN_ID]", "<m1@client.example>"));

        assertThat(viaJson.result().isNumber()).isTrue();
        assertThat(viaForm.result().asLong()).isEqualTo(viaJson.result().asLong() + 1);
        List<Map<String, Object>> leads = portal.leads();
        Map<String, Object> first = new java.util.LinkedHashMap<>(leads.get(0));
        Map<String, Object> second = new java.util.LinkedHashMap<>(leads.get(1));
        for (Map<String, Object> lead : List.of(first, second)) {
            lead.remove("ID");
            lead.remove("EMAIL");
        }
        assertThat(second).isEqualTo(first);
        assertThat(first.get("TITLE")).isEqualTo("Re: price & terms");
        assertThat(portal.requests()).extracting(RecordedRequest::transport).containsExactly(Transport.JSON, Transport.FORM);
    }

    @Test
    void aFormCallShouldReadParametersFromTheQueryStringToo() {
        portal.addLead(Map.of("TITLE", "one"));

        Reply reply = http.get(URI.create(http.webhook("crm.lead.get") + "?id=1"));

        assertThat(reply.result().get("TITLE").asText()).isEqualTo("one");
    }

    @Test
    void aJsonBodySentWithGetShouldBeIgnored() {
        Reply reply = http.send(HttpRequest.newBuilder(http.webhook("crm.duplicate.findbycomm")).header("Content-Type", "application/json")
            .method("GET", HttpRequest.BodyPublishers.ofString("{\"type\":\"EMAIL\",\"values\":[\"a@b.example\"]}")).build());

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).isEmpty();
        assertThat(reply.description()).isEqualTo("Communication type is not defined.");
    }

    @Test
    void aJsonBodyWithoutTheJsonContentTypeShouldBeReadAsAQueryString() {
        Reply reply = http.postBody(http.webhook("crm.lead.add"), "text/plain", "{\"fields\":{\"TITLE\":\"x\"}}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.description()).isEqualTo("Parameter 'fields' must be array.");
    }

    @Test
    void anUnencodedEqualsSignInAFilterKeyShouldBreakTheKeyAsInPhp() {
        portal.addLead(Map.of("TITLE", "one"));
        portal.addLead(Map.of("TITLE", "two"));

        Reply broken = http.postForm(http.webhook("crm.lead.list"), "filter[=ID]=2&select[0]=ID");
        Reply encoded = http.postForm(http.webhook("crm.lead.list"), "filter[" + enc("=ID") + "]=2&select[0]=ID");

        assertThat(broken.result()).extracting(row -> row.get("ID").asText()).containsExactly("1", "2");
        assertThat(encoded.result()).extracting(row -> row.get("ID").asText()).containsExactly("2");
    }

    @Test
    void recordsShouldCarryStringIdsWhileAddAnswersANumber() {
        Reply added = http.call("crm.contact.add", http.json("fields", Map.of("NAME", "Bob")));
        Reply fetched = http.call("crm.contact.get", http.json("id", added.result().asLong()));

        assertThat(added.result().isIntegralNumber()).isTrue();
        assertThat(fetched.result().get("ID").isTextual()).isTrue();
        assertThat(fetched.result().get("ASSIGNED_BY_ID").asText()).isEqualTo("7");
        assertThat(fetched.result().has("EMAIL")).as("an empty multifield is omitted").isFalse();
        assertThat(fetched.result().get("HAS_EMAIL").asText()).isEqualTo("N");
        assertThat(fetched.result().get("BIRTHDATE").asText()).as("empty dates are \"\"").isEmpty();
        assertThat(fetched.result().get("DATE_CREATE").asText()).isEqualTo("2026-11-29T11:00:00+01:00");
        assertThat(http.call("crm.contact.update", http.json("id", 1, "fields", Map.of("NAME", "Bobby"))).result().asBoolean()).isTrue();
    }

    @Test
    void aMissingItemShouldAnswerHttp400WithAnEmptyErrorCode() {
        Reply missing = http.call("crm.lead.get", http.json("id", 999));
        Reply invalid = http.call("crm.lead.get", http.json("id", "abc"));

        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body().get("error").asText()).isEmpty();
        assertThat(missing.description()).isEqualTo("Not found");
        assertThat(invalid.description()).isEqualTo("ID is not defined or invalid.");
    }

    @Test
    void emptyResultsShouldBeEmptyPhpArrays() {
        Reply found = http.call("crm.duplicate.findbycomm", http.json("type", "EMAIL", "values", List.of("nobody@x.example")));
        Reply activity = http.call("crm.activity.get", http.json("id", addActivity()));

        assertThat(found.result().isArray()).isTrue();
        assertThat(found.result()).isEmpty();
        assertThat(activity.result().get("SETTINGS").isArray()).isTrue();
        assertThat(activity.result().get("PROVIDER_PARAMS").isArray()).isTrue();
    }

    private long addActivity() {
        long lead = portal.addLead(Map.of("TITLE", "x", "EMAIL", "c@client.example"));
        return http.call("crm.activity.add", http.json("fields", Map.of("OWNER_TYPE_ID", 1, "OWNER_ID", lead, "TYPE_ID", 4,
            "SUBJECT", "s", "COMMUNICATIONS", List.of(Map.of("VALUE", "c@client.example"))))).result().asLong();
    }

    @Test
    void everyRequestShouldBeRecordedWithItsOutcome() {
        http.call("crm.settings.mode.get", http.json());
        http.call("crm.lead.get", http.json("id", 5));
        http.postForm(http.webhook("batch"), "cmd[a]=" + enc("crm.settings.mode.get") + "&cmd[b]=" + enc("crm.settings.mode.get"));

        List<RecordedRequest> requests = portal.requests();
        assertThat(requests).extracting(RecordedRequest::method).containsExactly("crm.settings.mode.get", "crm.lead.get", "batch");
        assertThat(requests).extracting(RecordedRequest::status).containsExactly(200, 400, 200);
        assertThat(requests).extracting(RecordedRequest::errorCode).containsExactly(null, "", null);
        assertThat(requests).extracting(RecordedRequest::batchCommands).containsExactly(0, 0, 2);
        assertThat(requests.get(0).arrivedAt()).isEqualTo(clock.instant());
        assertThat(portal.requestCount()).isEqualTo(3);
        assertThat(portal.refusedCount("")).isEqualTo(1);
    }

    @Test
    void anInProcessCallShouldAnswerTheResultWithoutHttp() {
        JsonNode mode = portal.call("crm.settings.mode.get", Map.of());
        JsonNode none = portal.call("crm.duplicate.findbycomm", Map.of("type", "EMAIL", "values", List.of("x@y.example")));

        assertThat(mode.asInt()).isEqualTo(1);
        assertThat(none.isArray()).isTrue();
        assertThat(portal.requestCount()).isZero();
        assertThatThrownBy(() -> portal.call("crm.lead.get", Map.of("id", 1))).isInstanceOf(Bitrix24Emulator.CallFailedException.class)
            .hasMessage("Not found");
    }
}

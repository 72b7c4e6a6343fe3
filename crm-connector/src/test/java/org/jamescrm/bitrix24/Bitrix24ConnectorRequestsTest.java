package org.jamescrm.bitrix24;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.model.MailParty;
import org.jamescrm.model.SafeHtml;
import org.jamescrm.spi.ActivityDirection;
import org.jamescrm.spi.CrmRejectedException;
import org.jamescrm.spi.CrmUnavailableException;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.ItemType;
import org.jamescrm.spi.NewEmailActivity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;

/** What the connector sends to a portal and how it reads the answers, on scripted HTTP answers. */
class Bitrix24ConnectorRequestsTest {
    static final String CODE = "w3bh00kc0de";

    MockWebServer portal = new MockWebServer();
    ObjectMapper mapper = new ObjectMapper();
    Bitrix24Connector connector;

    @BeforeEach
    void setUp() throws Exception {
        portal.start();
        Bitrix24Configuration configuration = new Bitrix24Configuration(portal.url("/").toString(), new Bitrix24Auth.Webhook(1, CODE),
            2, 50, Duration.ofSeconds(2), "james-crm-capture");
        connector = new Bitrix24Connector(new Bitrix24Client(configuration, Clock.systemUTC(), duration -> { }), "james-crm-capture");
    }

    @AfterEach
    void tearDown() throws Exception {
        portal.shutdown();
    }

    private void answer(String json) {
        portal.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody(json));
    }

    private JsonNode body(RecordedRequest request) throws Exception {
        return mapper.readTree(request.getBody().readUtf8());
    }

    private static NewEmailActivity outgoing() {
        return new NewEmailActivity(ActivityDirection.OUTGOING, "Re: Quote", MailParty.of("alice@company.example", "Alice"),
            List.of(MailParty.of("carol@client.example", "Carol")), List.of(), "Hello", Optional.of(SafeHtml.sanitize("<p onclick=\"x()\">Hello</p><script>bad()</script>")),
            List.of(), List.of(new ItemRef(ItemType.DEAL, "55"), new ItemRef(ItemType.CONTACT, "77")), Optional.of("7"), true,
            Optional.of(Instant.parse("2026-11-22T07:15:00Z")), Instant.parse("2026-11-22T09:00:00Z"), Instant.parse("2026-11-22T09:00:02Z"),
            Optional.of("<reply@company.example>"), "<reply@company.example>", List.of(EmailAddress.of("carol@client.example")));
    }

    @Test
    void anOutgoingActivityShouldBeCreatedOpenAndCompletedByAnUpdateInOneBatch() throws Exception {
        answer("{\"result\":{\"result\":{\"add\":4711,\"complete\":true},\"result_error\":[],\"result_total\":[],\"result_next\":[]},\"time\":{}}");

        String id = connector.createEmailActivity(outgoing());

        assertThat(id).isEqualTo("4711");
        RecordedRequest request = portal.takeRequest();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getPath()).isEqualTo("/rest/1/" + CODE + "/batch.json");
        JsonNode sent = body(request);
        JsonNode cmd = sent.path("cmd");
        String add = cmd.path("add").asText();
        assertThat(add).startsWith("crm.activity.add?")
            .contains("fields[COMPLETED]=N").doesNotContain("fields[COMPLETED]=Y")
            .contains("fields[TYPE_ID]=4", "fields[DIRECTION]=2", "fields[OWNER_TYPE_ID]=2", "fields[OWNER_ID]=55",
                "fields[COMMUNICATIONS][1][ENTITY_TYPE_ID]=3", "fields[COMMUNICATIONS][1][ENTITY_ID]=77",
                "fields[COMMUNICATIONS][0][VALUE]=carol%40client.example", "fields[ORIGINATOR_ID]=james-crm-capture",
                "fields[ORIGIN_ID]=%3Creply%40company.example%3E", "fields[RESPONSIBLE_ID]=7", "fields[DESCRIPTION_TYPE]=3")
            .doesNotContain("script", "onclick");
        assertThat(cmd.path("complete").asText()).isEqualTo("crm.activity.update?id=$result[add]&fields[COMPLETED]=Y");
        assertThat(sent.path("halt").asInt()).isEqualTo(1);
    }

    @Test
    void anEmptyFindByCommAnswerShouldMeanAnUnknownClientWithoutMoreCalls() throws Exception {
        answer("{\"result\":{\"result\":{\"f0\":[]},\"result_error\":[],\"result_total\":[],\"result_next\":[]},\"time\":{}}");

        assertThat(connector.findClients(Set.of(EmailAddress.of("carol@client.example"))).get(EmailAddress.of("carol@client.example"))
            .isUnknown()).isTrue();
        assertThat(portal.getRequestCount()).isEqualTo(1);
        assertThat(body(portal.takeRequest()).path("cmd").path("f0").asText())
            .isEqualTo("crm.duplicate.findbycomm?type=EMAIL&values[0]=carol%40client.example");
    }

    @Test
    void theLimitsShouldShowTheRequestBudgetSpent() throws Exception {
        // the client keeps a tenth of the burst (at least 2) in reserve: 45 of the 50 are its own
        assertThat(connector.limits()).isEqualTo(java.util.Map.of("requestBudget",
            java.util.Map.of("requestsPerSecond", 2.0, "burst", 45, "level", 0.0, "free", 45)));
        answer("{\"result\":{\"result\":{\"f0\":[]},\"result_error\":[],\"result_total\":[],\"result_next\":[]},\"time\":{}}");

        connector.findClients(Set.of(EmailAddress.of("carol@client.example")));

        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> budget = (java.util.Map<String, Object>) connector.limits().get("requestBudget");
        assertThat((Integer) budget.get("free")).isEqualTo(44);
    }

    @Test
    void aLoneCaptureShouldNotWaitWhileTheBurstHasRoomForItAndTheOnesComing() throws Exception {
        Bitrix24Configuration configuration = new Bitrix24Configuration(portal.url("/").toString(), new Bitrix24Auth.Webhook(1, CODE),
            2, 50, Duration.ofSeconds(2), "james-crm-capture");
        Clock frozen = Clock.fixed(java.time.Instant.parse("2026-12-05T09:00:00Z"), java.time.ZoneOffset.UTC);
        Bitrix24Connector quiet = new Bitrix24Connector(new Bitrix24Client(configuration, frozen, duration -> { }), "james-crm-capture");
        for (int i = 0; i < 30; i++) { // 30 of the client's 45 spent, and the clock stands still: nothing drains
            answer("{\"result\":{\"result\":{\"f0\":[]},\"result_error\":[],\"result_total\":[],\"result_next\":[]},\"time\":{}}");
            quiet.findClients(Set.of(EmailAddress.of("c" + i + "@client.example")));
        }

        // a round of one (4 requests at most) and three more likely within 3 s (3 each) fit: 30 + 4 + 9 - 6 refilled <= 45 - 4 kept
        assertThat(quiet.budgetWait(1, 3, Duration.ofSeconds(3))).isZero();
        for (int i = 30; i < 36; i++) {
            answer("{\"result\":{\"result\":{\"f0\":[]},\"result_error\":[],\"result_total\":[],\"result_next\":[]},\"time\":{}}");
            quiet.findClients(Set.of(EmailAddress.of("c" + i + "@client.example")));
        }
        // 36 spent: they no longer fit, so the round waits for company (36 + 13 - 6 - 41 = 2 over, drained in 1 s)
        assertThat(quiet.budgetWait(1, 3, Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void findByCommShouldBeAskedTwentyAddressesAtATime() throws Exception {
        answer("{\"result\":{\"result\":{\"f0\":[],\"f1\":[]},\"result_error\":[],\"result_total\":[],\"result_next\":[]},\"time\":{}}");
        Set<EmailAddress> clients = new java.util.LinkedHashSet<>();
        for (int i = 0; i < 25; i++) {
            clients.add(EmailAddress.of("client" + i + "@client.example"));
        }

        connector.findClients(clients);

        JsonNode cmd = body(portal.takeRequest()).path("cmd");
        assertThat(cmd.path("f0").asText()).contains("values[19]=").doesNotContain("values[20]=");
        assertThat(cmd.path("f1").asText()).contains("values[4]=").doesNotContain("values[5]=");
    }

    @Test
    void aRateLimitStillRefusedAfterTwoWaitsShouldBeAnUnavailableCrmWithTheDrainStepAsRetryAfter() {
        for (int i = 0; i < 3; i++) {
            portal.enqueue(new MockResponse().setResponseCode(503)
                .setBody("{\"error\":\"QUERY_LIMIT_EXCEEDED\",\"error_description\":\"Too many requests\"}"));
        }

        assertThatThrownBy(() -> connector.findActivityByOriginKey("<k@x>"))
            .isInstanceOfSatisfying(CrmUnavailableException.class,
                e -> assertThat(e.retryAfter()).contains(Duration.ofMillis(500)))
            .hasMessage("Bitrix24 crm.activity.list answered 503 QUERY_LIMIT_EXCEEDED: Too many requests");
        assertThat(portal.getRequestCount()).isEqualTo(3);
    }

    @Test
    void aSingleRateLimitRefusalShouldBeWaitedOutAndTheRequestSentAgain() throws Exception {
        portal.enqueue(new MockResponse().setResponseCode(503)
            .setBody("{\"error\":\"QUERY_LIMIT_EXCEEDED\",\"error_description\":\"Too many requests\"}"));
        portal.enqueue(new MockResponse().setBody("{\"result\":[{\"ID\":\"7\"}],\"time\":{}}"));

        assertThat(connector.findActivityByOriginKey("<k@x>")).contains("7");
        assertThat(portal.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aWrongWebhookShouldBeRejectedWithoutShowingTheCode() {
        portal.enqueue(new MockResponse().setResponseCode(401)
            .setBody("{\"error\":\"INVALID_CREDENTIALS\",\"error_description\":\"Invalid request credentials\"}"));

        assertThatThrownBy(() -> connector.checkConnection())
            .isInstanceOf(CrmRejectedException.class)
            .hasMessageNotContaining(CODE)
            .hasMessage("Bitrix24 crm.settings.mode.get answered 401 INVALID_CREDENTIALS: Invalid request credentials");
    }

    @Test
    void aDroppedConnectionShouldBeAnUnavailableCrmWithoutShowingTheCode() {
        portal.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));

        assertThatThrownBy(() -> connector.findLeadByOriginKey("<k@x>"))
            .isInstanceOf(CrmUnavailableException.class)
            .hasMessageStartingWith("Bitrix24 crm.lead.list did not answer: ")
            .hasMessageNotContaining(CODE);
    }

    @Test
    void anAnswerOfManyMegabytesShouldBeAnUnavailableCrmNotAFullHeap() {
        okio.Buffer page = new okio.Buffer();
        for (int i = 0; i < 17 * 1024; i++) {
            page.writeUtf8("x".repeat(1024)); // a wrong URL's file or an endless page, without a length
        }
        portal.enqueue(new MockResponse().setChunkedBody(page, 64 * 1024));

        assertThatThrownBy(() -> connector.findLeadByOriginKey("<k@x>"))
            .isInstanceOf(CrmUnavailableException.class)
            .hasMessage("Bitrix24 crm.lead.list did not answer: IOException (the answer is over 16 MB (more sent), more than any answer of the CRM's API)");
    }

    @Test
    void anExpiredOAuthTokenShouldBeRefreshedOnceAndTheCallRepeated() throws Exception {
        Bitrix24Configuration oauth = new Bitrix24Configuration(portal.url("/").toString(),
            new Bitrix24Auth.OAuth("app", "s3cret", "refresh-1", portal.url("/oauth/token/").toString()), 2, 50, Duration.ofSeconds(2), "jc");
        Bitrix24Connector connector = new Bitrix24Connector(new Bitrix24Client(oauth, Clock.systemUTC(), duration -> { }), "jc");
        answer("{\"access_token\":\"token-1\",\"refresh_token\":\"refresh-2\",\"expires_in\":3600}");
        portal.enqueue(new MockResponse().setResponseCode(401)
            .setBody("{\"error\":\"expired_token\",\"error_description\":\"The access token provided has expired.\"}"));
        answer("{\"access_token\":\"token-2\",\"refresh_token\":\"refresh-3\",\"expires_in\":3600}");
        answer("{\"result\":1,\"time\":{}}");

        connector.checkConnection();

        assertThat(portal.takeRequest().getPath()).contains("refresh_token=refresh-1");
        assertThat(portal.takeRequest().getPath()).isEqualTo("/rest/crm.settings.mode.get.json?auth=token-1");
        assertThat(portal.takeRequest().getPath()).contains("refresh_token=refresh-2");
        assertThat(portal.takeRequest().getPath()).isEqualTo("/rest/crm.settings.mode.get.json?auth=token-2");
        assertThat(portal.getRequestCount()).isEqualTo(4);
    }

    @Test
    void aLeadOnAPortalWithoutLeadsShouldStandForTheDealTheLeadWasConvertedInto() throws Exception {
        answer("{\"result\":912,\"time\":{}}");
        answer("{\"result\":2,\"time\":{}}");
        answer("{\"result\":[{\"ID\":\"55\"}],\"total\":0,\"time\":{}}");

        ItemRef created = connector.createLead(new org.jamescrm.spi.NewLead("Quote", "Carol", EmailAddress.of("carol@client.example"),
            "EMAIL", Optional.empty(), false, "<k@x>"));

        assertThat(created).isEqualTo(new ItemRef(ItemType.DEAL, "55"));
        assertThat(portal.takeRequest().getPath()).endsWith("/crm.lead.add.json");
        assertThat(portal.takeRequest().getPath()).endsWith("/crm.settings.mode.get.json");
        assertThat(body(portal.takeRequest()).path("filter").path("LEAD_ID").asText()).isEqualTo("912");
    }

    @Test
    void aLeadOnAClassicPortalShouldStayALeadAndTheModeBeAskedOnce() throws Exception {
        answer("{\"result\":912,\"time\":{}}");
        answer("{\"result\":1,\"time\":{}}");
        answer("{\"result\":913,\"time\":{}}");

        ItemRef first = connector.createLead(new org.jamescrm.spi.NewLead("A", "A", EmailAddress.of("a@client.example"), "EMAIL",
            Optional.empty(), false, "<a@x>"));
        ItemRef second = connector.createLead(new org.jamescrm.spi.NewLead("B", "B", EmailAddress.of("b@client.example"), "EMAIL",
            Optional.empty(), false, "<b@x>"));

        assertThat(List.of(first, second)).containsExactly(new ItemRef(ItemType.LEAD, "912"), new ItemRef(ItemType.LEAD, "913"));
        assertThat(portal.getRequestCount()).isEqualTo(3);
    }

    @Test
    void usersShouldBeLookedUpOnceAndCached() throws Exception {
        answer("{\"result\":{\"result\":{\"u0\":[{\"ID\":\"7\",\"EMAIL\":\"Alice@Company.example\",\"NAME\":\"Alice\",\"LAST_NAME\":\"Adams\",\"ACTIVE\":true}]},"
            + "\"result_error\":[],\"result_total\":[],\"result_next\":[]},\"time\":{}}");
        EmailAddress alice = EmailAddress.of("alice@company.example");

        assertThat(connector.findUsers(Set.of(alice)).get(alice).id()).isEqualTo("7");
        assertThat(connector.findUsers(Set.of(alice)).get(alice).name()).isEqualTo("Alice Adams");
        assertThat(portal.getRequestCount()).isEqualTo(1);
    }
}

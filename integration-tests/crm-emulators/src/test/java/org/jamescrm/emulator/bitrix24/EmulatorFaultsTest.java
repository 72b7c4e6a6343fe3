package org.jamescrm.emulator.bitrix24;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.jamescrm.emulator.bitrix24.Bitrix24Emulator.Fault;
import org.jamescrm.emulator.bitrix24.Bitrix24Emulator.RecordedRequest;
import org.jamescrm.emulator.bitrix24.EmulatorHttp.Reply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Programmable faults, concurrency, and {@link Bitrix24Emulator#reset()}. */
class EmulatorFaultsTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T10:00:00Z"), ZoneOffset.UTC);

    @RegisterExtension
    static final Bitrix24EmulatorExtension b24 = new Bitrix24EmulatorExtension(Bitrix24Emulator.builder().clock(CLOCK).rateLimit(3, 2.0)
        .oauth("client", "secret", "refresh"));

    Bitrix24Emulator portal;
    EmulatorHttp http;

    @BeforeEach
    void setUp(Bitrix24Emulator portal) {
        this.portal = portal;
        this.http = new EmulatorHttp(portal);
    }

    private Reply mode() {
        return http.call("crm.settings.mode.get", http.json());
    }

    private HttpRequest modeRequest(Duration timeout) {
        return HttpRequest.newBuilder(http.webhook("crm.settings.mode.get")).timeout(timeout).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
    }

    @Test
    void aLatencyFaultShouldDelayANormalAnswer() {
        portal.faultNext(1, Fault.latency(Duration.ofMillis(300)));

        long started = System.nanoTime();
        Reply reply = mode();
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(reply.result().asInt()).isEqualTo(1);
        assertThat(tookMillis).isGreaterThanOrEqualTo(300);
        assertThat(mode().status()).isEqualTo(200);
    }

    @Test
    void aStatusFaultShouldAnswerABitrixStyleServerError() {
        portal.faultNext(2, Fault.status(502));

        Reply first = mode();
        Reply second = mode();

        assertThat(first.status()).isEqualTo(502);
        assertThat(first.error()).isEqualTo("INTERNAL_SERVER_ERROR");
        assertThat(second.status()).isEqualTo(502);
        assertThat(mode().status()).as("only the next two").isEqualTo(200);
        assertThat(portal.refusedCount("INTERNAL_SERVER_ERROR")).isEqualTo(2);
    }

    @Test
    void aStatusFaultShouldOnlyTakeServerErrors() {
        assertThatThrownBy(() -> Fault.status(404)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("status must be a 5xx status, got 404");
    }

    @Test
    void aRawResponseFaultShouldAnswerExactlyTheGivenBody() {
        portal.faultNext(1, Fault.response(502, "text/html", "<html>Bad Gateway</html>"));

        Reply reply = mode();

        assertThat(reply.status()).isEqualTo(502);
        assertThat(reply.text()).isEqualTo("<html>Bad Gateway</html>");
        assertThat(reply.body()).isNull();
    }

    @Test
    void aTimeoutFaultShouldNeverAnswerUntilTheClientGivesUp() {
        portal.faultNext(1, Fault.timeout());

        assertThatThrownBy(() -> http.sendOrThrow(modeRequest(Duration.ofMillis(300)))).isInstanceOf(HttpTimeoutException.class);
        assertThat(portal.requests()).extracting(RecordedRequest::status).containsExactly(0);
        assertThat(mode().status()).isEqualTo(200);
    }

    @Test
    void aDropFaultShouldCloseTheConnectionWithoutAnAnswer() {
        portal.faultNext(1, Fault.drop());

        assertThatThrownBy(() -> http.sendOrThrow(modeRequest(Duration.ofSeconds(5)))).isInstanceOf(IOException.class)
            .isNotInstanceOf(HttpTimeoutException.class);
        assertThat(mode().status()).isEqualTo(200);
    }

    @Test
    void anExpiredTokenFaultShouldAnswer401WhateverTheCredentials() {
        portal.faultNext(1, Fault.expiredToken());

        Reply reply = mode();

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.error()).isEqualTo("expired_token");
    }

    @Test
    void aQueryLimitFaultShouldAnswer503WithoutTouchingTheBucket() {
        portal.faultNext(1, Fault.queryLimit());

        Reply refused = mode();

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.error()).isEqualTo("QUERY_LIMIT_EXCEEDED");
        for (int i = 0; i < 3; i++) {
            assertThat(mode().status()).as("the full burst is still there").isEqualTo(200);
        }
    }

    @Test
    void anOperationTimeLimitFaultShouldAnswer429WithTheResetTime() {
        portal.faultNext(1, Fault.operationTimeLimit(Duration.ofSeconds(90)));

        Reply reply = mode();

        assertThat(reply.status()).isEqualTo(429);
        assertThat(reply.error()).isEqualTo("OPERATION_TIME_LIMIT");
        long expected = CLOCK.instant().getEpochSecond() + 90;
        assertThat(reply.body().get("operating_reset_at").asLong()).isEqualTo(expected);
        assertThat(reply.body().get("time").get("operating_reset_at").asLong()).isEqualTo(expected);
    }

    @Test
    void faultsShouldApplyInTheOrderTheyWereQueued() {
        portal.faultNext(1, Fault.queryLimit());
        portal.faultNext(1, Fault.status(500));

        assertThat(mode().status()).isEqualTo(503);
        assertThat(mode().status()).isEqualTo(500);
        assertThat(mode().status()).isEqualTo(200);
    }

    @Test
    void faultsShouldAlsoHitTheTokenEndpoint() {
        portal.faultNext(1, Fault.status(503));

        Reply reply = http.get(java.net.URI.create(portal.tokenEndpoint() + "?grant_type=refresh_token&client_id=client"
            + "&client_secret=secret&refresh_token=refresh"));

        assertThat(reply.status()).isEqualTo(503);
        assertThat(portal.requests()).extracting(RecordedRequest::method).containsExactly("oauth/token");
    }

    @Test
    void concurrentRequestsShouldBeServedInParallelAndCounted() throws Exception {
        portal.faultNext(3, Fault.latency(Duration.ofMillis(400)));
        ExecutorService clients = Executors.newFixedThreadPool(3);
        try {
            List<CompletableFuture<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                replies.add(CompletableFuture.supplyAsync(this::mode, clients));
            }
            for (CompletableFuture<Reply> reply : replies) {
                assertThat(reply.get().status()).isEqualTo(200);
            }
        } finally {
            clients.shutdownNow();
        }

        assertThat(portal.maxConcurrentRequests()).isEqualTo(3);
    }

    @Test
    void resetShouldClearDataCountersFaultsAndTheBucket() {
        portal.addLead(Map.of("TITLE", "old"));
        for (int i = 0; i < 4; i++) {
            mode();
        }
        portal.faultNext(5, Fault.status(500));

        portal.reset();

        assertThat(portal.leads()).isEmpty();
        assertThat(portal.requestCount()).isZero();
        assertThat(portal.requests()).isEmpty();
        assertThat(portal.refusedCount("QUERY_LIMIT_EXCEEDED")).isZero();
        assertThat(portal.maxConcurrentRequests()).isZero();
        for (int i = 0; i < 3; i++) {
            assertThat(mode().status()).as("no fault left, full bucket").isEqualTo(200);
        }
        assertThat(portal.addLead(Map.of("TITLE", "new"))).as("ids start again at 1").isEqualTo(1);
        assertThat(portal.users()).extracting(user -> user.get("ID")).containsExactly("1");
    }

    @Test
    void resetShouldCloseHeldConnections() {
        portal.faultNext(1, Fault.timeout());
        CompletableFuture<Throwable> held = CompletableFuture.supplyAsync(() -> {
            try {
                http.sendOrThrow(modeRequest(Duration.ofSeconds(20)));
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        await(() -> portal.requests().size() == 1);

        long started = System.nanoTime();
        portal.reset();

        assertThat(held.join()).isInstanceOf(IOException.class).isNotInstanceOf(HttpTimeoutException.class);
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(5_000);
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.onSpinWait();
        }
    }
}

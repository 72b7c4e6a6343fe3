package org.jamescrm.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The kit's server: each fault kind, the call log and its timing, emulator failures, reset. */
class EmulatorServerTest {
    static final Instant START = Instant.parse("2026-11-29T10:00:00Z");

    final MutableClock clock = new MutableClock(START, ZoneOffset.UTC);
    final EchoEmulator crm = new EchoEmulator(clock);

    @AfterEach
    void stop() {
        crm.close();
    }

    @Test
    void aRequestShouldBeAnsweredByTheEndpointOnLoopback() {
        HttpResponse<String> reply = crm.post("/api/leads");

        assertThat(crm.baseUrl().toString()).matches("http://127\\.0\\.0\\.1:\\d+/");
        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("{\"echo\":\"/api/leads\"}");
        assertThat(reply.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
    }

    @Test
    void theCallLogShouldRecordOperationArrivalStatusOutcomeAndDetail() throws IOException {
        crm.post("/api/leads", "first", Duration.ofSeconds(5));
        clock.step(Duration.ofSeconds(3));
        crm.faults().next(1, Fault.status(503));
        crm.post("/api/deals");

        assertThat(crm.calls().all()).extracting(Call::sequence, Call::operation, Call::httpMethod, Call::arrivedAt, Call::status,
            Call::outcome, Call::detail).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1L, "leads", "POST", START, 200, Call.Outcome.ANSWERED, "first"),
                org.assertj.core.groups.Tuple.tuple(2L, "deals", "POST", START.plusSeconds(3), 503, Call.Outcome.ANSWERED, null));
        assertThat(crm.calls().all().get(0).detail(String.class)).contains("first");
        assertThat(crm.calls().of("LEADS")).hasSize(1);
        assertThat(crm.server.requestCount()).isEqualTo(2);
    }

    @Test
    void aCallsDurationShouldIncludeItsLatency() {
        crm.faults().next(1, Fault.latency(Duration.ofMillis(250)));

        long started = System.nanoTime();
        HttpResponse<String> reply = crm.post("/api/leads");
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(tookMillis).isGreaterThanOrEqualTo(250);
        Call call = crm.calls().all().get(0);
        assertThat(call.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(250)).isLessThanOrEqualTo(Duration.ofMillis(tookMillis));
        assertThat(call.arrivedAt()).as("arrival is on the emulator's clock, not real time").isEqualTo(START);
        assertThat(crm.calls().longest()).isEqualTo(call.duration());
        assertThat(crm.post("/api/leads").statusCode()).isEqualTo(200);
    }

    @Test
    void aStatusFaultShouldBeAnsweredByTheEndpointOrAsABareStatus() {
        crm.faults().next(1, Fault.status(502));

        HttpResponse<String> reply = crm.post("/api/leads");

        assertThat(reply.statusCode()).isEqualTo(502);
        assertThat(reply.body()).isEmpty();
    }

    @Test
    void aStatusFaultShouldOnlyTakeServerErrors() {
        assertThatThrownBy(() -> Fault.status(429)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("status must be a 5xx status, got 429");
    }

    @Test
    void aRawFaultShouldAnswerExactlyTheGivenBody() {
        crm.faults().next(1, Fault.response(502, "text/html", "<html>Bad Gateway</html>"));

        HttpResponse<String> reply = crm.post("/api/leads");

        assertThat(reply.statusCode()).isEqualTo(502);
        assertThat(reply.headers().firstValue("Content-Type")).contains("text/html");
        assertThat(reply.body()).isEqualTo("<html>Bad Gateway</html>");
    }

    @Test
    void aTimeoutFaultShouldHoldTheConnectionUntilTheClientGivesUp() {
        crm.faults().next(1, Fault.timeout());

        assertThatThrownBy(() -> crm.post("/api/leads", null, Duration.ofMillis(300))).isInstanceOf(HttpTimeoutException.class);
        assertThat(crm.calls().all()).extracting(Call::status, Call::outcome).containsExactly(
            org.assertj.core.groups.Tuple.tuple(0, Call.Outcome.HELD));
        assertThat(crm.server.inFlight()).as("the held connection is still in flight").isEqualTo(1);
        crm.server.releaseHeldConnections();
        assertThat(crm.server.inFlight()).isZero();
    }

    @Test
    void aDropFaultShouldCloseTheConnectionWithoutAnAnswer() {
        crm.faults().next(1, Fault.drop());

        assertThatThrownBy(() -> crm.post("/api/leads", null, Duration.ofSeconds(5))).isInstanceOf(IOException.class)
            .isNotInstanceOf(HttpTimeoutException.class);
        assertThat(crm.calls().all()).extracting(Call::status, Call::outcome).containsExactly(
            org.assertj.core.groups.Tuple.tuple(0, Call.Outcome.DROPPED));
        assertThat(crm.post("/api/leads").statusCode()).isEqualTo(200);
    }

    @Test
    void anExpiredTokenFaultShouldBeAnsweredInTheCrmsShape() {
        crm.faults().next(1, Fault.expiredToken());

        HttpResponse<String> reply = crm.post("/api/leads");

        assertThat(reply.statusCode()).isEqualTo(401);
        assertThat(reply.body()).isEqualTo("{\"code\":\"INVALID_TOKEN\"}");
        assertThat(crm.calls().countErrors("INVALID_TOKEN")).isEqualTo(1);
    }

    @Test
    void aCustomFaultShouldBeAnsweredByTheEmulatorWithItsHeaders() {
        crm.faults().next(1, new EchoEmulator.SlowDown());

        HttpResponse<String> reply = crm.post("/api/leads");

        assertThat(reply.statusCode()).isEqualTo(429);
        assertThat(reply.headers().firstValue("Retry-After")).contains("7");
        assertThat(crm.calls().all()).extracting(Call::errorCode).containsExactly("SLOW_DOWN");
    }

    @Test
    void faultsShouldApplyTheNextNTimesInTheOrderTheyWereProgrammed() {
        crm.faults().next(2, Fault.status(500));
        crm.faults().next(1, Fault.status(503));

        assertThat(crm.post("/a").statusCode()).isEqualTo(500);
        assertThat(crm.post("/a").statusCode()).isEqualTo(500);
        assertThat(crm.post("/a").statusCode()).isEqualTo(503);
        assertThat(crm.post("/a").statusCode()).isEqualTo(200);
    }

    @Test
    void aRuleShouldHitEveryMatchingRequestAndNoOther() {
        crm.faults().everyMatching(FaultPlan.operation("deals"), Fault.status(500));

        for (int i = 0; i < 3; i++) {
            assertThat(crm.post("/api/deals").statusCode()).isEqualTo(500);
            assertThat(crm.post("/api/leads").statusCode()).isEqualTo(200);
        }
        crm.faults().clear();
        assertThat(crm.post("/api/deals").statusCode()).isEqualTo(200);
    }

    @Test
    void aCountedRuleShouldHitOnlyTheNextMatchingRequests() {
        crm.faults().nextMatching(1, request -> request.path().endsWith("/deals"), Fault.status(503));

        assertThat(crm.post("/api/leads").statusCode()).isEqualTo(200);
        assertThat(crm.post("/api/deals").statusCode()).isEqualTo(503);
        assertThat(crm.post("/api/deals").statusCode()).isEqualTo(200);
        assertThat(crm.faults().pending()).isZero();
    }

    @Test
    void anEmulatorBugShouldBeAnswered500NamingIt() {
        HttpResponse<String> reply = crm.post("/bug");

        assertThat(reply.statusCode()).isEqualTo(500);
        assertThat(reply.body()).isEqualTo("emulator failure: java.lang.IllegalStateException: a bug");
        assertThat(crm.calls().countErrors("EMULATOR_FAILURE")).isEqualTo(1);
    }

    @Test
    void resetShouldDropFaultsLogsCountersAndHeldConnections() {
        crm.faults().next(1, Fault.timeout());
        CompletableFuture<Throwable> held = CompletableFuture.supplyAsync(() -> {
            try {
                crm.post("/held", null, Duration.ofSeconds(20));
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (crm.calls().size() < 1 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        crm.faults().next(3, Fault.status(500));

        crm.server.reset();

        assertThat(held.join()).isInstanceOf(IOException.class).isNotInstanceOf(HttpTimeoutException.class);
        assertThat(crm.calls().all()).isEmpty();
        assertThat(crm.server.requestCount()).isZero();
        assertThat(crm.server.maxConcurrentRequests()).isZero();
        assertThat(crm.post("/a").statusCode()).isEqualTo(200);
    }
}

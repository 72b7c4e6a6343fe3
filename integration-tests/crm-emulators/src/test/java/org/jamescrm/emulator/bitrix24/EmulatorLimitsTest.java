package org.jamescrm.emulator.bitrix24;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jamescrm.emulator.MutableClock;
import org.jamescrm.emulator.bitrix24.EmulatorHttp.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The portal's leaky bucket and per-method operating budget, on a stepped clock (§3). */
class EmulatorLimitsTest {
    static final Instant START = Instant.parse("2026-11-29T10:00:30Z");

    /** Each test its own clock and portal (a new test instance per method): the clock is stepped. */
    final MutableClock clock = new MutableClock(START, ZoneOffset.UTC);
    Bitrix24Emulator portal;
    EmulatorHttp http;

    @BeforeEach
    void start() {
        portal = Bitrix24Emulator.builder().clock(clock).rateLimit(5, 2.0).operatingLimit(Duration.ofSeconds(1))
            .methodCost(Duration.ofMillis(400)).start();
        http = new EmulatorHttp(portal);
    }

    @AfterEach
    void stop() {
        portal.close();
    }

    private Reply mode() {
        return http.call("crm.settings.mode.get", http.json());
    }

    private int calls;

    /** A request that stays within the operating budget: the bucket tests rotate over cheap methods. */
    private Reply cheap() {
        List<String> methods = List.of("crm.enum.ownertype", "crm.enum.activitytype", "crm.enum.contenttype", "crm.enum.settings.mode",
            "server.time", "profile", "user.current", "app.info");
        return http.call(methods.get(calls++ % methods.size()), http.json());
    }

    @Test
    void theBurstShouldPassAndTheNextRequestBeRefusedWithQueryLimitExceeded() {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            statuses.add(cheap().status());
        }
        Reply refused = cheap();

        assertThat(statuses).containsOnly(200);
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.error()).isEqualTo("QUERY_LIMIT_EXCEEDED");
        assertThat(refused.description()).isEqualTo("Too many requests");
        assertThat(portal.refusedCount("QUERY_LIMIT_EXCEEDED")).isEqualTo(1);
        assertThat(portal.requestCount()).isEqualTo(6);
    }

    @Test
    void theBucketShouldDrainAtTheConfiguredRate() {
        for (int i = 0; i < 5; i++) {
            cheap();
        }
        assertThat(cheap().status()).isEqualTo(503);

        clock.step(Duration.ofMillis(499));
        assertThat(cheap().status()).as("not a whole request drained yet").isEqualTo(503);
        clock.step(Duration.ofMillis(1));
        assertThat(cheap().status()).isEqualTo(200);
        assertThat(cheap().status()).isEqualTo(503);

        clock.step(Duration.ofSeconds(10));
        for (int i = 0; i < 5; i++) {
            assertThat(cheap().status()).as("a drained bucket takes a whole burst").isEqualTo(200);
        }
    }

    @Test
    void aBatchShouldCountAsOneRequest() {
        Map<String, String> commands = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            commands.put("c" + i, "crm.enum.ownertype");
        }
        for (int i = 0; i < 5; i++) {
            assertThat(http.call("batch", http.json("cmd", commands)).status()).isEqualTo(200);
        }

        assertThat(http.call("batch", http.json("cmd", commands)).status()).isEqualTo(503);
    }

    @Test
    void aMethodShouldBeBlockedOnceItsOperatingTimeExceedsTheBudget() {
        // 400 ms a call against 1 s: the third call takes the sum to 1.2 s, the fourth is refused
        for (int i = 0; i < 3; i++) {
            assertThat(mode().status()).isEqualTo(200);
        }
        Reply blocked = mode();

        assertThat(blocked.status()).isEqualTo(429);
        assertThat(blocked.error()).isEqualTo("OPERATION_TIME_LIMIT");
        long resetAt = (START.getEpochSecond() / 60 + 10) * 60;
        assertThat(blocked.body().get("operating_reset_at").asLong()).isEqualTo(resetAt);
        assertThat(blocked.body().get("time").get("operating_reset_at").asLong()).isEqualTo(resetAt);
        assertThat(http.call("crm.enum.ownertype", http.json()).status()).as("other methods keep working").isEqualTo(200);
    }

    @Test
    void theTimeBlockShouldShowTheOperatingSecondsOfTheMethod() {
        Reply first = mode();
        Reply second = mode();

        assertThat(first.body().get("time").get("operating").decimalValue()).isEqualByComparingTo("0.4");
        assertThat(second.body().get("time").get("operating").decimalValue()).isEqualByComparingTo("0.8");
        assertThat(second.body().get("time").get("processing").decimalValue()).isEqualByComparingTo("0.4");
    }

    @Test
    void aBlockedMethodShouldBeReleasedWhenItsOldestMinuteLeavesTheWindow() {
        for (int i = 0; i < 3; i++) {
            mode();
        }
        clock.step(Duration.ofMinutes(9));
        assertThat(mode().status()).isEqualTo(429);

        clock.step(Duration.ofSeconds(30)); // 10:10:00: the 10:00 minute is out of the window
        assertThat(mode().status()).isEqualTo(200);
    }

    @Test
    void batchCommandsShouldCountAgainstTheirOwnMethods() {
        Map<String, String> commands = new LinkedHashMap<>();
        for (int i = 0; i < 4; i++) {
            commands.put("m" + i, "crm.settings.mode.get");
        }
        commands.put("other", "crm.enum.ownertype");

        Reply reply = http.call("batch", http.json("cmd", commands));

        assertThat(reply.result().get("result").fieldNames()).toIterable().containsExactly("m0", "m1", "m2", "other");
        assertThat(reply.result().get("result_error").get("m3").get("error").asText()).isEqualTo("OPERATION_TIME_LIMIT");
        assertThat(reply.result().get("result_time").get("m2").get("operating").decimalValue()).isEqualByComparingTo("1.2");
        assertThat(mode().status()).as("the batch's calls blocked the method").isEqualTo(429);
    }

    @Test
    void theOperatingBudgetShouldBeKeptPerCredential() {
        try (Bitrix24Emulator app = Bitrix24Emulator.builder().clock(clock).oauth("client", "secret", "refresh")
            .operatingLimit(Duration.ofSeconds(1)).methodCost(Duration.ofMillis(600)).start()) {
            EmulatorHttp appHttp = new EmulatorHttp(app);
            appHttp.call("crm.settings.mode.get", appHttp.json());
            appHttp.call("crm.settings.mode.get", appHttp.json());
            assertThat(appHttp.call("crm.settings.mode.get", appHttp.json()).status()).isEqualTo(429);

            Reply viaOAuth = appHttp.postJson(appHttp.oauth("crm.settings.mode.get"), appHttp.json("auth", app.issueAccessToken()));

            assertThat(viaOAuth.status()).isEqualTo(200);
        }
    }

    @Test
    void inProcessCallsShouldBypassTheLimits() {
        for (int i = 0; i < 10; i++) {
            portal.call("crm.settings.mode.get", Map.of());
        }

        assertThat(mode().status()).isEqualTo(200);
        assertThat(portal.requestCount()).isEqualTo(1);
    }
}

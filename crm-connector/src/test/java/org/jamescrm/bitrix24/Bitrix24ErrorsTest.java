package org.jamescrm.bitrix24;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;

import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmRejectedException;
import org.jamescrm.spi.CrmUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bitrix24's errors, classified by their code as a table: try again later, or give up. */
class Bitrix24ErrorsTest {
    static final Duration DRAIN = Duration.ofMillis(500);

    private static CrmException classify(int status, String error) {
        return Bitrix24Errors.classify("crm.lead.add", status, error, "words", Optional.empty(), DRAIN);
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "503, QUERY_LIMIT_EXCEEDED, unavailable",
        "429, OPERATION_TIME_LIMIT, unavailable",
        "503, OVERLOAD_LIMIT, unavailable",
        "500, INTERNAL_SERVER_ERROR, unavailable",
        "500, ERROR_UNEXPECTED_ANSWER, unavailable",
        "502, '', unavailable",
        "200, QUERY_LIMIT_EXCEEDED, unavailable",
        "401, NO_AUTH_FOUND, rejected",
        "401, INVALID_CREDENTIALS, rejected",
        "403, INVALID_CREDENTIALS, rejected",
        "403, insufficient_scope, rejected",
        "403, ACCESS_DENIED, rejected",
        "400, INVALID_REQUEST, rejected",
        "404, ERROR_METHOD_NOT_FOUND, rejected",
        "400, ERROR_CORE, rejected",
        "400, '', rejected",
        "500, PORTAL_DELETED, rejected",
    })
    void errorsShouldBeClassifiedByTheirCode(int status, String error, String expected) {
        assertThat(classify(status, error)).isInstanceOf(expected.equals("unavailable") ? CrmUnavailableException.class : CrmRejectedException.class);
    }

    @Test
    void theRateLimitShouldAskForOneDrainStepAndTheTimeLimitForTheReset() {
        assertThat(((CrmUnavailableException) classify(503, "QUERY_LIMIT_EXCEEDED")).retryAfter()).contains(DRAIN);
        CrmException timeLimit = Bitrix24Errors.classify("crm.activity.add", 429, "OPERATION_TIME_LIMIT", "", Optional.of(240L), DRAIN);
        assertThat(((CrmUnavailableException) timeLimit).retryAfter()).contains(Duration.ofSeconds(240));
    }

    @Test
    void aRefusalWithRetryAfterShouldCarryTheCrmsHint() {
        CrmException limited = Bitrix24Errors.classify("batch", 503, "QUERY_LIMIT_EXCEEDED", "", Optional.empty(), DRAIN,
            Optional.of(Duration.ofSeconds(3)));
        CrmException overloaded = Bitrix24Errors.classify("batch", 503, "", "the answer is not JSON", Optional.empty(), DRAIN,
            Optional.of(Duration.ofSeconds(4)));
        CrmException tooMany = Bitrix24Errors.classify("batch", 429, "", "the answer is not JSON", Optional.empty(), DRAIN, Optional.empty());

        assertThat(((CrmUnavailableException) limited).retryAfter()).contains(Duration.ofSeconds(3));
        assertThat(((CrmUnavailableException) overloaded).retryAfter()).contains(Duration.ofSeconds(4));
        assertThat(((CrmUnavailableException) tooMany).retryAfter()).contains(DRAIN); // a 429 without a hint waits one drain step
    }

    @Test
    void aServerErrorWithoutAHintShouldCarryNone() {
        assertThat(((CrmUnavailableException) classify(502, "")).retryAfter()).isEmpty();
    }

    @Test
    void theMessageShouldNameTheMethodTheCodeAndTheWords() {
        assertThat(Bitrix24Errors.classify("crm.lead.get", 400, "", "Not found", Optional.empty(), DRAIN))
            .hasMessage("Bitrix24 crm.lead.get answered 400 (no code): Not found");
    }
}

package org.jamescrm.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import org.jamescrm.spi.CrmUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Salesforce's error answers, classified as a table by status and error code (salesforce §1.8). */
class SalesforceErrorsTest {

    private static String kind(SalesforceErrors.Outcome outcome) {
        if (outcome instanceof SalesforceErrors.Duplicate) {
            return "duplicate";
        }
        if (outcome instanceof SalesforceErrors.SessionExpired) {
            return "session";
        }
        return ((SalesforceErrors.Failure) outcome).exception() instanceof CrmUnavailableException ? "unavailable" : "rejected";
    }

    private static String envelope(String code) {
        return "[{\"message\":\"said\",\"errorCode\":\"" + code + "\",\"fields\":[\"Company\"]}]";
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "401 | INVALID_SESSION_ID                | session",
        "403 | REQUEST_LIMIT_EXCEEDED            | unavailable",
        "400 | UNABLE_TO_LOCK_ROW                | unavailable",
        "403 | INSUFFICIENT_ACCESS_OR_READONLY   | rejected",
        "400 | REQUIRED_FIELD_MISSING            | rejected",
        "400 | INVALID_FIELD                     | rejected",
        "400 | FIELD_CUSTOM_VALIDATION_EXCEPTION | rejected",
        "400 | MALFORMED_QUERY                   | rejected",
        "400 | STRING_TOO_LONG                   | rejected",
        "404 | NOT_FOUND                         | rejected",
        "400 | DUPLICATES_DETECTED               | rejected",
        "500 | UNKNOWN_EXCEPTION                 | unavailable",
        "503 | SERVER_UNAVAILABLE                | unavailable",
    })
    void theEnvelopeShouldBeClassifiedByItsCode(int status, String code, String expected) {
        assertThat(kind(SalesforceErrors.classify("POST composite/sobjects", status, envelope(code)))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "502 | <html>Bad Gateway</html> | unavailable",
        "503 | ''                       | unavailable",
        "408 | ''                       | unavailable",
        "401 | ''                       | session",
        "400 | <html>Bad request</html> | rejected",
    })
    void answersWithoutTheEnvelopeShouldBeClassifiedByStatus(int status, String body, String expected) {
        assertThat(kind(SalesforceErrors.classify("GET limits", status, body))).isEqualTo(expected);
    }

    @Test
    void aPermanentErrorShouldNameTheFieldsSalesforceNamed() {
        SalesforceErrors.Failure failure = (SalesforceErrors.Failure) SalesforceErrors.classify("POST composite/sobjects", 400,
            envelope("REQUIRED_FIELD_MISSING"));

        assertThat(failure.exception()).hasMessageContaining("REQUIRED_FIELD_MISSING").hasMessageContaining("fields Company");
    }

    @Test
    void theDailyLimitShouldBeRetriedAfterAHoldNotAtOnce() {
        SalesforceErrors.Failure failure = (SalesforceErrors.Failure) SalesforceErrors.classify("POST composite", 403,
            envelope("REQUEST_LIMIT_EXCEEDED"));

        assertThat(failure.budgetExhausted()).isTrue();
        assertThat(((CrmUnavailableException) failure.exception()).retryAfter()).contains(SalesforceErrors.BUDGET_HOLD);
    }

    @Test
    void aDuplicateRuleShouldNameTheRecordToUse() {
        String error = "{\"statusCode\":\"DUPLICATES_DETECTED\",\"message\":\"Use one of these records?\",\"duplicateResult\":"
            + "{\"matchResults\":[{\"matchRecords\":[{\"record\":{\"Id\":\"003xx0000000001AAA\"}}]}]}}";

        assertThat(SalesforceErrors.classify("POST composite/sobjects", 0, SalesforceErrors.json(error)))
            .isEqualTo(new SalesforceErrors.Duplicate("003xx0000000001AAA"));
    }

    @Test
    void theTokenEndpointsRefusalShouldBeAConfigurationErrorUnlessTheServerFailed() {
        assertThat(SalesforceErrors.token(400, "{\"error\":\"invalid_grant\",\"error_description\":\"user hasn't approved this consumer\"}"))
            .isNotInstanceOf(CrmUnavailableException.class).hasMessageContaining("user hasn't approved this consumer");
        assertThat(SalesforceErrors.token(503, "")).isInstanceOf(CrmUnavailableException.class);
    }
}

package org.jamescrm.zoho;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;

import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmRejectedException;
import org.jamescrm.spi.CrmUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Zoho's error answers, classified as a table by status and code, in both envelopes (zoho-api §2.8). */
class ZohoErrorsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode json(String text) throws IOException {
        return text.isEmpty() ? MAPPER.missingNode() : MAPPER.readTree(text);
    }

    private static String envelope(String code) {
        return "{\"code\":\"" + code + "\",\"details\":{},\"message\":\"m\",\"status\":\"error\"}";
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "429 | TOO_MANY_REQUESTS      | unavailable",
        "500 | INTERNAL_ERROR         | unavailable",
        "502 | ''                     | unavailable",
        "503 | ''                     | unavailable",
        "400 | RECORD_LOCKED          | unavailable",
        "401 | INVALID_TOKEN          | rejected",
        "401 | AUTHENTICATION_FAILURE | rejected",
        "401 | OAUTH_SCOPE_MISMATCH   | rejected",
        "403 | NO_PERMISSION          | rejected",
        "400 | INVALID_DATA           | rejected",
        "400 | MANDATORY_NOT_FOUND    | rejected",
        "400 | INVALID_MODULE         | rejected",
        "400 | INVALID_URL_PATTERN    | rejected",
        "400 | INVALID_HOST           | rejected",
        "400 | REQUIRED_PARAM_MISSING | rejected",
        "400 | LIMIT_REACHED          | rejected",
        "404 | ''                     | rejected",
    })
    void requestLevelErrorsShouldBeClassifiedByStatusAndCode(int status, String code, String expected) throws IOException {
        CrmException failure = ZohoErrors.request("POST coql", status, json(code.isEmpty() ? "" : envelope(code)), Duration.ofSeconds(2));

        assertThat(failure instanceof CrmUnavailableException ? "unavailable" : "rejected").isEqualTo(expected);
    }

    @Test
    void aThrottledRequestShouldWaitWhatTheLimitsSayForZohoSendsNoRetryAfter() throws IOException {
        CrmException failure = ZohoErrors.request("POST coql", 429, json(envelope("TOO_MANY_REQUESTS")), Duration.ofMinutes(5));

        assertThat(((CrmUnavailableException) failure).retryAfter()).contains(Duration.ofMinutes(5));
    }

    @Test
    void aScopeMismatchShouldNameTheScopeTheOperationNeeds() throws IOException {
        assertThat(ZohoErrors.request("GET actions/email_available", 401, json(envelope("OAUTH_SCOPE_MISMATCH")), Duration.ZERO))
            .hasMessageContaining("ZohoCRM.modules.emails.ALL");
        assertThat(ZohoErrors.scopeOf("POST Leads")).isEqualTo("ZohoCRM.modules.leads.ALL");
        assertThat(ZohoErrors.scopeOf("GET Leads/search")).isEqualTo("ZohoSearch.securesearch.READ");
    }

    @Test
    void aPicklistRefusalShouldListTheSupportedValues() throws IOException {
        CrmException failure = ZohoErrors.item("POST Leads", 400, json("{\"code\":\"INVALID_DATA\",\"details\":{\"api_name\":\"Lead_Source\","
            + "\"supported_values\":[\"Advertisement\",\"Cold Call\"]},\"message\":\"invalid data\",\"status\":\"error\"}"));

        assertThat(failure).isInstanceOf(CrmRejectedException.class)
            .hasMessage("Zoho POST Leads refused an item: INVALID_DATA invalid data (field Lead_Source) (supported values: Advertisement, Cold Call)");
    }

    @Test
    void aMandatoryFieldMissingShouldNameIt() throws IOException {
        assertThat(ZohoErrors.item("POST Leads", 400, json("{\"code\":\"MANDATORY_NOT_FOUND\",\"details\":{\"api_name\":\"Company\","
            + "\"json_path\":\"$.data[0].Company\"},\"message\":\"required field not found\",\"status\":\"error\"}")))
            .hasMessageContaining("(field Company)");
    }

    @Test
    void aDuplicateShouldNameTheExistingRecord() throws IOException {
        assertThat(ZohoErrors.duplicateOf(json("{\"code\":\"DUPLICATE_DATA\",\"details\":{\"api_name\":\"Email\",\"duplicate_record\":"
            + "{\"id\":\"4876876000000000042\",\"module\":{\"api_name\":\"Contacts\"}}},\"message\":\"duplicate data\",\"status\":\"error\"}")))
            .contains("4876876000000000042");
        assertThat(ZohoErrors.duplicateOf(json(envelope("INVALID_DATA")))).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "200 | {\"error\":\"invalid_client\"}        | rejected    | <zoho><dataCentre>",
        "200 | {\"error\":\"invalid_code\"}          | rejected    | <zoho><refreshToken>",
        "200 | {\"error\":\"invalid_client_secret\"} | rejected    | <zoho><clientSecret>",
        "200 | {}                                   | rejected    | without an access token",
        "400 | {\"error\":\"Access Denied\",\"error_description\":\"too many requests\"} | unavailable | too many requests",
        "502 | ''                                   | unavailable | answered 502",
    })
    void aRefusedRefreshShouldBeClassifiedAndNameTheDataCentre(int status, String body, String expected, String words) throws IOException {
        CrmException failure = ZohoErrors.token(ZohoDataCentre.EU, "https://accounts.zoho.eu", status, json(body));

        assertThat(failure instanceof CrmUnavailableException ? "unavailable" : "rejected").isEqualTo(expected);
        assertThat(failure).hasMessageContaining(words).hasMessageContaining("https://accounts.zoho.eu (data centre EU)");
    }

    @Test
    void noAnswerShouldBeTransient() {
        assertThat(ZohoErrors.noAnswer("POST coql", new SocketTimeoutException("timeout"))).isInstanceOf(CrmUnavailableException.class)
            .hasMessage("Zoho POST coql did not answer: SocketTimeoutException (timeout)");
    }
}

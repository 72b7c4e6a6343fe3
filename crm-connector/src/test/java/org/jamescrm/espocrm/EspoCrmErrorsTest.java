package org.jamescrm.espocrm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;

import org.jamescrm.spi.CrmRejectedException;
import org.jamescrm.spi.CrmUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** EspoCRM's error answers, classified as a table by status, {@code X-Status-Reason} and body (espocrm-api §3). */
class EspoCrmErrorsTest {
    static final String VALIDATION = "{\"messageTranslation\":{\"label\":\"validationFailure\",\"scope\":null,"
        + "\"data\":{\"field\":\"lastName\",\"type\":\"required\"}}}";

    private static EspoCrmErrors.Outcome classify(int status, String reason, String body) {
        return EspoCrmErrors.classify("POST Lead", status, reason, body, Optional.empty());
    }

    private static String kind(EspoCrmErrors.Outcome outcome) {
        if (outcome instanceof EspoCrmErrors.Duplicate) {
            return "duplicate";
        }
        if (outcome instanceof EspoCrmErrors.AlreadyImported) {
            return "imported";
        }
        return ((EspoCrmErrors.Failure) outcome).exception() instanceof CrmUnavailableException ? "unavailable" : "rejected";
    }

    @ParameterizedTest(name = "{0} ''{1}'' -> {3}")
    @CsvSource(delimiter = '|', value = {
        "409 | duplicate                 | [{\"id\":\"65f0\",\"name\":\"Ann Novak\"}] | duplicate",
        "409 | Duplicate                 | []                                          | duplicate",
        "409 | Email is already imported. | ''                                         | imported",
        "409 | Record is locked.         | ''                                          | unavailable",
        "409 | validation                | ''                                          | rejected",
        "400 | validationFailure         | " + "'{}'" + "                              | rejected",
        "400 | No 'from' address         | ''                                          | rejected",
        "401 | ''                        | ''                                          | rejected",
        "403 | Max failed login attempts exceeded for IP address 10.0.0.1. | ''        | rejected",
        "403 | Not allowed 'from' address. | ''                                        | rejected",
        "403 | No create access.         | ''                                          | rejected",
        "403 | Max size should not exceed 200. Use offset and limit. | ''              | rejected",
        "404 | Record does not exist.    | ''                                          | rejected",
        "408 | ''                        | ''                                          | unavailable",
        "429 | ''                        | <html>Too Many Requests</html>              | unavailable",
        "500 | ''                        | ''                                          | unavailable",
        "500 | Error                     | '\"Something failed\"'                      | unavailable",
        "502 | ''                        | <html>Bad Gateway</html>                    | unavailable",
        "503 | ''                        | ''                                          | unavailable",
    })
    void errorsShouldBeClassifiedByStatusAndReason(int status, String reason, String body, String expected) {
        assertThat(kind(classify(status, reason, body))).isEqualTo(expected);
    }

    @Test
    void aDuplicateShouldListTheExistingRecords() {
        EspoCrmErrors.Outcome outcome = classify(409, "duplicate", "[{\"id\":\"65f01\",\"emailAddress\":\"ann@client.cz\"},{\"id\":\"65f02\"}]");

        assertThat(((EspoCrmErrors.Duplicate) outcome).existing()).extracting(record -> record.path("id").asText())
            .containsExactly("65f01", "65f02");
    }

    @Test
    void anEmailAlreadyImportedShouldNameTheExistingEmail() {
        EspoCrmErrors.Outcome outcome = classify(409, "Email is already imported.",
            "{\"messageTranslation\":{\"label\":\"alreadyImported\",\"scope\":\"Email\",\"data\":{\"id\":\"65f0e\"}}}");

        assertThat(((EspoCrmErrors.AlreadyImported) outcome).emailId()).contains("65f0e");
    }

    @Test
    void aValidationFailureShouldNameTheField() {
        assertThat(((EspoCrmErrors.Failure) classify(400, "validationFailure", VALIDATION)).exception())
            .hasMessage("EspoCRM POST Lead answered 400: validationFailure (field lastName: required)");
    }

    @Test
    void theReasonShouldComeFromTheHeaderWhenTheBodyIsEmpty() {
        assertThat(((EspoCrmErrors.Failure) classify(404, "Record does not exist.", "")).exception())
            .hasMessage("EspoCRM POST Lead answered 404: Record does not exist.");
    }

    @Test
    void anEmptyUnauthorizedShouldSayWhichSettingsToCheck() {
        assertThat(((EspoCrmErrors.Failure) classify(401, "", "")).exception()).isInstanceOf(CrmRejectedException.class)
            .hasMessageContaining("answered 401").hasMessageContaining("<espocrm><apiKey>");
    }

    @Test
    void tooManyFailedLoginsShouldBePermanentAndSaySo() {
        assertThat(((EspoCrmErrors.Failure) classify(403, "Max failed login attempts exceeded for IP address 10.0.0.1.", "")).exception())
            .isInstanceOf(CrmRejectedException.class).hasMessageContaining("too many failed logins");
    }

    @Test
    void aRefusedFromAddressShouldNameTheImportScope() {
        assertThat(((EspoCrmErrors.Failure) classify(403, "Not allowed 'from' address.", "")).exception())
            .hasMessageContaining("Import scope");
    }

    @Test
    void importEmlRefusedShouldNameTheImportScope() {
        assertThat(((EspoCrmErrors.Failure) EspoCrmErrors.classify("POST Email/importEml", 403, "No access to Import.", "",
            Optional.empty())).exception()).isInstanceOf(CrmRejectedException.class).hasMessageContaining("Import scope");
    }

    @Test
    void aRateLimitShouldWaitAsTheProxySaysAndOtherwiseAsTheQueueDoes() {
        EspoCrmErrors.Outcome told = EspoCrmErrors.classify("GET Lead", 429, "", "", Optional.of(Duration.ofSeconds(7)));
        EspoCrmErrors.Outcome untold = EspoCrmErrors.classify("GET Lead", 503, "", "", Optional.empty());

        assertThat(((CrmUnavailableException) ((EspoCrmErrors.Failure) told).exception()).retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(((CrmUnavailableException) ((EspoCrmErrors.Failure) untold).exception()).retryAfter()).isEmpty();
    }

    @Test
    void noAnswerShouldBeTransient() {
        assertThat(EspoCrmErrors.noAnswer("GET Lead", new SocketTimeoutException("timeout"))).isInstanceOf(CrmUnavailableException.class)
            .hasMessage("EspoCRM GET Lead did not answer: SocketTimeoutException (timeout)");
        assertThat(EspoCrmErrors.noAnswer("GET Lead", new IOException("unexpected end of stream"))).isInstanceOf(CrmUnavailableException.class);
    }
}

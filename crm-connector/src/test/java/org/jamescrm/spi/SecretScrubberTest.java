package org.jamescrm.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** No secret leaves the product, configured or shaped like one, whatever echoed it. */
class SecretScrubberTest {
    static final String CODE = "x7k2m9q4w1e8r5t3";
    static final String CLIENT_SECRET = "Zs3cr3t/with+chars";
    static final SecretScrubber SCRUBBER = new SecretScrubber(List.of(CODE, CLIENT_SECRET, "rt-1234567"));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "webhook path echoed by the portal|404 Not Found: POST /rest/1/" + CODE + "/crm.lead.add.json",
        "the code alone in prose|the webhook " + CODE + " is not valid",
        "token request form echoed|invalid_grant for grant_type=refresh_token&client_id=app&client_secret=Zs3cr3t%2Fwith%2Bchars&refresh_token=rt-1234567",
        "an unknown webhook of the same shape|POST https://other.bitrix24.com/rest/7/abcdefgh1234/profile",
        "JSON token answer echoed|{\"access_token\":\"ya29.a0AfB_byC\",\"refresh_token\":\"1//0gLz\"}",
        "authorization header echoed|request headers: Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc",
        "API key header echoed|X-Api-Key: 7f1c2d3e4b5a69788",
        "a query string token|GET /rest/method?auth=abc123def456&id=1",
        "a password field|login failed for password=hunter22 user=alice",
    })
    void secretsAndCredentialShapesShouldBeRemoved(String title, String echo) {
        String scrubbed = SCRUBBER.scrub(echo);

        assertThat(scrubbed).doesNotContain(CODE, CLIENT_SECRET, "Zs3cr3t%2Fwith%2Bchars", "rt-1234567", "abcdefgh1234", "ya29.a0AfB_byC",
            "1//0gLz", "eyJhbGciOiJIUzI1NiJ9", "7f1c2d3e4b5a69788", "abc123def456", "hunter22").contains(SecretScrubber.MARK);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "QUERY_LIMIT_EXCEEDED: Too many requests",
        "key 'bitrix24.webhook@code' is empty; allowed values: any non-empty text",
        "key 'bitrix24.portal' has value 'https://company.bitrix24.com/…'; allowed values: an http or https URL",
        "the CRM refused the capture: Contact 12 has no e-mail address",
    })
    void ordinaryMessagesShouldPassUnchanged(String message) {
        assertThat(SCRUBBER.scrub(message)).isEqualTo(message);
    }

    @Test
    void aScrubbedFailureShouldKeepItsClassItsRetryHintAndTheClassesOfItsCauses() {
        CrmUnavailableException echoed = new CrmUnavailableException("503 for /rest/1/" + CODE + "/batch",
            Optional.of(Duration.ofSeconds(7)), new java.io.IOException("connection reset by https://p/rest/1/" + CODE + "/"));

        CrmException scrubbed = SCRUBBER.scrub(echoed);

        assertThat(scrubbed).isInstanceOf(CrmUnavailableException.class).hasMessageNotContaining(CODE);
        assertThat(((CrmUnavailableException) scrubbed).retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(scrubbed.getCause()).hasMessageStartingWith("java.io.IOException: connection reset").hasMessageNotContaining(CODE);
        assertThat(SCRUBBER.scrub(new CrmRejectedException("refused " + CODE))).isInstanceOf(CrmRejectedException.class)
            .hasMessage("refused ***");
        assertThat(SCRUBBER.scrub(new IllegalArgumentException("bad URL https://p/rest/1/" + CODE + "/")))
            .hasMessageNotContaining(CODE).hasMessageStartingWith("java.lang.IllegalArgumentException");
    }
}

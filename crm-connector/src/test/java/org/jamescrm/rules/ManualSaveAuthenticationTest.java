package org.jamescrm.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.model.Envelope;
import org.jamescrm.model.MessageHeaders;
import org.jamescrm.settings.CaptureSettings;
import org.jamescrm.testing.Settings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Only an employee the server knows may save mail through the capture address (capture-rules §7):
 * authenticated by SMTP AUTH or submitting from a trusted network, with an employee envelope sender.
 * A From field proves nothing; a forged save is refused without an answer to anybody.
 */
class ManualSaveAuthenticationTest {
    static final CaptureSettings SETTINGS = Settings.of("<captureAddress>crm@company.example</captureAddress>"
        + "<trustedNetworks>10.1.0.0/16, 2001:db8::/32</trustedNetworks>");

    /**
     * @param envelopeSender MAIL FROM
     * @param from           the From field
     * @param recipients     RCPT TO, space separated
     * @param authenticated  the SMTP AUTH user, {@code -} for none
     * @param remote         the client's IP address
     */
    private static Classification classify(String envelopeSender, String from, String recipients, String authenticated, String remote) {
        Envelope envelope = new Envelope(Optional.of(EmailAddress.of(envelopeSender)),
            Arrays.stream(recipients.split(" ")).map(EmailAddress::of).toList(),
            authenticated.equals("-") ? Optional.empty() : Optional.of(authenticated), Optional.of(remote));
        MessageSummary mail = new MessageSummary(envelope, Optional.of(EmailAddress.of(from)), MessageHeaders.builder().build(), false);
        return new Classifier().classify(mail, "company.example"::equals, SETTINGS);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "forged From of an employee from outside|attacker@evil.example|alice@company.example|crm@company.example|-|203.0.113.9",
        "employee envelope, not authenticated, untrusted network|alice@company.example|alice@company.example|crm@company.example|-|203.0.113.9",
        "employee envelope, next to a trusted network|alice@company.example|alice@company.example|crm@company.example|-|10.2.0.1",
        "authenticated, but an outside envelope sender|attacker@evil.example|alice@company.example|crm@company.example|mallory|203.0.113.9",
        "forged Bcc of a mail to a client|attacker@evil.example|alice@company.example|carol@client.example crm@company.example|-|203.0.113.9",
        "forged save beside a real employee recipient|attacker@evil.example|alice@company.example|bob@company.example crm@company.example|-|203.0.113.9",
        "an outsider writing to the capture address alone|carol@client.example|carol@client.example|crm@company.example|-|203.0.113.9",
    })
    void aSaveNotSubmittedByAKnownEmployeeShouldBeRefusedWithoutAnswer(String title, String envelopeSender, String from,
                                                                      String recipients, String authenticated, String remote) {
        Classification classification = classify(envelopeSender, from, recipients, authenticated, remote);

        assertThat(classification.capturable()).isFalse();
        assertThat(classification.exclusion().orElseThrow().reason()).isEqualTo(ReasonCode.MANUAL_SAVE_UNAUTHENTICATED);
        assertThat(classification.exclusion().orElseThrow().detail()).contains(envelopeSender);
        assertThat(classification.manualSave()).as("no employee asked: nobody is answered").isFalse();
        assertThat(classification.mailbox()).as("credited to nobody").isEmpty();
        assertThat(classification.clients()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "authenticated employee|alice@company.example|crm@company.example|alice@company.example|203.0.113.9|MANUAL_FORWARD",
        "employee on a trusted IPv4 network|alice@company.example|crm@company.example|-|10.1.20.30|MANUAL_FORWARD",
        "employee on a trusted IPv6 network|alice@company.example|crm@company.example|-|2001:db8:0:0:0:0:0:7|MANUAL_FORWARD",
        "authenticated employee, Bcc of a mail to a client|alice@company.example|carol@client.example crm@company.example|alice@company.example|203.0.113.9|OUTBOUND",
    })
    void aSaveSubmittedByAKnownEmployeeShouldGoOn(String title, String employee, String recipients, String authenticated, String remote,
                                                  Direction direction) {
        Classification classification = classify(employee, employee, recipients, authenticated, remote);

        assertThat(classification.capturable()).isTrue();
        assertThat(classification.manualSave()).isTrue();
        assertThat(classification.direction()).isEqualTo(direction);
        assertThat(classification.mailbox()).contains(EmailAddress.of(employee));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "a client copying the capture address on a mail to an employee|carol@client.example|alice@company.example crm@company.example",
    })
    void aClientsOwnMailToAnEmployeeShouldStayAnOrdinaryCapture(String title, String client, String recipients) {
        Classification classification = classify(client, client, recipients, "-", "203.0.113.9");

        assertThat(classification.capturable()).isTrue();
        assertThat(classification.manualSave()).isFalse();
        assertThat(classification.direction()).isEqualTo(Direction.INBOUND);
        assertThat(classification.mailbox()).contains(EmailAddress.of("alice@company.example"));
        assertThat(classification.clients()).containsExactly(EmailAddress.of(client));
        assertThat(List.of(classification.employees())).isNotEmpty();
    }
}

package org.jamescrm.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jamescrm.capture.ScrubbedConnector;
import org.jamescrm.emulator.Fault;
import org.jamescrm.emulator.salesforce.SalesforceEmulator;
import org.jamescrm.emulator.salesforce.SalesforceEmulatorExtension;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.spi.ConnectorContext;
import org.jamescrm.spi.CrmConnector;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmLookup;
import org.jamescrm.spi.NewLead;
import org.jamescrm.spi.WritePlan;
import org.jamescrm.spi.WriteResult;
import org.jamescrm.testing.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An org (or a proxy in front of it) whose error text echoes the request's credentials: the Salesforce connector as
 * the product opens it (provider, settings, scrubber) lets neither the client secret, nor the private key, nor the
 * access token out.
 */
class SalesforceSecretsEchoTest {
    static final String SECRET = "echo-client-secret-5e4d3c2b";

    @RegisterExtension
    static SalesforceEmulatorExtension salesforce = new SalesforceEmulatorExtension(SalesforceEmulator.builder().clientSecret(SECRET));

    private static CrmConnector opened(String credentials) {
        SalesforceEmulator org = salesforce.emulator();
        return ScrubbedConnector.open(Settings.of("<connector>salesforce</connector><salesforce><loginUrl>" + org.loginUrl()
            + "</loginUrl><clientId>" + org.clientId() + "</clientId>" + credentials + "</salesforce>").connector(),
            new ConnectorContext(Clock.systemUTC()));
    }

    @Test
    void aClientSecretEchoedByTheTokenEndpointShouldNeverLeaveTheConnector() {
        salesforce.emulator().faults().next(1, Fault.response(500, "application/json", "{\"error\":\"server_error\",\"error_description\":"
            + "\"client_secret=" + SECRET + " " + SECRET + "\"}"));
        CrmConnector connector = opened("<clientSecret>" + SECRET + "</clientSecret>");

        assertThatThrownBy(connector::checkConnection).isInstanceOf(CrmException.class)
            .satisfies(failure -> assertThat(everyMessage(failure)).doesNotContain(SECRET));
    }

    @Test
    void theAccessTokenAndThePrivateKeyEchoedInARefusedWriteShouldNeverLeaveTheConnector() throws CrmException {
        SalesforceEmulator org = salesforce.emulator();
        String pem = org.privateKeyPem();
        String keyLine = pem.lines().toList().get(3);
        CrmConnector connector = opened("<username>" + org.username() + "</username><privateKey>" + pem + "</privateKey>");
        connector.lookUp(new CrmLookup(Set.of("<k@x>"), Set.of(), Set.of(), Set.of(), Set.of()));
        org.faults().everyMatching(request -> request.operation().equals("collections create"), SalesforceEmulator.echoingFault(keyLine));
        WritePlan plan = new WritePlan("<s@x>", List.of(new NewLead("Quote", "Carol", EmailAddress.of("carol@client.example"), "EMAIL",
            Optional.empty(), false, "<s@x>")), SalesforceMail.incoming("<s@x>"));

        WriteResult result = connector.write(List.of(plan)).get(0);

        assertThat(result).isInstanceOfSatisfying(WriteResult.Failed.class,
            failed -> assertThat(everyMessage(failed.cause())).doesNotContain(keyLine, "00Dxx0000001gPL!").contains("UNKNOWN_EXCEPTION"));
    }

    /** The messages of a failure and of all its causes, as a log line with its stack trace would show them. */
    private static String everyMessage(Throwable failure) {
        List<String> messages = new ArrayList<>();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            messages.add(String.valueOf(cause.getMessage()));
            messages.add(cause.toString());
        }
        return String.join("\n", messages);
    }
}

package org.jamescrm.espocrm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jamescrm.testing.Failures.everyMessage;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jamescrm.capture.ScrubbedConnector;
import org.jamescrm.emulator.Fault;
import org.jamescrm.emulator.espocrm.EspoCrmEmulator;
import org.jamescrm.emulator.espocrm.EspoCrmEmulatorExtension;
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
 * A site (or the proxy in front of it) whose error text echoes the request's credentials: the EspoCRM
 * connector as the product opens it (provider, settings, scrubber) lets neither key out.
 */
class EspoCrmSecretsEchoTest {
    static final String API_KEY = "echo-api-key-5e4d3c2b";
    static final String SECRET_KEY = "echo-secret-key-9a8b7c6d";

    @RegisterExtension
    static EspoCrmEmulatorExtension espo = new EspoCrmEmulatorExtension(EspoCrmEmulator.builder().apiKey(API_KEY).hmac(SECRET_KEY));

    private static CrmConnector opened(String keys) {
        return ScrubbedConnector.open(Settings.of("<connector>espocrm</connector><espocrm><url>" + espo.emulator().baseUrl()
            + "</url>" + keys + "</espocrm>").connector(), new ConnectorContext(Clock.systemUTC()));
    }

    private static String echo(String what) {
        return "\"cannot serve request " + what.replace("\"", "'") + "\"";
    }

    @Test
    void anApiKeyEchoedByTheSiteShouldNeverLeaveTheConnector() {
        espo.emulator().faults().next(3, Fault.response(500, "application/json", echo("GET /api/v1/App/user X-Api-Key: " + API_KEY
            + " key " + API_KEY)));
        CrmConnector connector = opened("<apiKey>" + API_KEY + "</apiKey>");

        assertThatThrownBy(connector::checkConnection).isInstanceOf(CrmException.class)
            .satisfies(failure -> assertThat(everyMessage(failure)).doesNotContain(API_KEY));
        assertThatThrownBy(() -> connector.lookUp(new CrmLookup(Set.of("<k@x>"), Set.of(), Set.of(), Set.of(), Set.of())))
            .satisfies(failure -> assertThat(everyMessage(failure)).doesNotContain(API_KEY));
    }

    @Test
    void hmacKeysEchoedInARefusedWriteShouldNeverLeaveTheConnector() {
        espo.emulator().faults().everyMatching(request -> request.httpMethod().equals("POST"),
            Fault.response(400, "application/json", echo("apiKey=" + API_KEY + "&secretKey=" + SECRET_KEY + " " + SECRET_KEY)));
        CrmConnector connector = opened("<apiKey>" + API_KEY + "</apiKey><secretKey>" + SECRET_KEY + "</secretKey>");
        WritePlan plan = new WritePlan("<s@x>", List.of(new NewLead("Quote", "Carol", EmailAddress.of("carol@client.example"), "EMAIL",
            Optional.empty(), false, "<s@x>")), ContractActivity.incoming("<s@x>"));

        WriteResult result = connector.write(List.of(plan)).get(0);

        assertThat(result).isInstanceOfSatisfying(WriteResult.Failed.class,
            failed -> assertThat(everyMessage(failed.cause())).doesNotContain(API_KEY, SECRET_KEY).contains("answered 400"));
    }
}

package org.jamescrm.zoho;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jamescrm.testing.Failures.everyMessage;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jamescrm.capture.ScrubbedConnector;
import org.jamescrm.emulator.Fault;
import org.jamescrm.emulator.zoho.ZohoEmulator;
import org.jamescrm.emulator.zoho.ZohoEmulatorExtension;
import org.jamescrm.spi.ConnectorContext;
import org.jamescrm.spi.CrmConnector;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmLookup;
import org.jamescrm.spi.WriteResult;
import org.jamescrm.testing.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An accounts host or API whose error text echoes the request's credentials: the Zoho connector as the
 * product opens it (provider, settings, scrubber) lets neither the client secret, the refresh token nor
 * an access token out.
 */
class ZohoSecretsEchoTest {
    static final String SECRET = "echo-client-secret-5e4d3c2b";
    static final String REFRESH = "1000.echo-refresh-token-9a8b7c6d";

    @RegisterExtension
    static ZohoEmulatorExtension zoho = new ZohoEmulatorExtension(ZohoEmulator.builder().selfClient("1000.ECHO", SECRET, REFRESH));

    private static CrmConnector opened() {
        return ScrubbedConnector.open(Settings.of("<connector>zoho</connector><zoho><dataCentre>US</dataCentre><clientId>1000.ECHO</clientId>"
            + "<clientSecret>" + SECRET + "</clientSecret><refreshToken>" + REFRESH + "</refreshToken><accountsUrl>" + zoho.emulator().accountsUrl()
            + "</accountsUrl></zoho>").connector(), new ConnectorContext(Clock.systemUTC()));
    }

    @Test
    void aTokenRequestEchoedByTheAccountsHostShouldNeverLeaveTheConnector() {
        zoho.emulator().faults().nextMatching(1, request -> request.path().startsWith("/accounts/"), Fault.response(200, "application/json",
            "{\"error\":\"grant_type=refresh_token&client_secret=" + SECRET + "&refresh_token=" + REFRESH + " " + REFRESH + "\"}"));

        assertThatThrownBy(opened()::checkConnection).isInstanceOf(CrmException.class)
            .satisfies(failure -> assertThat(everyMessage(failure)).doesNotContain(SECRET, REFRESH).contains("refused a new access token"));
    }

    @Test
    void anAccessTokenEchoedByTheApiShouldNeverLeaveTheConnector() throws Exception {
        CrmConnector connector = opened();
        connector.checkConnection();
        zoho.emulator().faults().everyMatching(request -> request.path().startsWith("/crm/"), Fault.response(400, "application/json",
            "{\"code\":\"INVALID_DATA\",\"details\":{},\"message\":\"bad request Authorization: " + "Zoho-oauthtoken "
                + "1000.abcdef0123456789 " + SECRET + "\",\"status\":\"error\"}"));

        assertThatThrownBy(() -> connector.lookUp(new CrmLookup(Set.of("<k@x>"), Set.of(), Set.of(ZohoMail.CAROL), Set.of(), Set.of())))
            .satisfies(failure -> assertThat(everyMessage(failure)).doesNotContain(SECRET, "1000.abcdef0123456789"));
        WriteResult result = connector.write(List.of(ZohoMail.newLead("<s@x>", ZohoMail.CAROL, "EMAIL"))).get(0);
        assertThat(result).isInstanceOfSatisfying(WriteResult.Failed.class,
            failed -> assertThat(everyMessage(failed.cause())).doesNotContain(SECRET, "1000.abcdef0123456789").contains("INVALID_DATA"));
    }
}

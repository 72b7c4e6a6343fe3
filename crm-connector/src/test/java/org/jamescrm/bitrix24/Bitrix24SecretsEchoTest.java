package org.jamescrm.bitrix24;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jamescrm.testing.Failures.everyMessage;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.Set;

import org.jamescrm.capture.ScrubbedConnector;
import org.jamescrm.emulator.Fault;
import org.jamescrm.emulator.bitrix24.Bitrix24Emulator;
import org.jamescrm.emulator.bitrix24.Bitrix24EmulatorExtension;
import org.jamescrm.spi.ConnectorContext;
import org.jamescrm.spi.CrmConnector;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmLookup;
import org.jamescrm.testing.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A portal whose error text echoes the request that carried the secrets: the Bitrix24 connector as
 * the product opens it (provider, settings, scrubber) lets none of them out, whatever it answers.
 */
class Bitrix24SecretsEchoTest {
    static final String CLIENT_SECRET = "app-secret-8d7f6e5c";
    static final String REFRESH_TOKEN = "refresh-4b3a2918";

    @RegisterExtension
    static Bitrix24EmulatorExtension b24 = new Bitrix24EmulatorExtension(
        Bitrix24Emulator.builder().oauth("app.client", CLIENT_SECRET, REFRESH_TOKEN));

    private static CrmConnector opened(String authElement) {
        return ScrubbedConnector.open(Settings.of("<connector>bitrix24</connector><bitrix24><portal>" + b24.emulator().portalUrl()
            + "</portal>" + authElement + "</bitrix24>").connector(), new ConnectorContext(Clock.systemUTC()));
    }

    private static String echo(String what) {
        return "{\"error\":\"INVALID_REQUEST\",\"error_description\":\"cannot serve " + what.replace("\"", "'") + "\"}";
    }

    @Test
    void aWebhookPathEchoedByThePortalShouldNeverLeaveTheConnector() {
        Bitrix24Emulator portal = b24.emulator();
        String code = portal.webhookCode();
        String path = "/rest/" + portal.webhookUserId() + "/" + code + "/crm.settings.mode.get";
        portal.faults().next(3, Fault.response(400, "application/json", echo("POST " + path + " with auth " + code)));
        CrmConnector connector = opened("<webhook user=\"" + portal.webhookUserId() + "\" code=\"" + code + "\"/>");

        assertThatThrownBy(connector::checkConnection).isInstanceOf(CrmException.class)
            .satisfies(failure -> assertThat(everyMessage(failure)).doesNotContain(code));
        assertThatThrownBy(() -> connector.lookUp(new CrmLookup(Set.of("<k@x>"), Set.of(), Set.of(), Set.of(), Set.of())))
            .satisfies(failure -> assertThat(everyMessage(failure)).doesNotContain(code));
    }

    @Test
    void aTokenRequestEchoedByTheOAuthServerShouldNeverLeaveTheConnector() {
        Bitrix24Emulator portal = b24.emulator();
        portal.expireAccessTokens();
        String form = "grant_type=refresh_token&client_id=app.client&client_secret=" + CLIENT_SECRET + "&refresh_token=" + REFRESH_TOKEN;
        portal.faults().everyMatching(request -> request.path().contains("token"), Fault.response(400, "application/json", echo(form)));
        CrmConnector connector = opened("<oauth clientId=\"app.client\" clientSecret=\"" + CLIENT_SECRET + "\" refreshToken=\""
            + REFRESH_TOKEN + "\" tokenEndpoint=\"" + portal.tokenEndpoint() + "\"/>");

        assertThatThrownBy(connector::checkConnection).isInstanceOf(CrmException.class)
            .satisfies(failure -> assertThat(everyMessage(failure)).doesNotContain(CLIENT_SECRET, REFRESH_TOKEN));
    }
}

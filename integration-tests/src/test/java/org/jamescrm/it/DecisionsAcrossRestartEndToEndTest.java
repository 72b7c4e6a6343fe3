package org.jamescrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jamescrm.it.ClientMailCaptureEndToEndTest.message;

import java.util.List;

import org.apache.james.GuiceJamesServer;
import org.apache.james.JamesServerExtension;
import org.apache.james.utils.WebAdminGuiceProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The decision search survives a restart of James: the decisions are read back from James's working directory. */
class DecisionsAcrossRestartEndToEndTest {
    static final String ALICE = "alice@company.example";

    @RegisterExtension
    static JamesServerExtension james = InstalledJames.withProductConfiguration().extension();

    @Test
    void aDecisionShouldStillBeFoundAfterARestart(GuiceJamesServer server) throws Exception {
        InstalledJames.Clients clients = InstalledJames.connect(server, ALICE);
        clients.mail().send("carol@client.example", List.of(ALICE), message("carol@client.example", ALICE, "<restart@client.example>", "",
            "Order", "40 chairs."));
        String reason = clients.webAdmin().awaitDecision("<restart@client.example>").path("reason").asText();

        server.stop();
        server.start();

        WebAdminClient restarted = new WebAdminClient(server.getProbe(WebAdminGuiceProbe.class).getWebAdminPort().getValue());
        assertThat(restarted.decisions("<restart@client.example>")).singleElement()
            .satisfies(decision -> assertThat(decision.path("reason").asText()).isEqualTo(reason).isEqualTo("NEW_LEAD"));
    }
}

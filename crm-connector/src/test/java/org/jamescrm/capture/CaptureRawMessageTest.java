package org.jamescrm.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jamescrm.decisions.DecisionLog;
import org.jamescrm.decisions.JsonViews;
import org.jamescrm.memory.MemoryCrmAdmin;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.settings.CaptureSettings;
import org.jamescrm.settings.SettingsParser;
import org.jamescrm.spi.ConnectorProviders;
import org.jamescrm.spi.CrmCapabilities;
import org.jamescrm.spi.CrmConnector;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmLookup;
import org.jamescrm.spi.CrmLookupResult;
import org.jamescrm.spi.WritePlan;
import org.jamescrm.spi.WriteResult;
import org.jamescrm.testing.CaptureRequests;
import org.jamescrm.testing.SteppingClock;
import org.jamescrm.testing.TestMessages;
import org.junit.jupiter.api.Test;

/**
 * The raw message reaches the write plan (for a CRM that imports messages itself) only when the activity
 * keeps the whole message: importing it then stores no more than the settings allow.
 */
class CaptureRawMessageTest {
    static final String MESSAGE = TestMessages.plain("Carol <carol@client.example>", "alice@company.example", "<raw@client.example>", "",
        "Quote", "40 chairs?");

    private static Optional<byte[]> rawOfThePlan(String settingsBody) throws CrmException {
        SteppingClock clock = new SteppingClock(Instant.parse("2026-11-22T09:00:00Z"));
        MemoryCrmAdmin crm = MemoryCrmAdmin.create(clock);
        crm.addUser(EmailAddress.of("alice@company.example"), "Alice Adams");
        CaptureSettings settings = new SettingsParser(ConnectorProviders.load()).parse(new ByteArrayInputStream(
            ("<crmcapture>" + settingsBody + "</crmcapture>").getBytes(StandardCharsets.UTF_8)), "crm-capture.xml");
        List<WritePlan> plans = new ArrayList<>();
        CrmConnector memory = crm.connector();
        CrmConnector recording = new CrmConnector() {
            @Override
            public String name() {
                return memory.name();
            }

            @Override
            public CrmCapabilities capabilities() {
                return memory.capabilities();
            }

            @Override
            public void checkConnection() throws CrmException {
                memory.checkConnection();
            }

            @Override
            public CrmLookupResult lookUp(CrmLookup lookup) throws CrmException {
                return memory.lookUp(lookup);
            }

            @Override
            public List<WriteResult> write(List<WritePlan> round) {
                plans.addAll(round);
                return memory.write(round);
            }
        };
        CaptureService service = new CaptureService(recording, () -> settings, new DecisionLog(10, new JsonViews()), new MissingCrmUsers(),
            clock);
        CaptureRequest request = CaptureRequests.of("carol@client.example", List.of("alice@company.example"), MESSAGE, "company.example",
            settings, clock.instant());
        byte[] raw = MESSAGE.getBytes(StandardCharsets.UTF_8);

        service.capture(new CaptureRequest(request.facts(), request.classification(), request.receivedAt(), Optional.of(() -> raw)));

        assertThat(plans).hasSize(1);
        return plans.get(0).rawMessage().map(supplier -> supplier.get());
    }

    @Test
    void theWholeMessageShouldReachThePlanWhenTheActivityKeepsItAll() throws CrmException {
        assertThat(rawOfThePlan("")).hasValueSatisfying(raw -> assertThat(new String(raw, StandardCharsets.UTF_8)).contains("40 chairs?"));
    }

    @Test
    void noRawMessageShouldReachThePlanWhenOnlyPartOfItIsKept() throws CrmException {
        assertThat(rawOfThePlan("<defaults><body>headers</body></defaults>")).isEmpty();
        assertThat(rawOfThePlan("<defaults><body>text</body></defaults>")).isEmpty();
    }
}

package org.jamescrm.capture;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jamescrm.memory.MemoryCrmAdmin;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.settings.CaptureSettings;
import org.jamescrm.settings.SettingsParser;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmUser;
import org.jamescrm.testing.CaptureRequests;
import org.jamescrm.testing.SteppingClock;
import org.jamescrm.testing.TestMessages;
import org.jamescrm.rules.AcknowledgementMail;
import org.jamescrm.decisions.DecisionRecord;
import org.jamescrm.decisions.DecisionLog;
import org.jamescrm.decisions.JsonViews;
import org.jamescrm.spi.ConnectorProviders;
import org.jamescrm.store.InMemoryRoundRobinPositions;

/**
 * The whole core path as the mail server drives it, without James: classify a raw message with the
 * server domain {@code company.example}, parse it, capture it into a real in-memory CRM.
 */
final class CaptureHarness {
    static final String SERVER_DOMAIN = "company.example";

    final SteppingClock clock = new SteppingClock(Instant.parse("2026-11-22T09:00:00Z"));
    final MemoryCrmAdmin crm = MemoryCrmAdmin.create(clock);
    final DecisionLog decisions = new DecisionLog(1000, new JsonViews());
    final MissingCrmUsers missingUsers = new MissingCrmUsers();
    final CaptureSettings settings;
    final CaptureService service;
    /** The acknowledgements the capture sent, in order. */
    final List<AcknowledgementMail> acknowledgements = new java.util.concurrent.CopyOnWriteArrayList<>();
    final CrmUser alice;
    final CrmUser bob;
    final CrmUser carl;

    CaptureHarness(String settingsBody) {
        settings = new SettingsParser(ConnectorProviders.load()).parse(new ByteArrayInputStream(("<crmcapture>" + settingsBody + "</crmcapture>")
            .getBytes(StandardCharsets.UTF_8)), "crm-capture.xml");
        service = new CaptureService(crm.connector(), () -> settings, decisions, missingUsers, new InMemoryRoundRobinPositions(),
            CaptureMetrics.NONE, clock, acknowledgements::add);
        alice = crm.addUser(EmailAddress.of("alice@company.example"), "Alice Adams");
        bob = crm.addUser(EmailAddress.of("bob@company.example"), "Bob Brown");
        carl = crm.addUser(EmailAddress.of("carl@company.example"), "Carl Clark");
    }

    /** The capture request the queue would hand over for a capturable message (classified, parsed). */
    CaptureRequest request(String sender, List<String> recipients, String message) {
        return CaptureRequests.of(sender, recipients, message, SERVER_DOMAIN, settings, clock.instant());
    }

    /** Delivers a message through classification and capture, as the mailet and the queue do. */
    DecisionRecord deliver(String sender, List<String> recipients, String message) {
        try {
            clock.step(Duration.ofMinutes(1));
            CaptureRequest request = new ManualSaveRequests().resolve(request(sender, recipients, message), SERVER_DOMAIN::equals, settings);
            if (!request.classification().capturable()) {
                return service.recordExclusion(request.facts().messageId(), request.facts().captureKey(),
                    request.facts().from().map(party -> party.address()), request.classification());
            }
            clock.step(Duration.ofSeconds(2)); // the capture queue runs a little after the receipt
            return service.capture(request);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CrmException e) {
            throw new AssertionError("the in-memory CRM does not fail", e);
        }
    }

    /** A plain message; {@code extra} are more header lines, each ending in CRLF. */
    static String message(String from, String to, String messageId, String subject, String extra) {
        return TestMessages.plain(from, to, messageId, extra, subject, "Hello.");
    }
}

package org.jamescrm.james.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.settings.SettingsParser;
import org.jamescrm.testing.SteppingClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jamescrm.spi.ConnectorProviders;

/** CRM administrators toggle options by editing crm-capture.xml; James picks the change up without a restart. */
class CaptureSettingsSourceTest {
    static final EmailAddress ALICE = EmailAddress.of("alice@company.example");

    @TempDir
    Path conf;
    Path file;
    SteppingClock clock = new SteppingClock(Instant.parse("2026-11-22T10:00:00Z"));
    CaptureSettingsSource source;

    @BeforeEach
    void setUp() throws Exception {
        file = conf.resolve("crm-capture.xml");
        write("<crmcapture/>", 1);
        source = new CaptureSettingsSource(file, new SettingsParser(ConnectorProviders.load()), clock);
    }

    private void write(String content, long second) throws Exception {
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-11-22T00:00:00Z").plusSeconds(second)));
    }

    @Test
    void aChangedFileShouldBeInForceAfterTheCheckInterval() throws Exception {
        write("<crmcapture><mailbox address=\"alice@company.example\"><integration>off</integration></mailbox></crmcapture>", 2);

        assertThat(source.current().forMailbox(ALICE).integration()).as("before the check interval").isTrue();
        clock.step(CaptureSettingsSource.CHECK_INTERVAL);
        assertThat(source.current().forMailbox(ALICE).integration()).isFalse();
        assertThat(source.refusedChange()).isEmpty();
    }

    @Test
    void anInvalidChangeShouldBeRefusedAndTheSettingsInForceKept() throws Exception {
        write("<crmcapture><defaults><integration>maybe</integration></defaults></crmcapture>", 2);
        clock.step(CaptureSettingsSource.CHECK_INTERVAL);

        assertThat(source.current().forMailbox(ALICE).integration()).isTrue();
        assertThat(source.refusedChange()).contains(file + ": key 'defaults.integration' has value 'maybe'; allowed values: on, off");

        write("<crmcapture><defaults><integration>off</integration></defaults></crmcapture>", 3);
        clock.step(CaptureSettingsSource.CHECK_INTERVAL);
        assertThat(source.current().forMailbox(ALICE).integration()).isFalse();
        assertThat(source.refusedChange()).isEmpty();
    }

    @Test
    void aRefusedChangeShouldShowWithoutAnyMailOnceWatched() throws Exception {
        java.util.concurrent.ScheduledExecutorService scheduler = org.mockito.Mockito.mock(java.util.concurrent.ScheduledExecutorService.class);
        org.mockito.ArgumentCaptor<Runnable> look = org.mockito.ArgumentCaptor.forClass(Runnable.class);
        source.watch(scheduler);
        org.mockito.Mockito.verify(scheduler).scheduleWithFixedDelay(look.capture(), org.mockito.Mockito.eq(2000L),
            org.mockito.Mockito.eq(2000L), org.mockito.Mockito.eq(java.util.concurrent.TimeUnit.MILLISECONDS));

        write("<crmcapture><defaults><integration>maybe</integration></defaults></crmcapture>", 2);
        clock.step(CaptureSettingsSource.CHECK_INTERVAL);
        look.getValue().run();

        assertThat(source.refusedChange()).hasValueSatisfying(refusal -> assertThat(refusal).contains("key 'defaults.integration'"));
        source.close();
        org.mockito.Mockito.verify(scheduler).shutdownNow();
    }
}

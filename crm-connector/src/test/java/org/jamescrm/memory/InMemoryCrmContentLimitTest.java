package org.jamescrm.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jamescrm.model.AttachmentInfo;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.model.MailParty;
import org.jamescrm.spi.ActivityDirection;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.NewEmailActivity;
import org.jamescrm.spi.NewLead;
import org.junit.jupiter.api.Test;

/**
 * The in-memory CRM keeps its memory bounded however much mail it takes: past its content limit the
 * oldest contents are dropped and marked, every record kept.
 */
class InMemoryCrmContentLimitTest {
    static final int KB = 1024;

    private static NewEmailActivity mail(int n, ItemRef lead, int attachmentBytes, int bodyChars) {
        return new NewEmailActivity(ActivityDirection.INCOMING, "Offer " + n, MailParty.of("carol@client.example", "Carol"),
            List.of(MailParty.of(EmailAddress.of("alice@company.example"))), List.of(), "x".repeat(bodyChars), Optional.empty(),
            attachmentBytes == 0 ? List.of() : List.of(new AttachmentInfo("offer-" + n + ".pdf", "application/pdf", attachmentBytes,
                new byte[attachmentBytes])),
            List.of(lead), Optional.empty(), false, Optional.empty(), Instant.parse("2026-11-22T09:00:00Z"),
            Instant.parse("2026-11-22T09:00:01Z"), Optional.of("<" + n + "@client.example>"), "<" + n + "@client.example>",
            List.of(EmailAddress.of("carol@client.example")));
    }

    private static InMemoryCrm crm(long limit) {
        return new InMemoryCrm(Clock.systemUTC(), List.of(), limit);
    }

    @Test
    void theOldestAttachmentsShouldBeDroppedFirstAndEveryRecordKept() throws Exception {
        InMemoryCrm crm = crm(1024 * KB);
        ItemRef lead = crm.createLead(new NewLead("Offer", "Carol", EmailAddress.of("carol@client.example"), "EMAIL", Optional.empty(),
            false, "<0@client.example>"));

        for (int n = 1; n <= 30; n++) {
            crm.createEmailActivity(mail(n, lead, 100 * KB, 100));
        }

        List<MemoryRecords.Activity> activities = new MemoryCrmAdmin(crm).activities();
        assertThat(activities).hasSize(30);
        assertThat(crm.store().contentBytes()).isLessThanOrEqualTo(1024 * KB);
        assertThat(activities.get(0).contentDropped()).isTrue();
        assertThat(activities.get(0).email().attachments()).singleElement().satisfies(attachment -> {
            assertThat(attachment.fileName()).isEqualTo("offer-1.pdf");
            assertThat(attachment.size()).isEqualTo(100 * KB);
            assertThat(attachment.hasContent()).isFalse();
        });
        assertThat(activities.get(0).email().textBody()).as("bodies go only after every attachment").isEqualTo("x".repeat(100));
        assertThat(activities.get(29).contentDropped()).isFalse();
        assertThat(activities.get(29).email().attachments().get(0).hasContent()).isTrue();
    }

    @Test
    void bodiesShouldBeDroppedWhenAttachmentsAloneDoNotBringTheStoreWithinItsLimit() throws Exception {
        InMemoryCrm crm = crm(100 * KB);
        ItemRef lead = crm.createLead(new NewLead("Offer", "Carol", EmailAddress.of("carol@client.example"), "EMAIL", Optional.empty(),
            false, "<0@client.example>"));

        for (int n = 1; n <= 20; n++) {
            crm.createEmailActivity(mail(n, lead, 0, 10 * KB));
        }

        List<MemoryRecords.Activity> activities = new MemoryCrmAdmin(crm).activities();
        assertThat(activities).hasSize(20);
        assertThat(crm.store().contentBytes()).isLessThanOrEqualTo(100 * KB);
        assertThat(activities.get(0).email().textBody()).isEqualTo(MemoryRecords.DROPPED_BODY);
        assertThat(activities.get(0).email().subject()).isEqualTo("Offer 1");
        assertThat(activities.get(19).email().textBody()).hasSize(10 * KB);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> view = (List<Map<String, Object>>) crm.view().get("activities");
        assertThat(view.get(0)).containsEntry("contentDropped", true);
        assertThat(view.get(19)).containsEntry("contentDropped", false);
    }
}

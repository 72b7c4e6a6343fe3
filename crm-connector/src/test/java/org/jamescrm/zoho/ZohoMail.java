package org.jamescrm.zoho;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jamescrm.model.AttachmentInfo;
import org.jamescrm.model.EmailAddress;
import org.jamescrm.model.MailParty;
import org.jamescrm.model.SafeHtml;
import org.jamescrm.spi.ActivityDirection;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.NewEmailActivity;
import org.jamescrm.spi.NewLead;
import org.jamescrm.spi.WritePlan;

/** Carol's mail to Alice, as the Zoho tests write it. */
final class ZohoMail {
    static final EmailAddress CAROL = EmailAddress.of("carol@client.example");
    static final EmailAddress ALICE = EmailAddress.of("alice@company.example");

    private ZohoMail() {
    }

    static NewEmailActivity activity(ActivityDirection direction, String key, String subject, List<AttachmentInfo> attachments,
                                     ItemRef... bindings) {
        boolean outgoing = direction == ActivityDirection.OUTGOING;
        MailParty carol = MailParty.of(CAROL.value(), "Carol Client");
        MailParty alice = MailParty.of(ALICE.value(), "Alice Adams");
        return new NewEmailActivity(direction, subject, outgoing ? alice : carol, List.of(outgoing ? carol : alice), List.of(),
            "Hello", Optional.of(SafeHtml.sanitize("<p>Hello</p><script>alert(1)</script>")), attachments, List.of(bindings), Optional.empty(), outgoing,
            Optional.of(Instant.parse("2026-11-22T07:15:00.123Z")), Instant.parse("2026-11-22T09:00:00Z"), Instant.parse("2026-11-22T09:00:02Z"),
            Optional.of(key), key, List.of(CAROL));
    }

    static NewEmailActivity incoming(String key, ItemRef... bindings) {
        return activity(ActivityDirection.INCOMING, key, "Quote", List.of(), bindings);
    }

    /** A new client's lead and its mail. */
    static WritePlan newLead(String key, EmailAddress client, String source) {
        return new WritePlan(key, List.of(new NewLead("Quote", "Carol Client", client, source, Optional.empty(), false, key)), incoming(key));
    }
}

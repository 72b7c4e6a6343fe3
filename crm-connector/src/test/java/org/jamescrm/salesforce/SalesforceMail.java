package org.jamescrm.salesforce;

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

/** Carol's mail to Alice, as the Salesforce tests write it. */
final class SalesforceMail {
    static final EmailAddress CAROL = EmailAddress.of("carol@client.example");
    static final EmailAddress ALICE = EmailAddress.of("alice@company.example");

    private SalesforceMail() {
    }

    static NewEmailActivity incoming(String key, ItemRef... bindings) {
        return activity(ActivityDirection.INCOMING, key, "Hello", List.of(), bindings);
    }

    static NewEmailActivity activity(ActivityDirection direction, String key, String text, List<AttachmentInfo> attachments,
                                     ItemRef... bindings) {
        boolean outgoing = direction == ActivityDirection.OUTGOING;
        MailParty carol = MailParty.of(CAROL.value(), "Carol Client");
        MailParty alice = MailParty.of(ALICE.value(), "Alice Adams");
        return new NewEmailActivity(direction, "Quote", outgoing ? alice : carol, List.of(outgoing ? carol : alice), List.of(), text,
            Optional.of(SafeHtml.sanitize("<p>" + text + "</p><script>alert(1)</script>")), attachments, List.of(bindings), Optional.empty(), outgoing,
            Optional.of(Instant.parse("2026-11-22T07:15:00Z")), Instant.parse("2026-11-22T09:00:00Z"), Instant.parse("2026-11-22T09:00:02Z"),
            Optional.of(key), key, List.of(CAROL));
    }
}

package org.jamescrm.spi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.model.MailParty;
import org.jamescrm.model.SafeHtml;

/** The parties and the mail of the connector contracts: Carol the client writing to Alice the employee. */
final class ContractMail {
    static final EmailAddress CAROL = EmailAddress.of("carol@client.example");
    static final EmailAddress ALICE = EmailAddress.of("alice@company.example");

    private ContractMail() {
    }

    /** Carol's mail to Alice as an e-mail activity with the capture key {@code key}. */
    static NewEmailActivity activity(ActivityDirection direction, List<ItemRef> bindings, Optional<String> responsible, String key,
                                     boolean completed) {
        return new NewEmailActivity(direction, "Quote", MailParty.of("carol@client.example", "Carol Client"),
            List.of(MailParty.of(ALICE)), List.of(), "Hello", Optional.of(SafeHtml.sanitize("<p>Hello</p>")), List.of(), bindings, responsible,
            completed, Optional.of(Instant.parse("2026-11-22T07:15:00Z")), Instant.parse("2026-11-22T09:00:00Z"),
            Instant.parse("2026-11-22T09:00:02Z"), Optional.of(key), key, List.of(CAROL));
    }
}

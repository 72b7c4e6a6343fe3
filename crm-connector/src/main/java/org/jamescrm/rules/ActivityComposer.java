package org.jamescrm.rules;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jamescrm.model.AttachmentInfo;
import org.jamescrm.model.MailParty;
import org.jamescrm.model.MessageFacts;
import org.jamescrm.model.SafeHtml;
import org.jamescrm.settings.MailboxSettings;
import org.jamescrm.spi.ActivityDirection;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.NewEmailActivity;

/**
 * Turns a captured message into the CRM e-mail activity (capture-rules §5): direction, the three
 * times, the body as the mailbox's body mode allows, attachments within the size limit. Pure.
 */
public final class ActivityComposer {

    /**
     * @param facts          the parsed message
     * @param classification its classification (capturable)
     * @param bindings       every item the activity belongs to
     * @param responsibleId  the responsible of the item it is attached to
     * @param settings       the mailbox's settings
     * @param receivedAt     when the mail server received the mail
     * @param capturedAt     now
     */
    public NewEmailActivity compose(MessageFacts facts, Classification classification, List<ItemRef> bindings,
                                    Optional<String> responsibleId, MailboxSettings settings, Instant receivedAt, Instant capturedAt) {
        boolean outgoing = classification.direction() == Direction.OUTBOUND;
        MailParty from = facts.from().orElseGet(() -> MailParty.of(outgoing
            ? classification.mailbox().orElseThrow()
            : classification.clients().get(0)));
        String text = switch (settings.body()) {
            case FULL, TEXT -> facts.textBody();
            case HEADERS -> "";
        };
        Optional<SafeHtml> html = switch (settings.body()) {
            case FULL -> facts.htmlBody();
            case TEXT, HEADERS -> Optional.empty();
        };
        List<AttachmentInfo> attachments = switch (settings.body()) {
            case FULL -> facts.attachments().stream()
                .map(attachment -> attachment.size() > settings.attachmentLimitBytes() ? attachment.withoutContent() : attachment)
                .toList();
            case TEXT -> facts.attachments().stream().map(AttachmentInfo::withoutContent).toList();
            case HEADERS -> List.of();
        };
        return new NewEmailActivity(
            outgoing ? ActivityDirection.OUTGOING : ActivityDirection.INCOMING,
            facts.subject(),
            from,
            facts.to(),
            facts.cc(),
            text,
            html,
            attachments,
            bindings,
            responsibleId,
            outgoing, // outgoing mail is done; an incoming one stays open even when answered (§5)
            facts.sentAt(),
            receivedAt,
            capturedAt,
            facts.messageId(),
            facts.captureKey(),
            classification.clients());
    }
}

package org.jamescrm.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.model.MessageFacts;
import org.jamescrm.settings.GroupSettings;
import org.jamescrm.settings.MailboxSettings;
import org.jamescrm.settings.NewThreadMode;
import org.jamescrm.spi.ClientRecord;
import org.jamescrm.spi.ItemRef;
import org.jamescrm.spi.ItemType;
import org.jamescrm.spi.NewCase;
import org.jamescrm.spi.NewContact;
import org.jamescrm.spi.NewItem;
import org.jamescrm.spi.NewLead;

/**
 * What the first client mail of a new thread to a group mailbox creates (capture-rules §8): a case
 * (e-mail-to-case) or a lead, assigned by the group's distribution rule. Only incoming mail opens
 * anything; an employee writing first from the group address follows the mailbox's usual rules.
 * Pure, like the rest of the linking rules.
 */
final class GroupThreads {
    /** The longest case description taken from the mail's text; the whole mail is on the activity. */
    static final int DESCRIPTION_LIMIT = 4_000;

    private GroupThreads() {
    }

    /** The decision for a new thread, when {@code settings} are a group's whose new threads create something. */
    static Optional<CaptureDecision> newThread(MessageFacts facts, Classification classification, CrmSnapshot snapshot,
                                               MailboxSettings settings) {
        Optional<GroupSettings> group = settings.group();
        if (group.isEmpty() || group.get().newThread() == NewThreadMode.DEFAULTS
            || classification.direction() != Direction.INBOUND || classification.clients().isEmpty()) {
            return Optional.empty();
        }
        EmailAddress client = classification.clients().get(0);
        ClientRecord record = snapshot.client(client);
        Distribution.Pick pick = Distribution.pick(settings, classification, snapshot);
        String mailbox = classification.mailbox().map(EmailAddress::value).orElse("the group mailbox");
        List<ItemRef> contactsAndCompanies = LinkingRules.contactsAndCompanies(record);
        if (group.get().newThread() == NewThreadMode.LEAD) {
            NewLead lead = LinkingRules.newLead(client, facts, settings, pick.responsibleId(), !record.isUnknown(), contactsAndCompanies);
            return Optional.of(new CaptureDecision(ReasonCode.GROUP_LEAD, "new thread from " + client + " to " + mailbox
                + ", whose new threads create leads: new lead", contactsAndCompanies, List.of(lead), pick.responsibleId(),
                ReasonCode.GROUP_LEAD.name(), pick.tookTurn()));
        }
        List<ItemRef> clientItems = new ArrayList<>(contactsAndCompanies);
        if (clientItems.isEmpty()) {
            LinkingRules.openOrMostRecentLead(record).ifPresent(lead -> clientItems.add(new ItemRef(ItemType.LEAD, lead.id())));
        }
        List<NewItem> creations = new ArrayList<>();
        String created = "";
        if (record.isUnknown() && settings.createLeadForIncoming()) {
            if (settings.leadless()) {
                creations.add(new NewContact(LinkingRules.name(client, facts), client, pick.responsibleId(), facts.captureKey()));
                created = " and a new contact";
            } else {
                creations.add(LinkingRules.newLead(client, facts, settings, pick.responsibleId(), false, List.of()));
                created = " and a new lead";
            }
        }
        creations.add(new NewCase(LinkingRules.title(client, facts), description(facts), client, clientItems, pick.responsibleId(),
            facts.captureKey()));
        return Optional.of(new CaptureDecision(ReasonCode.NEW_CASE, "new thread from " + client + " to " + mailbox
            + ", which opens cases: new case" + created + pick.responsibleId().map(id -> " for user " + id).orElse(""),
            clientItems, creations, pick.responsibleId(), ReasonCode.NEW_CASE.name(), pick.tookTurn()));
    }

    private static String description(MessageFacts facts) {
        String text = facts.textBody().strip();
        return text.length() <= DESCRIPTION_LIMIT ? text : text.substring(0, DESCRIPTION_LIMIT) + " […]";
    }
}

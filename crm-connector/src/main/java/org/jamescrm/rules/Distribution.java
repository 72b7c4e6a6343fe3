package org.jamescrm.rules;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.jamescrm.settings.DistributionRule;
import org.jamescrm.settings.MailboxSettings;

/**
 * Picks the responsible of a CRM item a captured mail creates (capture-rules §5): the mailbox owner,
 * a fixed employee, the queue in turn, or the queue member with the fewest open items. Pure: the
 * turn and the open-item counts come with the snapshot.
 */
final class Distribution {

    /** The pick, and whether it used up the mailbox's round-robin turn. */
    record Pick(Optional<String> responsibleId, boolean tookTurn) {
    }

    private Distribution() {
    }

    static Pick pick(MailboxSettings settings, Classification classification, CrmSnapshot snapshot) {
        return pick(settings.distribution(), settings, classification, snapshot);
    }

    /** The pick of the queue (route to assigned manager): the rule when it uses the queue, else round robin. */
    static Pick pickFromQueue(MailboxSettings settings, Classification classification, CrmSnapshot snapshot) {
        DistributionRule rule = settings.distribution().usesQueue() ? settings.distribution() : DistributionRule.ROUND_ROBIN;
        return pick(rule, settings, classification, snapshot);
    }

    private static Pick pick(DistributionRule rule, MailboxSettings settings, Classification classification, CrmSnapshot snapshot) {
        return switch (rule) {
            case MAILBOX_OWNER -> new Pick(classification.mailbox().flatMap(snapshot::userId), false);
            case DIRECT -> new Pick(settings.responsible().flatMap(snapshot::userId), false);
            case ROUND_ROBIN -> roundRobin(queueUsers(settings, snapshot), snapshot.turn());
            case LEAST_BUSY -> new Pick(queueUsers(settings, snapshot).stream()
                .min(Comparator.comparing((String id) -> snapshot.openItems().getOrDefault(id, 0))), false);
        };
    }

    private static Pick roundRobin(List<String> queue, long turn) {
        if (queue.isEmpty()) {
            return new Pick(Optional.empty(), false);
        }
        return new Pick(Optional.of(queue.get((int) Math.floorMod(turn, (long) queue.size()))), true);
    }

    /** The CRM user ids of the queue, in queue order; members without a CRM user are skipped. */
    static List<String> queueUsers(MailboxSettings settings, CrmSnapshot snapshot) {
        return settings.queue().stream().map(snapshot::userId).flatMap(Optional::stream).toList();
    }

    /** Whether {@code userId} is one of the queue's members. */
    static boolean inQueue(MailboxSettings settings, CrmSnapshot snapshot, String userId) {
        return queueUsers(settings, snapshot).contains(userId);
    }

}

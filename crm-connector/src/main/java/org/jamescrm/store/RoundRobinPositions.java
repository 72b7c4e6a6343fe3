package org.jamescrm.store;

import org.jamescrm.model.EmailAddress;

/**
 * Where each mailbox's round-robin distribution stands: how many items it has assigned so far. The
 * rules pick queue member {@code position % queue size}; the capture advances the position after it
 * created an item.
 */
public interface RoundRobinPositions {

    /** The mailbox's position; 0 for a mailbox that never assigned anything. */
    long current(EmailAddress mailbox);

    /**
     * Moves the mailbox from {@code from} to the next position, unless another capture (of this or
     * another server) moved it already.
     *
     * @return whether this call moved it: when not, the turn {@code from} was taken by another capture
     */
    boolean advance(EmailAddress mailbox, long from);
}

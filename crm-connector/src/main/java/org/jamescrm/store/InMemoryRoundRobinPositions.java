package org.jamescrm.store;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jamescrm.model.EmailAddress;

/** Round-robin positions in memory: lost when James stops. For tests and the in-memory set-up. */
public final class InMemoryRoundRobinPositions implements RoundRobinPositions {
    private final Map<EmailAddress, Long> positions = new ConcurrentHashMap<>();

    @Override
    public long current(EmailAddress mailbox) {
        return positions.getOrDefault(mailbox, 0L);
    }

    @Override
    public boolean advance(EmailAddress mailbox, long from) {
        return positions.compute(mailbox, (key, position) -> (position == null ? 0 : position) == from ? from + 1 : position) == from + 1;
    }
}

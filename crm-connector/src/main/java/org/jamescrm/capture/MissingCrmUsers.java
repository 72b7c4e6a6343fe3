package org.jamescrm.capture;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jamescrm.model.EmailAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Employees without a CRM user: a configuration error (capture-rules §1) reported clearly, once per
 * address, not on every message. The set is what the status route shows.
 */
public final class MissingCrmUsers {
    private static final Logger LOGGER = LoggerFactory.getLogger(MissingCrmUsers.class);
    private final Set<EmailAddress> reported = ConcurrentHashMap.newKeySet();

    /** Reports {@code employee} unless it was reported before. */
    public void report(EmailAddress employee, String connector) {
        if (reported.add(employee)) {
            LOGGER.warn("Employee {} has no user in the CRM ({}): items created from this mailbox get no responsible. "
                + "Create a CRM user with this e-mail address.", employee, connector);
        }
    }

    /** The employees reported so far. */
    public Set<EmailAddress> employees() {
        return Set.copyOf(reported);
    }
}

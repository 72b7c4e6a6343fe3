package org.jamescrm.settings;

import java.util.Set;

import org.jamescrm.model.EmailAddress;

/**
 * Client addresses and domains whose mail is never captured ({@code <neverLog>}, reason
 * {@code NEVER_LOG}): lawyers, banks, family, competitors.
 *
 * @param addresses never-log addresses
 * @param domains   never-log domains, lower case
 */
public record NeverLog(Set<EmailAddress> addresses, Set<String> domains) {

    public NeverLog {
        addresses = Set.copyOf(addresses);
        domains = Set.copyOf(domains);
    }

    /** Nothing is on the list. */
    public static NeverLog none() {
        return new NeverLog(Set.of(), Set.of());
    }

    /** Whether {@code address} is on the list, itself or by its domain. */
    public boolean contains(EmailAddress address) {
        return addresses.contains(address) || domains.contains(address.domain());
    }
}

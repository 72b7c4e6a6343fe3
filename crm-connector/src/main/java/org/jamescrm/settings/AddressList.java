package org.jamescrm.settings;

import java.util.Set;

import org.jamescrm.model.EmailAddress;

/**
 * Addresses and whole domains, as the settings list them: {@code <internal>} (addresses that belong
 * to the company besides the mail server's own domains: subsidiaries, old domains, outsourced
 * addresses) and {@code <neverLog>} (clients whose mail is never captured: lawyers, banks, family).
 *
 * @param domains   the domains, lower case
 * @param addresses the single addresses
 */
public record AddressList(Set<String> domains, Set<EmailAddress> addresses) {

    public AddressList {
        domains = Set.copyOf(domains);
        addresses = Set.copyOf(addresses);
    }

    /** An empty list. */
    public static AddressList none() {
        return new AddressList(Set.of(), Set.of());
    }

    /** Whether {@code address} is on the list, itself or by its domain. */
    public boolean contains(EmailAddress address) {
        return addresses.contains(address) || domains.contains(address.domain());
    }
}

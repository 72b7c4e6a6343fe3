package org.jamescrm.settings;

import java.util.Set;

import org.jamescrm.model.EmailAddress;

/**
 * Addresses that belong to the company besides the mail server's own domains ({@code <internal>}):
 * subsidiaries, old domains, single outsourced addresses. Mail to or from them is never client mail.
 *
 * @param domains   extra internal domains, lower case
 * @param addresses extra internal addresses
 */
public record InternalAddresses(Set<String> domains, Set<EmailAddress> addresses) {

    public InternalAddresses {
        domains = Set.copyOf(domains);
        addresses = Set.copyOf(addresses);
    }

    /** No extra internal address. */
    public static InternalAddresses none() {
        return new InternalAddresses(Set.of(), Set.of());
    }

    /** Whether the settings declare {@code address} internal. */
    public boolean contains(EmailAddress address) {
        return addresses.contains(address) || domains.contains(address.domain());
    }
}

package org.jamescrm.settings;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.jamescrm.model.EmailAddress;

/**
 * Everything the settings file ({@code conf/crm-capture.xml}) says, validated. Immutable: a changed
 * file gives a new instance.
 *
 * @param connector   {@code <connector>} and the CRM's own element: the CRM that receives captured mail
 * @param internal    {@code <internal>}: extra internal domains and addresses
 * @param neverLog    {@code <neverLog>}: client addresses and domains never captured
 * @param filters     top-level {@code <filter>}: the administrator's global filters
 * @param flood       {@code <flood>}: captures per client address and time window
 * @param defaults    {@code <defaults>}: the settings of every mailbox without its own element
 * @param mailboxes   {@code <mailbox address="...">}: per-mailbox settings, defaults applied
 * @param captureAddress {@code <captureAddress>}: the address employees send, forward or Bcc mail to
 *                    for a manual save (capture-rules §7); never delivered to a mailbox
 * @param trustedNetworks {@code <trustedNetworks>}: networks whose unauthenticated submissions may
 *                    make manual saves (default none: a manual save needs SMTP AUTH)
 * @param store       {@code <store>}: where the capture's state is kept, the server's own ({@code local},
 *                    the default) or a cluster's ({@code postgresql}); read at start only
 */
public record CaptureSettings(
        ConnectorChoice connector,
        AddressList internal,
        AddressList neverLog,
        List<MailFilter> filters,
        FloodLimit flood,
        MailboxSettings defaults,
        Map<EmailAddress, MailboxSettings> mailboxes,
        Optional<EmailAddress> captureAddress,
        TrustedNetworks trustedNetworks,
        StoreSettings store) {

    /** Settings with the local store. */
    public CaptureSettings(ConnectorChoice connector, AddressList internal, AddressList neverLog, List<MailFilter> filters,
                           FloodLimit flood, MailboxSettings defaults, Map<EmailAddress, MailboxSettings> mailboxes,
                           Optional<EmailAddress> captureAddress, TrustedNetworks trustedNetworks) {
        this(connector, internal, neverLog, filters, flood, defaults, mailboxes, captureAddress, trustedNetworks,
            new StoreSettings.Local());
    }

    public CaptureSettings {
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(internal, "internal");
        Objects.requireNonNull(neverLog, "neverLog");
        filters = List.copyOf(filters);
        Objects.requireNonNull(flood, "flood");
        Objects.requireNonNull(defaults, "defaults");
        mailboxes = Map.copyOf(mailboxes);
        Objects.requireNonNull(captureAddress, "captureAddress");
        Objects.requireNonNull(trustedNetworks, "trustedNetworks");
        Objects.requireNonNull(store, "store");
    }

    /** The settings of {@code mailbox}: its own element if it has one, else the defaults. */
    public MailboxSettings forMailbox(EmailAddress mailbox) {
        return mailboxes.getOrDefault(mailbox, defaults);
    }

    /** Whether {@code address} is a group mailbox ({@code <group>} or {@code <mailbox group="true">}). */
    public boolean isGroupMailbox(EmailAddress address) {
        return group(address).isPresent();
    }

    /** The group settings of {@code address} when it is a group mailbox. */
    public Optional<GroupSettings> group(EmailAddress address) {
        return Optional.ofNullable(mailboxes.get(address)).flatMap(MailboxSettings::group);
    }
}

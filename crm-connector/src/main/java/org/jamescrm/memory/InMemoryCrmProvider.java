package org.jamescrm.memory;

import static org.jamescrm.spi.settings.SettingsValues.address;
import static org.jamescrm.spi.settings.SettingsValues.size;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.spi.ConnectorContext;
import org.jamescrm.spi.ConnectorSettings;
import org.jamescrm.spi.CrmCapabilities;
import org.jamescrm.spi.CrmConnector;
import org.jamescrm.spi.CrmConnectorProvider;
import org.jamescrm.spi.settings.SettingsElement;
import org.jamescrm.spi.settings.SettingsProblem;

/**
 * The embedded in-memory CRM, the default connector ({@code <connector>memory</connector>}), with its
 * users in its own element:
 * <pre>
 * &lt;memory&gt;
 *   &lt;user email="alice@company.example" name="Alice Adams"/&gt;
 *   &lt;contentLimit&gt;64MB&lt;/contentLimit&gt;   &lt;!-- bodies and attachments kept; the oldest dropped past it --&gt;
 * &lt;/memory&gt;
 * </pre>
 */
public final class InMemoryCrmProvider implements CrmConnectorProvider {
    /** Leads, cases and teams, one operation a call. */
    static final CrmCapabilities CAPABILITIES = new CrmCapabilities(true, true, true, 1);

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public CrmCapabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public ConnectorSettings settings(Optional<SettingsElement> element) {
        if (element.isEmpty()) {
            return new MemorySettings(List.of(), MemorySettings.DEFAULT_CONTENT_LIMIT);
        }
        SettingsElement memory = element.get().allowAttributes();
        List<MemoryUser> users = new ArrayList<>();
        Set<EmailAddress> emails = new LinkedHashSet<>();
        long contentLimit = MemorySettings.DEFAULT_CONTENT_LIMIT;
        boolean limitGiven = false;
        for (SettingsElement user : memory.children()) {
            if (user.name().equals("contentLimit")) {
                if (limitGiven) {
                    throw new SettingsProblem("key '" + user.key() + "' is given twice; allowed: once");
                }
                limitGiven = true;
                contentLimit = size(user.key(), user.text());
                continue;
            }
            if (!user.name().equals("user")) {
                throw memory.unknownChild(user, "user", "contentLimit");
            }
            user.allowAttributes("email", "name");
            EmailAddress email = address(user.attributeKey("email"), user.attribute("email").orElse(""));
            String name = user.attribute("name").orElse("");
            if (name.isEmpty()) {
                throw new SettingsProblem("key '" + user.attributeKey("name") + "' is empty for " + email
                    + "; allowed values: the user's full name");
            }
            if (!emails.add(email)) {
                throw new SettingsProblem("key '" + user.key() + "' is given twice for " + email + "; allowed: once per address");
            }
            users.add(new MemoryUser(email, name));
        }
        return new MemorySettings(users, contentLimit);
    }

    @Override
    public CrmConnector create(ConnectorSettings settings, ConnectorContext context) {
        MemorySettings memory = (MemorySettings) settings;
        return new InMemoryCrm(context.clock(), memory.users(), memory.contentLimit());
    }
}

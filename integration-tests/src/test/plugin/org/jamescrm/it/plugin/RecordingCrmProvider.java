package org.jamescrm.it.plugin;

import static org.jamescrm.spi.settings.SettingsValues.address;
import static org.jamescrm.spi.settings.SettingsValues.nonBlank;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
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
import org.jamescrm.spi.CrmUser;
import org.jamescrm.spi.settings.SettingsElement;
import org.jamescrm.spi.settings.SettingsProblem;

/**
 * A CRM that exists only in the tests, written against the product's published SPI as a third party
 * would write one: selected with {@code <connector>recording</connector>} and configured by its own
 * element, read with the SPI's settings toolkit, so its mistakes carry their key path:
 * <pre>
 * &lt;recording&gt;
 *   &lt;file&gt;/var/tmp/crm-writes.jsonl&lt;/file&gt;                          &lt;!-- required: each write is appended as a JSON line --&gt;
 *   &lt;user id="u-alice" email="alice@company.example" name="Alice Adams"/&gt;   &lt;!-- the CRM users, any number --&gt;
 * &lt;/recording&gt;
 * </pre>
 * It has no leads (new clients get a contact and a deal), no cases and no batch API.
 *
 * <p>These sources are not compiled with the other test sources: the end-to-end tests compile them at
 * run time against the product's 3.8 jar and hand James the result as a jar of its own in
 * {@code extensions-jars/} (see {@code org.jamescrm.it.RecordingCrmJar}). On the test class path they
 * would be found first by James's extension class loader, which asks its parent first, and fail to link
 * there, where the SPI is absent.
 */
public final class RecordingCrmProvider implements CrmConnectorProvider {
    /** No leads, no cases, one operation a call. */
    static final CrmCapabilities CAPABILITIES = new CrmCapabilities(false, false, 1);

    @Override
    public String name() {
        return "recording";
    }

    @Override
    public CrmCapabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public ConnectorSettings settings(Optional<SettingsElement> element) {
        SettingsElement recording = element.orElseThrow(() -> SettingsProblem.missing("recording",
            "the <recording> element with the <file> the writes are recorded in (required by connector recording)"));
        recording.allowAttributes();
        Path file = null;
        List<CrmUser> users = new ArrayList<>();
        Set<EmailAddress> emails = new LinkedHashSet<>();
        for (SettingsElement child : recording.children()) {
            switch (child.name()) {
                case "file" -> {
                    if (file != null) {
                        throw new SettingsProblem("key '" + child.key() + "' is given twice; allowed: once");
                    }
                    file = file(child.key(), child.text());
                }
                case "user" -> {
                    child.allowAttributes("id", "email", "name");
                    CrmUser user = new CrmUser(child.requiredAttribute("id"),
                        address(child.attributeKey("email"), child.attribute("email").orElse("")), child.requiredAttribute("name"));
                    if (!emails.add(user.email())) {
                        throw new SettingsProblem("key '" + child.key() + "' is given twice for " + user.email()
                            + "; allowed: once per address");
                    }
                    users.add(user);
                }
                default -> throw recording.unknownChild(child, "file", "user");
            }
        }
        if (file == null) {
            throw SettingsProblem.missing("recording.file", "the path of the file the writes are appended to");
        }
        return new RecordingSettings(file, users);
    }

    private static Path file(String key, String value) {
        String allowed = "an absolute path in an existing folder";
        try {
            Path file = Path.of(nonBlank(key, value));
            if (file.isAbsolute() && file.getParent() != null && Files.isDirectory(file.getParent())) {
                return file;
            }
        } catch (InvalidPathException e) {
            // answered below
        }
        throw SettingsProblem.badValue(key, value, allowed);
    }

    @Override
    public CrmConnector create(ConnectorSettings settings, ConnectorContext context) {
        return new RecordingCrm((RecordingSettings) settings, context.clock());
    }
}

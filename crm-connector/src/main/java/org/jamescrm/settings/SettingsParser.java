package org.jamescrm.settings;

import static org.jamescrm.spi.settings.SettingsValues.address;
import static org.jamescrm.spi.settings.SettingsValues.bool;
import static org.jamescrm.spi.settings.SettingsValues.domain;
import static org.jamescrm.spi.settings.SettingsValues.wholeNumber;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.jamescrm.model.EmailAddress;
import org.jamescrm.spi.ConnectorProviders;
import org.jamescrm.spi.ConnectorSettings;
import org.jamescrm.spi.CrmConnectorProvider;
import org.jamescrm.spi.SecretScrubber;
import org.jamescrm.spi.settings.Durations;
import org.jamescrm.spi.settings.SettingsElement;
import org.jamescrm.spi.settings.SettingsProblem;
import org.w3c.dom.Element;
import org.xml.sax.SAXException;

/**
 * Reads and validates {@code crm-capture.xml}. Strict on purpose: an unknown or misspelled key, an
 * unknown value or a repeated key is an error naming the file, the key and what is allowed, so that a
 * CRM administrator's typo stops James's start instead of silently capturing with defaults. The CRMs'
 * own elements are read by their providers; the parser names no CRM.
 */
public final class SettingsParser {
    private static final String ROOT = "crmcapture";
    private static final List<String> CORE_KEYS = List.of("connector", "internal", "neverLog", "filter", "flood",
        "captureAddress", "trustedNetworks", "defaults", "mailbox", "group", "store");
    /** The CRM of a file without {@code <connector>}: the embedded one, so the product runs out of the box. */
    private static final String DEFAULT_CONNECTOR = "memory";

    private final ConnectorProviders providers;
    private final UnaryOperator<String> environment;

    /** A parser for the CRMs of {@code providers} that reads {@code ${env:NAME}} from the process environment. */
    public SettingsParser(ConnectorProviders providers) {
        this(providers, System::getenv);
    }

    /**
     * @param providers   the CRMs that {@code <connector>} may select
     * @param environment the value of an environment variable, null when unset
     */
    public SettingsParser(ConnectorProviders providers, UnaryOperator<String> environment) {
        this.providers = providers;
        this.environment = environment;
    }

    /** Parses the settings file at {@code file}. */
    public CaptureSettings parse(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new InvalidSettingsException(file + ": the settings file does not exist");
        } catch (IOException e) {
            throw new InvalidSettingsException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Parses a settings document.
     *
     * @param source the name errors give for the document, normally its path
     */
    public CaptureSettings parse(InputStream in, String source) {
        Element root = document(in, source);
        try {
            return settings(new SettingsElement(root, "", environment));
        } catch (SettingsProblem problem) {
            // a value echoed in the message may be a pasted credential (a webhook URL where a host belongs)
            throw new InvalidSettingsException(source + ": " + SecretScrubber.shapesOnly().scrub(problem.getMessage()));
        }
    }

    private static Element document(InputStream in, String source) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler()); // throw on fatal errors, print nothing
            Element root = builder.parse(in).getDocumentElement();
            if (!ROOT.equals(root.getTagName())) {
                throw new InvalidSettingsException(source + ": the root element is <" + root.getTagName()
                    + ">; expected <" + ROOT + ">");
            }
            return root;
        } catch (SAXException e) {
            throw new InvalidSettingsException(source + ": not well-formed XML: " + e.getMessage(), e);
        } catch (IOException | ParserConfigurationException e) {
            throw new InvalidSettingsException(source + ": cannot be read: " + e.getMessage(), e);
        }
    }

    private CaptureSettings settings(SettingsElement root) {
        Map<String, SettingsElement> once = new LinkedHashMap<>();
        List<SettingsElement> filterElements = new ArrayList<>();
        List<SettingsElement> mailboxElements = new ArrayList<>();
        List<SettingsElement> groupElements = new ArrayList<>();
        for (SettingsElement element : root.children()) {
            String key = element.name();
            switch (key) {
                case "filter" -> filterElements.add(element);
                case "mailbox" -> mailboxElements.add(element);
                case "group" -> groupElements.add(element);
                default -> {
                    if (!CORE_KEYS.contains(key) && providers.find(key).isEmpty()) {
                        throw SettingsProblem.unknownKey(key, String.join(", ", allowedKeys()));
                    }
                    if (once.put(key, element) != null) {
                        throw new SettingsProblem("key '" + key + "' is given twice; allowed: once");
                    }
                }
            }
        }
        ConnectorChoice connector = connector(once);
        CapabilityCheck capabilities = new CapabilityCheck(connector);
        List<MailFilter> filters = new ArrayList<>();
        for (SettingsElement element : filterElements) {
            filters.add(filter(element, "filter"));
        }
        MailboxSettings base = connector.capabilities().leads() ? MailboxSettings.defaults() : MailboxSettings.defaults().leadlessByDefault();
        MailboxSettings defaults = Optional.ofNullable(once.get("defaults"))
            .map(element -> mailboxSettings(base, element.allowAttributes(), "defaults", Optional.empty(), capabilities)).orElse(base);
        Map<EmailAddress, MailboxSettings> mailboxes = new HashMap<>();
        for (SettingsElement element : mailboxElements) {
            element.allowAttributes("address", "group");
            EmailAddress mailbox = address(element.attributeKey("address"), element.attribute("address").orElse(""));
            boolean group = element.attribute("group").map(value -> bool(element.attributeKey("group"), value)).orElse(false);
            if (mailboxes.put(mailbox, mailboxSettings(defaults, element, "mailbox", group ? Optional.of(GroupSettings.plain())
                : Optional.empty(), capabilities)) != null) {
                throw new SettingsProblem("key 'mailbox' is given twice for " + mailbox + "; allowed: once per address");
            }
        }
        GroupElements groups = new GroupElements(connector);
        for (SettingsElement element : groupElements) {
            element.allowAttributes("address");
            EmailAddress mailbox = address(element.attributeKey("address"), element.attribute("address").orElse(""));
            GroupSettings group = groups.read(element.children().stream().filter(GroupElements::isGroupKey).toList());
            if (mailboxes.put(mailbox, mailboxSettings(defaults, element, "group", Optional.of(group), capabilities)) != null) {
                throw new SettingsProblem("key 'group' is given twice for " + mailbox + ", or also as a mailbox; allowed: once per address");
            }
        }
        return new CaptureSettings(connector,
            addressList(once.get("internal")),
            addressList(once.get("neverLog")),
            filters,
            Optional.ofNullable(once.get("flood")).map(SettingsParser::flood).orElse(FloodLimit.defaults()),
            defaults, mailboxes,
            Optional.ofNullable(once.get("captureAddress")).map(element -> address(element.key(), element.text())),
            Optional.ofNullable(once.get("trustedNetworks")).map(element -> TrustedNetworks.parse(element.key(), element.text()))
                .orElse(TrustedNetworks.none()),
            Optional.ofNullable(once.get("store")).map(StoreElement::read).orElse(new StoreSettings.Local()));
    }

    private List<String> allowedKeys() {
        List<String> keys = new ArrayList<>(CORE_KEYS);
        keys.addAll(providers.names());
        return keys;
    }

    /**
     * The selected CRM with its settings. Every CRM element in the file is read by its provider, so a
     * mistake in one is found even while another CRM is selected.
     */
    private ConnectorChoice connector(Map<String, SettingsElement> once) {
        String name = Optional.ofNullable(once.get("connector")).map(SettingsElement::text).orElse(DEFAULT_CONNECTOR);
        CrmConnectorProvider selected = providers.find(name).orElseThrow(() -> SettingsProblem.badValue("connector", name,
            providers.names().isEmpty() ? "none: no CRM connector was found on the class path" : String.join(", ", providers.names())));
        ConnectorSettings selectedSettings = null;
        for (String crm : providers.names()) {
            SettingsElement element = once.get(crm);
            if (element != null || crm.equals(name)) {
                ConnectorSettings read = providers.find(crm).orElseThrow().settings(Optional.ofNullable(element));
                if (crm.equals(name)) {
                    selectedSettings = read;
                }
            }
        }
        return new ConnectorChoice(selected, selectedSettings);
    }

    private static MailboxSettings mailboxSettings(MailboxSettings base, SettingsElement element, String prefix,
                                                   Optional<GroupSettings> group, CapabilityCheck capabilities) {
        Map<String, String> values = new LinkedHashMap<>();
        List<MailFilter> filters = new ArrayList<>();
        for (SettingsElement child : element.children()) {
            if (group.isPresent() && prefix.equals("group") && GroupElements.isGroupKey(child)) {
                continue; // read by GroupElements
            }
            if (child.name().equals("filter")) {
                filters.add(filter(child, prefix + ".filter"));
            } else if (values.put(child.name(), child.text()) != null) {
                throw new SettingsProblem("key '" + prefix + "." + child.name() + "' is given twice; allowed: once");
            }
        }
        capabilities.check(prefix, values);
        return base.with(prefix, values, filters, group);
    }

    private static AddressList addressList(SettingsElement list) {
        if (list == null) {
            return AddressList.none();
        }
        list.allowAttributes();
        Set<String> domains = new LinkedHashSet<>();
        Set<EmailAddress> addresses = new LinkedHashSet<>();
        for (SettingsElement element : list.children()) {
            switch (element.name()) {
                case "domain" -> domains.add(domain(element.key(), element.text()));
                case "address" -> addresses.add(address(element.key(), element.text()));
                default -> throw list.unknownChild(element, "domain", "address");
            }
        }
        return new AddressList(domains, addresses);
    }

    private static MailFilter filter(SettingsElement element, String key) {
        element.allowAttributes("name", "field", "pattern");
        String name = element.attribute("name").orElse("");
        if (name.isEmpty()) {
            throw new SettingsProblem("key '" + key + "@name' is empty; allowed values: a name for the rule");
        }
        String field = element.attribute("field").orElse("");
        if (!List.of("sender", "recipient", "subject").contains(field) && !field.matches("header:[A-Za-z0-9-]+")) {
            throw new SettingsProblem("key '" + key + "@field' has value '" + field + "' in filter '" + name
                + "'; allowed values: sender, recipient, subject, header:<Name>");
        }
        String pattern = element.attribute("pattern").orElse("");
        try {
            return new MailFilter(name, field, Pattern.compile(pattern, Pattern.CASE_INSENSITIVE));
        } catch (PatternSyntaxException e) {
            throw new SettingsProblem("key '" + key + "@pattern' has value '" + pattern
                + "' in filter '" + name + "'; allowed values: a regular expression (" + e.getDescription() + ")");
        }
    }

    private static FloodLimit flood(SettingsElement flood) {
        flood.allowAttributes();
        int captures = FloodLimit.defaults().captures();
        Duration window = FloodLimit.defaults().window();
        Set<String> seen = new LinkedHashSet<>();
        for (SettingsElement element : flood.children()) {
            if (!seen.add(element.name())) {
                throw new SettingsProblem("key '" + element.key() + "' is given twice; allowed: once");
            }
            switch (element.name()) {
                case "captures" -> captures = wholeNumber(element.key(), element.text(), 1);
                case "window" -> window = Durations.parse(element.key(), element.text(), ChronoUnit.SECONDS, Duration.ofSeconds(1));
                default -> throw flood.unknownChild(element, "captures", "window");
            }
        }
        return new FloodLimit(captures, window);
    }
}

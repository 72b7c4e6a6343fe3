package org.jamescrm.settings;

import static org.jamescrm.settings.SettingsElements.attributes;
import static org.jamescrm.settings.SettingsElements.children;
import static org.jamescrm.settings.SettingsElements.text;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.jamescrm.bitrix24.Bitrix24Auth;
import org.jamescrm.bitrix24.Bitrix24Configuration;
import org.jamescrm.model.EmailAddress;
import org.w3c.dom.Element;
import org.xml.sax.SAXException;

/**
 * Reads and validates {@code crm-capture.xml}. Strict on purpose: an unknown or misspelled key, an
 * unknown value or a repeated key is an error naming the file, the key and what is allowed, so that a
 * CRM administrator's typo stops James's start instead of silently capturing with defaults.
 */
public final class SettingsParser {
    private static final String ROOT = "crmcapture";
    private static final List<String> TOP_LEVEL_KEYS = List.of("connector", "memory", "internal", "neverLog", "filter", "flood",
        "captureAddress", "bitrix24", "defaults", "mailbox");
    private static final Pattern ENVIRONMENT = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    private final UnaryOperator<String> environment;

    /** A parser that reads {@code ${env:NAME}} references from the process environment. */
    public SettingsParser() {
        this(System::getenv);
    }

    /** @param environment the value of an environment variable, null when unset */
    public SettingsParser(UnaryOperator<String> environment) {
        this.environment = environment;
    }
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(seconds?|minutes?|hours?|days?)");

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
            return settings(root);
        } catch (InvalidSettingsException.Problem problem) {
            throw new InvalidSettingsException(source + ": " + problem.getMessage());
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

    private CaptureSettings settings(Element root) {
        ConnectorType connector = ConnectorType.MEMORY;
        List<MemoryUser> users = List.of();
        InternalAddresses internal = InternalAddresses.none();
        NeverLog neverLog = NeverLog.none();
        List<MailFilter> filters = new ArrayList<>();
        FloodLimit flood = FloodLimit.defaults();
        Optional<EmailAddress> captureAddress = Optional.empty();
        Optional<Bitrix24Configuration> bitrix24 = Optional.empty();
        MailboxSettings defaults = MailboxSettings.defaults();
        List<Element> mailboxElements = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Element element : children(root)) {
            String key = element.getTagName();
            if (!key.equals("mailbox") && !key.equals("filter") && !seen.add(key)) {
                throw new InvalidSettingsException.Problem("key '" + key + "' is given twice; allowed: once");
            }
            switch (key) {
                case "connector" -> connector = SettingValue.parse(ConnectorType.class, key, text(key, element));
                case "memory" -> users = memoryUsers(element);
                case "internal" -> internal = internal(element);
                case "neverLog" -> neverLog = neverLog(element);
                case "filter" -> filters.add(filter(element, "filter"));
                case "flood" -> flood = flood(element);
                case "captureAddress" -> captureAddress = Optional.of(address(key, text(key, element)));
                case "bitrix24" -> bitrix24 = Optional.of(bitrix24(element));
                case "defaults" -> defaults = MailboxSettings.defaults().with("defaults", values(element, "defaults"),
                    filters(element, "defaults"), false);
                case "mailbox" -> mailboxElements.add(element);
                default -> throw new InvalidSettingsException.Problem(
                    "unknown key '" + key + "'; allowed keys: " + String.join(", ", TOP_LEVEL_KEYS));
            }
            if (!key.equals("mailbox") && !key.equals("filter")) {
                attributes(key, element); // the other top-level keys take none; mailbox and filter check their own
            }
        }
        Map<EmailAddress, MailboxSettings> mailboxes = new HashMap<>();
        for (Element element : mailboxElements) {
            attributes("mailbox", element, "address", "group");
            EmailAddress address = address("mailbox@address", element.getAttribute("address"));
            boolean group = element.hasAttribute("group") && MailboxSettings.bool("mailbox@group", element.getAttribute("group"));
            MailboxSettings settings = defaults.with("mailbox", values(element, "mailbox"), filters(element, "mailbox"), group);
            if (mailboxes.put(address, settings) != null) {
                throw new InvalidSettingsException.Problem("key 'mailbox' is given twice for " + address + "; allowed: once per address");
            }
        }
        if (connector == ConnectorType.BITRIX24 && bitrix24.isEmpty()) {
            throw new InvalidSettingsException.Problem("key 'bitrix24' is missing; allowed values: the <bitrix24> element with the "
                + "portal and a webhook or OAuth application (required by connector bitrix24)");
        }
        return new CaptureSettings(connector, users, internal, neverLog, filters, flood, defaults, mailboxes, captureAddress, bitrix24);
    }

    private static List<MemoryUser> memoryUsers(Element memory) {
        List<MemoryUser> users = new ArrayList<>();
        Set<EmailAddress> emails = new LinkedHashSet<>();
        for (Element element : children(memory)) {
            if (!element.getTagName().equals("user")) {
                throw new InvalidSettingsException.Problem("unknown key 'memory." + element.getTagName() + "'; allowed keys: user");
            }
            attributes("memory.user", element, "email", "name");
            EmailAddress email = address("memory.user@email", element.getAttribute("email"));
            String name = element.getAttribute("name").strip();
            if (name.isEmpty()) {
                throw new InvalidSettingsException.Problem("key 'memory.user@name' is empty for " + email + "; allowed values: the user's full name");
            }
            if (!emails.add(email)) {
                throw new InvalidSettingsException.Problem("key 'memory.user' is given twice for " + email + "; allowed: once per address");
            }
            users.add(new MemoryUser(email, name));
        }
        return users;
    }

    private static InternalAddresses internal(Element internal) {
        Set<String> domains = new LinkedHashSet<>();
        Set<EmailAddress> addresses = new LinkedHashSet<>();
        for (Element element : children(internal)) {
            switch (element.getTagName()) {
                case "domain" -> domains.add(domain("internal.domain", text("internal.domain", element)));
                case "address" -> addresses.add(address("internal.address", text("internal.address", element)));
                default -> throw new InvalidSettingsException.Problem(
                    "unknown key 'internal." + element.getTagName() + "'; allowed keys: domain, address");
            }
        }
        return new InternalAddresses(domains, addresses);
    }

    private Bitrix24Configuration bitrix24(Element element) {
        String portal = null;
        Bitrix24Auth auth = null;
        double perSecond = 2;
        int burst = 50;
        Duration timeout = Duration.ofSeconds(30);
        for (Element child : children(element)) {
            String key = "bitrix24." + child.getTagName();
            switch (child.getTagName()) {
                case "portal" -> portal = portal(key, text(key, child));
                case "webhook" -> {
                    attributes(key, child, "user", "code");
                    auth = authOnce(auth, key, new Bitrix24Auth.Webhook(
                        wholeNumber(key + "@user", child.getAttribute("user"), 1), secret(key + "@code", child.getAttribute("code"))));
                }
                case "oauth" -> {
                    attributes(key, child, "clientId", "clientSecret", "refreshToken", "tokenEndpoint");
                    auth = authOnce(auth, key, new Bitrix24Auth.OAuth(
                        required(key + "@clientId", child.getAttribute("clientId")),
                        secret(key + "@clientSecret", child.getAttribute("clientSecret")),
                        secret(key + "@refreshToken", child.getAttribute("refreshToken")),
                        child.hasAttribute("tokenEndpoint") ? portal(key + "@tokenEndpoint", child.getAttribute("tokenEndpoint"))
                            : "https://oauth.bitrix.info/oauth/token/"));
                }
                case "rate" -> {
                    attributes(key, child, "perSecond", "burst");
                    perSecond = wholeNumber(key + "@perSecond", child.getAttribute("perSecond"), 1);
                    burst = wholeNumber(key + "@burst", child.getAttribute("burst"), 1);
                }
                case "timeout" -> timeout = duration(key, text(key, child));
                default -> throw new InvalidSettingsException.Problem("unknown key '" + key
                    + "'; allowed keys: portal, webhook, oauth, rate, timeout");
            }
        }
        if (portal == null) {
            throw new InvalidSettingsException.Problem("key 'bitrix24.portal' is missing; allowed values: the portal's URL, "
                + "e.g. https://company.bitrix24.com");
        }
        if (auth == null) {
            throw new InvalidSettingsException.Problem("key 'bitrix24.webhook' or 'bitrix24.oauth' is missing; allowed values: "
                + "<webhook user=\"1\" code=\"...\"/> or <oauth clientId=\"...\" clientSecret=\"...\" refreshToken=\"...\"/>");
        }
        return new Bitrix24Configuration(portal, auth, perSecond, burst, timeout, "james-crm-capture");
    }

    private static Bitrix24Auth authOnce(Bitrix24Auth existing, String key, Bitrix24Auth auth) {
        if (existing != null) {
            throw new InvalidSettingsException.Problem("key '" + key + "' comes with another authentication; allowed: "
                + "one of webhook, oauth");
        }
        return auth;
    }

    private static String portal(String key, String value) {
        if (!value.matches("https?://[^/\\s]+(/\\S*)?")) {
            throw new InvalidSettingsException.Problem("key '" + key + "' has value '" + value
                + "'; allowed values: an http or https URL, e.g. https://company.bitrix24.com");
        }
        return value;
    }

    private static String required(String key, String value) {
        if (value.isBlank()) {
            throw new InvalidSettingsException.Problem("key '" + key + "' is empty; allowed values: any non-empty text");
        }
        return value.strip();
    }

    /** A secret: written as is, or as ${env:NAME} so that it stays out of the file. Never echoed in errors. */
    private String secret(String key, String value) {
        String written = required(key, value);
        Matcher reference = ENVIRONMENT.matcher(written);
        if (!reference.matches()) {
            return written;
        }
        String resolved = environment.apply(reference.group(1));
        if (resolved == null || resolved.isBlank()) {
            throw new InvalidSettingsException.Problem("key '" + key + "' refers to the environment variable " + reference.group(1)
                + ", which is not set; allowed values: the secret itself or ${env:NAME} of a set variable");
        }
        return resolved.strip();
    }

    private static int wholeNumber(String key, String value, int minimum) {
        try {
            int number = Integer.parseInt(value.strip());
            if (number >= minimum) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidSettingsException.Problem("key '" + key + "' has value '" + value + "'; allowed values: a whole number of at least "
            + minimum);
    }

    private static NeverLog neverLog(Element neverLog) {
        Set<String> domains = new LinkedHashSet<>();
        Set<EmailAddress> addresses = new LinkedHashSet<>();
        for (Element element : children(neverLog)) {
            switch (element.getTagName()) {
                case "domain" -> domains.add(domain("neverLog.domain", text("neverLog.domain", element)));
                case "address" -> addresses.add(address("neverLog.address", text("neverLog.address", element)));
                default -> throw new InvalidSettingsException.Problem(
                    "unknown key 'neverLog." + element.getTagName() + "'; allowed keys: domain, address");
            }
        }
        return new NeverLog(addresses, domains);
    }

    private static List<MailFilter> filters(Element parent, String prefix) {
        List<MailFilter> filters = new ArrayList<>();
        for (Element element : children(parent)) {
            if (element.getTagName().equals("filter")) {
                filters.add(filter(element, prefix + ".filter"));
            }
        }
        return filters;
    }

    private static MailFilter filter(Element element, String key) {
        attributes(key, element, "name", "field", "pattern");
        String name = element.getAttribute("name").strip();
        if (name.isEmpty()) {
            throw new InvalidSettingsException.Problem("key '" + key + "@name' is empty; allowed values: a name for the rule");
        }
        String field = element.getAttribute("field").strip();
        if (!List.of("sender", "recipient", "subject").contains(field) && !field.matches("header:[A-Za-z0-9-]+")) {
            throw new InvalidSettingsException.Problem("key '" + key + "@field' has value '" + field + "' in filter '" + name
                + "'; allowed values: sender, recipient, subject, header:<Name>");
        }
        try {
            return new MailFilter(name, field, Pattern.compile(element.getAttribute("pattern"), Pattern.CASE_INSENSITIVE));
        } catch (PatternSyntaxException e) {
            throw new InvalidSettingsException.Problem("key '" + key + "@pattern' has value '" + element.getAttribute("pattern")
                + "' in filter '" + name + "'; allowed values: a regular expression (" + e.getDescription() + ")");
        }
    }

    private static FloodLimit flood(Element flood) {
        int captures = FloodLimit.defaults().captures();
        Duration window = FloodLimit.defaults().window();
        for (Map.Entry<String, String> entry : values(flood, "flood").entrySet()) {
            String key = "flood." + entry.getKey();
            switch (entry.getKey()) {
                case "captures" -> {
                    try {
                        captures = Integer.parseInt(entry.getValue());
                    } catch (NumberFormatException e) {
                        captures = 0;
                    }
                    if (captures < 1) {
                        throw new InvalidSettingsException.Problem("key '" + key + "' has value '" + entry.getValue()
                            + "'; allowed values: a whole number of at least 1");
                    }
                }
                case "window" -> window = duration(key, entry.getValue());
                default -> throw new InvalidSettingsException.Problem("unknown key '" + key + "'; allowed keys: captures, window");
            }
        }
        return new FloodLimit(captures, window);
    }

    private static Duration duration(String key, String value) {
        Matcher matcher = DURATION.matcher(value.toLowerCase(Locale.ROOT));
        try {
            long amount = matcher.matches() ? Long.parseLong(matcher.group(1)) : 0;
            if (amount >= 1) {
                return switch (matcher.group(2).replaceAll("s$", "")) {
                    case "second" -> Duration.ofSeconds(amount);
                    case "minute" -> Duration.ofMinutes(amount);
                    case "hour" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // more digits than a long holds, or more seconds than a Duration holds: answered below
        }
        throw new InvalidSettingsException.Problem("key '" + key + "' has value '" + value
            + "'; allowed values: a duration such as 30 minutes, 2 hours, 1 day");
    }

    private static Map<String, String> values(Element parent, String prefix) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Element element : children(parent)) {
            if (element.getTagName().equals("filter") && !prefix.equals("flood")) {
                continue; // filters are read by filters()
            }
            String key = prefix + "." + element.getTagName();
            if (values.put(element.getTagName(), text(key, element)) != null) {
                throw new InvalidSettingsException.Problem("key '" + key + "' is given twice; allowed: once");
            }
        }
        return values;
    }

    private static EmailAddress address(String key, String value) {
        return MailboxSettings.address(key, value);
    }

    private static String domain(String key, String value) {
        String domain = value.toLowerCase(Locale.ROOT);
        if (!domain.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")) {
            throw new InvalidSettingsException.Problem("key '" + key + "' has value '" + value + "'; allowed values: a domain name");
        }
        return domain;
    }
}

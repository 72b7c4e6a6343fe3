package org.jamescrm.spi.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * One element of {@code crm-capture.xml}, read strictly, with its key path: errors say
 * {@code bitrix24.webhook@code} or {@code mailbox.leadSource}, not a bare tag, so the administrator
 * sees where the mistake is. Connector providers read their own element ({@code <bitrix24>},
 * {@code <memory>} ...) with it. Secrets are written as they are or as {@code ${env:NAME}}, so that
 * they can stay out of the file; their values are never echoed in an error.
 */
public final class SettingsElement {
    private static final Pattern ENVIRONMENT = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    private final Element element;
    private final String key;
    private final UnaryOperator<String> environment;

    /**
     * @param element     the DOM element
     * @param key         its key path, e.g. {@code bitrix24} or {@code bitrix24.webhook}; empty for the document's root
     * @param environment the value of an environment variable, null when unset
     */
    public SettingsElement(Element element, String key, UnaryOperator<String> environment) {
        this.element = element;
        this.key = key;
        this.environment = environment;
    }

    /** The key path of this element. */
    public String key() {
        return key;
    }

    /** The tag of this element. */
    public String name() {
        return element.getTagName();
    }

    /** The child elements, in document order, each with its key path ({@code parent.child}). */
    public List<SettingsElement> children() {
        List<SettingsElement> children = new ArrayList<>();
        NodeList nodes = element.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE) {
                Element child = (Element) nodes.item(i);
                children.add(new SettingsElement(child, key.isEmpty() ? child.getTagName() : key + "." + child.getTagName(), environment));
            }
        }
        return children;
    }

    /** The value of this element, stripped: it must hold a value only, no elements and no attributes. */
    public String text() {
        if (!children().isEmpty()) {
            throw new SettingsProblem("key '" + key + "' holds elements; allowed: a value only");
        }
        allowAttributes();
        return element.getTextContent().strip();
    }

    /** Whether this element holds text (a value) rather than only attributes or elements. */
    public boolean hasText() {
        return !element.getTextContent().isBlank();
    }

    /** The value of this element as a secret: the text, or the environment variable it names. */
    public String secretText() {
        return secret(key, text());
    }

    /**
     * Refuses attributes other than {@code allowed}: a misspelled attribute ({@code grup="true"})
     * would otherwise be ignored and its setting silently left at its default.
     *
     * @return this element
     */
    public SettingsElement allowAttributes(String... allowed) {
        NamedNodeMap attributes = element.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            String attribute = attributes.item(i).getNodeName();
            if (!List.of(allowed).contains(attribute)) {
                throw SettingsProblem.unknownKey(key + "@" + attribute, allowed.length == 0 ? "none" : String.join(", ", allowed));
            }
        }
        return this;
    }

    /** The value of an attribute, stripped, if it is there. */
    public Optional<String> attribute(String name) {
        return element.hasAttribute(name) ? Optional.of(element.getAttribute(name).strip()) : Optional.empty();
    }

    /** The value of a required attribute: present and not blank. */
    public String requiredAttribute(String name) {
        return SettingsValues.nonBlank(attributeKey(name), attribute(name)
            .orElseThrow(() -> SettingsProblem.missing(attributeKey(name), "any non-empty text")));
    }

    /** A required attribute holding a secret: the text, or the environment variable it names. */
    public String secretAttribute(String name) {
        return secret(attributeKey(name), requiredAttribute(name));
    }

    /** The key path of an attribute: {@code key@name}. */
    public String attributeKey(String name) {
        return key + "@" + name;
    }

    /** The error for a child this element does not know. */
    public SettingsProblem unknownChild(SettingsElement child, String... allowed) {
        return SettingsProblem.unknownKey(child.key(), String.join(", ", allowed));
    }

    private String secret(String secretKey, String written) {
        String value = SettingsValues.nonBlank(secretKey, written);
        Matcher reference = ENVIRONMENT.matcher(value);
        if (!reference.matches()) {
            return value;
        }
        String resolved = environment.apply(reference.group(1));
        if (resolved == null || resolved.isBlank()) {
            throw new SettingsProblem("key '" + secretKey + "' refers to the environment variable " + reference.group(1)
                + ", which is not set; allowed values: the secret itself or ${env:NAME} of a set variable");
        }
        return resolved.strip();
    }
}

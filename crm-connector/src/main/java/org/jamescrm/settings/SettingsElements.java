package org.jamescrm.settings;

import java.util.ArrayList;
import java.util.List;

import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Strict reading of the elements of {@code crm-capture.xml}. The errors name the key path, not the bare
 * tag: {@code defaults.leadSource} and {@code mailbox@group} say where the mistake is, {@code leadSource}
 * does not (it is a key of {@code <defaults>} and of every {@code <mailbox>}).
 */
final class SettingsElements {

    private SettingsElements() {
    }

    /** The child elements of {@code parent}, in document order. */
    static List<Element> children(Element parent) {
        List<Element> elements = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE) {
                elements.add((Element) nodes.item(i));
            }
        }
        return elements;
    }

    /** The value of the element {@code key}, stripped: an element holding a value only, no elements, no attributes. */
    static String text(String key, Element element) {
        if (!children(element).isEmpty()) {
            throw new InvalidSettingsException.Problem("key '" + key + "' holds elements; allowed: a value only");
        }
        attributes(key, element);
        return element.getTextContent().strip();
    }

    /**
     * Refuses attributes of the element {@code key} other than {@code allowed}: a misspelled attribute
     * ({@code grup="true"}) would otherwise be ignored and its setting silently left at its default.
     */
    static void attributes(String key, Element element, String... allowed) {
        NamedNodeMap attributes = element.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            String name = attributes.item(i).getNodeName();
            if (!List.of(allowed).contains(name)) {
                throw new InvalidSettingsException.Problem("unknown key '" + key + "@" + name + "'; allowed keys: "
                    + (allowed.length == 0 ? "none" : String.join(", ", allowed)));
            }
        }
    }
}

package org.jamescrm.james.container39;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Lays out a James working directory with the product installed as the product's documentation says:
 * the shaded 3.9 extension jar in {@code extensions-jars/}, and in {@code conf/} the product's
 * {@code extensions.properties}, {@code crm-capture.xml}, {@code domainlist.xml} and its
 * {@code mailetcontainer.xml}.
 *
 * <p>The mailet container file keeps the product's {@code <context>}, {@code <spooler>} and
 * {@code root} processor verbatim: that is the wiring under test. The processors after {@code root}
 * use mailets of {@code james-server-mailets}, which is not published for James 3.9.0; they are
 * replaced by processors with the same states and routing built from published mailets only, whose
 * deliveries end in {@link CollectingMailet} (the RecipientRewriteTable mailet is left out: no
 * mapping exists in the test).
 *
 * <p>Inputs: system properties {@code extension.jar} and {@code product.conf.dir}, set by failsafe.
 */
final class ProductInstallation {
    static final String EXTENSION_JAR_PROPERTY = "extension.jar";
    static final String PRODUCT_CONF_DIR_PROPERTY = "product.conf.dir";
    private static final List<String> COPIED_AS_IS = List.of("extensions.properties", "crm-capture.xml", "domainlist.xml");
    private static final String COLLECTOR = CollectingMailet.class.getName();

    /** The processors after root, from published mailets only; states and routing as in the product. */
    private static final String TEST_PROCESSORS = """
        <processors>
            <processor state="error" enableJmx="false">
              <mailet match="All" class="%1$s"><delivery>error</delivery></mailet>
            </processor>
            <processor state="transport" enableJmx="false">
              <matcher name="relay-allowed" match="org.apache.james.mailetcontainer.impl.matchers.Or">
                <matcher match="SMTPAuthSuccessful"/>
                <matcher match="SMTPIsAuthNetwork"/>
                <matcher match="SentByMailet"/>
              </matcher>
              <mailet match="All" class="RemoveMimeHeader">
                <name>bcc</name>
                <onMailetException>ignore</onMailetException>
              </mailet>
              <mailet match="RecipientIsLocal" class="ToProcessor"><processor>local-delivery</processor></mailet>
              <mailet match="HostIsLocal" class="ToProcessor"><processor>local-address-error</processor></mailet>
              <mailet match="relay-allowed" class="ToProcessor"><processor>relay</processor></mailet>
              <mailet match="All" class="ToProcessor"><processor>relay-denied</processor></mailet>
            </processor>
            <processor state="local-delivery" enableJmx="false">
              <mailet match="All" class="%1$s"><delivery>local-delivery</delivery></mailet>
            </processor>
            <processor state="relay" enableJmx="false">
              <mailet match="All" class="%1$s"><delivery>relay</delivery></mailet>
            </processor>
            <processor state="local-address-error" enableJmx="false">
              <mailet match="All" class="%1$s"><delivery>local-address-error</delivery></mailet>
            </processor>
            <processor state="relay-denied" enableJmx="false">
              <mailet match="All" class="%1$s"><delivery>relay-denied</delivery></mailet>
            </processor>
            <processor state="bounces" enableJmx="false">
              <mailet match="All" class="%1$s"><delivery>bounces</delivery></mailet>
            </processor>
        </processors>
        """.formatted(COLLECTOR);

    private ProductInstallation() {
    }

    /** Installs the product into {@code workDir}; returns the extension jar's place in {@code extensions-jars/}. */
    static Path install(Path workDir) throws Exception {
        Path productConf = requiredPath(PRODUCT_CONF_DIR_PROPERTY);
        Path extensionJar = requiredPath(EXTENSION_JAR_PROPERTY);
        Path conf = Files.createDirectories(workDir.resolve("conf"));
        for (String file : COPIED_AS_IS) {
            Files.copy(productConf.resolve(file), conf.resolve(file));
        }
        Files.writeString(conf.resolve("mailetcontainer.xml"), testMailetContainer(productConf.resolve("mailetcontainer.xml")));
        Path installedJar = Files.createDirectories(workDir.resolve("extensions-jars")).resolve(extensionJar.getFileName());
        Files.copy(extensionJar, installedJar);
        return installedJar;
    }

    /** The product's mailetcontainer.xml with every processor after root replaced by {@link #TEST_PROCESSORS}. */
    static String testMailetContainer(Path productFile) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document product = factory.newDocumentBuilder().parse(productFile.toFile());
        Document test = (Document) product.cloneNode(true);
        Element processors = single(test.getDocumentElement(), "processors");
        Element productRoot = rootProcessor(single(product.getDocumentElement(), "processors"));

        Element root = rootProcessor(processors);
        while (processors.getFirstChild() != null) { // every other processor goes, with the text around them
            processors.removeChild(processors.getFirstChild());
        }
        processors.appendChild(test.createTextNode("\n    "));
        processors.appendChild(root);
        Element generated = factory.newDocumentBuilder()
            .parse(new org.xml.sax.InputSource(new java.io.StringReader(TEST_PROCESSORS)))
            .getDocumentElement();
        for (Element processor : childElements(generated, "processor")) {
            processors.appendChild(test.createTextNode("\n\n    "));
            processors.appendChild(test.importNode(processor, true));
        }
        processors.appendChild(test.createTextNode("\n  "));

        // the wiring under test must be the product's, node for node
        if (!rootProcessor(processors).isEqualNode(productRoot)
            || !single(test.getDocumentElement(), "context").isEqualNode(single(product.getDocumentElement(), "context"))
            || !single(test.getDocumentElement(), "spooler").isEqualNode(single(product.getDocumentElement(), "spooler"))) {
            throw new IllegalStateException("The test mailetcontainer.xml lost the product's context, spooler or root processor");
        }
        return write(test);
    }

    private static Element rootProcessor(Element processors) {
        return childElements(processors, "processor").stream()
            .filter(processor -> "root".equals(processor.getAttribute("state")))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("The product's mailetcontainer.xml has no root processor"));
    }

    private static Element single(Element parent, String name) {
        List<Element> list = childElements(parent, name);
        if (list.size() != 1) {
            throw new IllegalStateException("Expected one <" + name + "> in the product's mailetcontainer.xml, found " + list.size());
        }
        return list.get(0);
    }

    /** The child elements named {@code name} (not deeper descendants: ToProcessor has a {@code <processor>} too). */
    private static List<Element> childElements(Element parent, String name) {
        List<Element> elements = new ArrayList<>();
        NodeList children = parent.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element element && element.getTagName().equals(name)) {
                elements.add(element);
            }
        }
        return elements;
    }

    private static String write(Document document) throws Exception {
        var transformer = TransformerFactory.newInstance().newTransformer();
        transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
        StringWriter out = new StringWriter();
        transformer.transform(new DOMSource(document), new StreamResult(out));
        return out.toString();
    }

    private static Path requiredPath(String property) throws IOException {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + property + " is not set: run this test with "
                + "'mvn verify' (failsafe sets it) or set it by hand");
        }
        Path path = Path.of(value);
        if (!Files.exists(path)) {
            throw new IOException(property + "=" + value + " does not exist (build the module with 'mvn package' first)");
        }
        return path;
    }
}

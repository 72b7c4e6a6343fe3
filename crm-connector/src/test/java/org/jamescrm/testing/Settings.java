package org.jamescrm.testing;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.jamescrm.settings.CaptureSettings;
import org.jamescrm.settings.SettingsParser;
import org.jamescrm.spi.ConnectorProviders;

/** Capture settings written inline, parsed by the product's parser under the source name {@value #SOURCE}. */
public final class Settings {
    /** The source name errors of inline settings start with. */
    public static final String SOURCE = "test.xml";

    private Settings() {
    }

    /** The settings of {@code <crmcapture>body</crmcapture>}. */
    public static CaptureSettings of(String body) {
        return document("<crmcapture>" + body + "</crmcapture>");
    }

    /** The settings of a whole document. */
    public static CaptureSettings document(String xml) {
        return new SettingsParser(ConnectorProviders.load()).parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), SOURCE);
    }
}

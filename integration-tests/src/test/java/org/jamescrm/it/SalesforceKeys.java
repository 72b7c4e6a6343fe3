package org.jamescrm.it;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The value the Salesforce connector writes in the capture key field: the SHA-256 of the capture key, in hex. */
public final class SalesforceKeys {

    private SalesforceKeys() {
    }

    public static String hash(String captureKey) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(captureKey.strip().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

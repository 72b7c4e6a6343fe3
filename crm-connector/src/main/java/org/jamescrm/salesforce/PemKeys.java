package org.jamescrm.salesforce;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/** RSA private keys from PEM text, with the JDK alone (no PEM library needed for one key format). */
final class PemKeys {
    private static final String PKCS8 = "PRIVATE KEY";
    private static final String PKCS1 = "RSA PRIVATE KEY";

    private PemKeys() {
    }

    /**
     * The RSA key of a PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}).
     *
     * @throws IllegalArgumentException naming what is wrong, never quoting the key
     */
    static PrivateKey rsaPrivateKey(String pem) {
        String text = pem.strip();
        if (text.contains("BEGIN " + PKCS1)) {
            throw new IllegalArgumentException("the private key is PKCS#1 (BEGIN RSA PRIVATE KEY); convert it to PKCS#8 with "
                + "'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem'");
        }
        if (text.contains("ENCRYPTED")) {
            throw new IllegalArgumentException("the private key is encrypted; give it unencrypted (PKCS#8, BEGIN PRIVATE KEY), "
                + "readable by the mail server only");
        }
        if (!text.contains("-----BEGIN " + PKCS8 + "-----") || !text.contains("-----END " + PKCS8 + "-----")) {
            throw new IllegalArgumentException("the private key is not a PEM file (expected -----BEGIN PRIVATE KEY-----)");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(body(text));
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("the private key is not a valid RSA key (PKCS#8 PEM): " + e.getClass().getSimpleName());
        }
    }

    /** The base64 lines of the key, so that an echo of any of them is scrubbed as a secret. */
    static List<String> secretLines(String pem) {
        return pem.lines().map(String::strip).filter(line -> !line.startsWith("-----") && line.length() >= 16).toList();
    }

    private static String body(String pem) {
        int begin = pem.indexOf("-----", pem.indexOf("-----BEGIN") + 5) + 5;
        int end = pem.indexOf("-----END");
        return pem.substring(begin, end).replaceAll("\\s", "");
    }
}

package org.jamescrm.salesforce;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The signed assertion of the JWT bearer flow (salesforce §1.1 A): header {@code {"alg":"RS256"}}, claims {@code iss}
 * (the consumer key), {@code sub} (the run-as username), {@code aud} (the login host) and {@code exp} (three minutes
 * ahead at most), signed SHA256withRSA by the JDK: a JWT library would add a dependency for these lines.
 */
final class JwtAssertion {
    /** Salesforce refuses an {@code exp} more than three minutes ahead. */
    static final Duration LIFETIME = Duration.ofMinutes(3);
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final String issuer;
    private final String subject;
    private final String audience;
    private final PrivateKey key;
    private final ObjectMapper mapper;

    JwtAssertion(String issuer, String subject, String audience, PrivateKey key, ObjectMapper mapper) {
        this.issuer = issuer;
        this.subject = subject;
        this.audience = audience;
        this.key = key;
        this.mapper = mapper;
    }

    /** A fresh assertion, expiring {@link #LIFETIME} after {@code now}. */
    String sign(Instant now) {
        ObjectNode header = mapper.createObjectNode().put("alg", "RS256");
        ObjectNode claims = mapper.createObjectNode()
            .put("iss", issuer)
            .put("sub", subject)
            .put("aud", audience)
            .put("exp", now.plus(LIFETIME).getEpochSecond());
        String signed = encode(header.toString()) + "." + encode(claims.toString());
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + BASE64URL.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA256withRSA cannot sign with the configured key: " + e.getClass().getSimpleName());
        }
    }

    private static String encode(String json) {
        return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}

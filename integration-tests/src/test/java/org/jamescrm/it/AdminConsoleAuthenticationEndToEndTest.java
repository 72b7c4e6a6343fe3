package org.jamescrm.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.apache.james.GuiceJamesServer;
import org.apache.james.JamesServerExtension;
import org.apache.james.utils.WebAdminGuiceProbe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.SignatureAlgorithm;

/**
 * With WebAdmin's JWT authentication on, the admin console and its files are refused without an
 * administrator's token and served with one, as every WebAdmin route: the console has no door of its own.
 */
class AdminConsoleAuthenticationEndToEndTest {
    static final KeyPair KEYS = rsaKeys();
    static final List<String> CONSOLE = List.of("/crm/console", "/crm/console/console.js", "/crm/console/console.css", "/crm/status");

    @RegisterExtension
    static JamesServerExtension james = InstalledJames.withProductConfiguration()
        .addConfFile("webadmin-jwt.pem", "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(KEYS.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n")
        .edit("webadmin.properties", properties -> properties.replace("jwt.enabled=false",
            "jwt.enabled=true\njwt.publickeypem.url=file://conf/webadmin-jwt.pem"))
        .extension();

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static URI base;

    @BeforeAll
    static void locate(GuiceJamesServer server) {
        base = URI.create("http://127.0.0.1:" + server.getProbe(WebAdminGuiceProbe.class).getWebAdminPort().getValue());
    }

    @Test
    void theConsoleShouldBeRefusedWithoutAToken() throws Exception {
        for (String path : CONSOLE) {
            HttpResponse<String> answer = get(path, Optional.empty());
            assertThat(answer.statusCode()).as(path).isEqualTo(401);
            assertThat(answer.body()).as(path).doesNotContain("<script", "CRM capture");
        }
    }

    @Test
    void theConsoleShouldBeRefusedWithAnotherKeysToken() throws Exception {
        String forged = token(rsaKeys());
        for (String path : CONSOLE) {
            assertThat(get(path, Optional.of(forged)).statusCode()).as(path).isEqualTo(401);
        }
    }

    @Test
    void theConsoleShouldBeServedWithAnAdministratorsToken() throws Exception {
        String admin = token(KEYS);
        for (String path : CONSOLE) {
            assertThat(get(path, Optional.of(admin)).statusCode()).as(path).isEqualTo(200);
        }
        assertThat(get("/crm/console", Optional.of(admin)).body()).contains("<title>CRM capture console</title>");
    }

    private static HttpResponse<String> get(String path, Optional<String> token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).GET();
        token.ifPresent(value -> request.header("Authorization", "Bearer " + value));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A token as James's WebAdmin takes it: RS256, a subject, {@code admin: true}. */
    private static String token(KeyPair keys) {
        return Jwts.builder().setSubject("admin@company.example").claim("admin", true)
            .signWith(keys.getPrivate(), SignatureAlgorithm.RS256).compact();
    }

    private static KeyPair rsaKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

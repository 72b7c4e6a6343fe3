package org.jamescrm.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okio.Buffer;

/** A CRM's answer is read up to its limit, whatever the server sends. */
class CrmAnswersTest {
    MockWebServer crm = new MockWebServer();
    OkHttpClient http = new OkHttpClient();

    @BeforeEach
    void setUp() throws IOException {
        crm.start();
    }

    @AfterEach
    void tearDown() throws IOException {
        crm.shutdown();
    }

    private String read() throws IOException {
        try (Response response = http.newCall(new Request.Builder().url(crm.url("/")).build()).execute()) {
            return CrmAnswers.text(response.body());
        }
    }

    private static Buffer bytes(long count) {
        Buffer buffer = new Buffer();
        byte[] block = new byte[64 * 1024];
        java.util.Arrays.fill(block, (byte) 'x');
        for (long written = 0; written < count; written += block.length) {
            buffer.write(block, 0, (int) Math.min(block.length, count - written));
        }
        return buffer;
    }

    @Test
    void anAnswerDeclaredOverTheLimitShouldBeRefusedUnread() {
        crm.enqueue(new MockResponse().setBody(bytes(CrmAnswers.LIMIT + 1)));

        assertThatThrownBy(this::read).isInstanceOf(IOException.class)
            .hasMessage("the answer is over 16 MB (16777217 bytes declared), more than any answer of the CRM's API");
    }

    @Test
    void anAnswerSentOverTheLimitWithoutALengthShouldBeRefused() {
        crm.enqueue(new MockResponse().setChunkedBody(bytes(CrmAnswers.LIMIT + 1), 1024 * 1024));

        assertThatThrownBy(this::read).isInstanceOf(IOException.class)
            .hasMessage("the answer is over 16 MB (more sent), more than any answer of the CRM's API");
    }

    @Test
    void anAnswerAtTheLimitShouldBeReadWhole() throws IOException {
        crm.enqueue(new MockResponse().setChunkedBody(bytes(CrmAnswers.LIMIT), 1024 * 1024));

        assertThat(read()).hasSize((int) CrmAnswers.LIMIT);
    }

    @Test
    void theDeclaredCharsetShouldBeReadAndUtf8WithoutOne() throws IOException {
        crm.enqueue(new MockResponse().setHeader("Content-Type", "application/json; charset=ISO-8859-1")
            .setBody(new Buffer().write("{\"name\":\"J\u00f6rg\"}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))));
        crm.enqueue(new MockResponse().setBody(new Buffer().writeUtf8("{\"name\":\"J\u00f6rg\"}")));
        crm.enqueue(new MockResponse().setResponseCode(204));

        assertThat(read()).isEqualTo("{\"name\":\"Jörg\"}");
        assertThat(read()).isEqualTo("{\"name\":\"Jörg\"}");
        assertThat(read()).isEmpty();
    }
}

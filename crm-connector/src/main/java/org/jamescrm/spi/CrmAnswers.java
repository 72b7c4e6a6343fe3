package org.jamescrm.spi;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import okhttp3.MediaType;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * Reads a CRM's answer into text, at most {@link #LIMIT} bytes of it. The connectors run in James's
 * heap: an answer read whole whatever its size (OkHttp's {@code string()}) lets a CRM, a proxy or a
 * wrong URL that sends hundreds of megabytes (a file, an endless page) fill the heap that delivers
 * the company's mail. No answer of a CRM's API to the product's requests comes near the limit: a
 * Bitrix24 batch of 50 lists of 50 records, a Salesforce query page of 2,000 records are a few MB.
 */
public final class CrmAnswers {
    /** The most bytes of an answer read. */
    public static final long LIMIT = 16L * 1024 * 1024;

    private CrmAnswers() {
    }

    /**
     * The answer's text, in its declared charset (UTF-8 when it declares none); empty without a body.
     *
     * @throws IOException when reading fails, or when the answer is over {@link #LIMIT} (declared or
     *                     sent): nothing over the limit is held
     */
    public static String text(ResponseBody body) throws IOException {
        if (body == null) {
            return "";
        }
        if (body.contentLength() > LIMIT) {
            throw tooLarge(body.contentLength() + " bytes declared");
        }
        BufferedSource source = body.source();
        if (source.request(LIMIT + 1)) {
            throw tooLarge("more sent");
        }
        MediaType type = body.contentType();
        Charset charset = type == null ? StandardCharsets.UTF_8 : type.charset(StandardCharsets.UTF_8);
        return source.readString(charset);
    }

    private static IOException tooLarge(String what) {
        return new IOException("the answer is over " + LIMIT / (1024 * 1024) + " MB (" + what + "), more than any answer of the CRM's API");
    }
}

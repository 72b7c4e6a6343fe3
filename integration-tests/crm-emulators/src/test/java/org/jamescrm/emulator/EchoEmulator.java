package org.jamescrm.emulator;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The smallest emulator on the kit, for the kit's tests: it answers {@code {"echo":"<path>"}}, names each
 * call after its last path segment, answers the marked faults in its own JSON shape, and fails on
 * {@code /bug}. It counts resets and knows whether it was closed.
 */
final class EchoEmulator extends HttpEmulator {
    final AtomicInteger resets = new AtomicInteger();
    final EmulatorServer server;
    volatile boolean closed;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    /** A custom fault of this emulator: 429 {@code SLOW_DOWN}. */
    record SlowDown() implements Fault.Custom {
    }

    EchoEmulator(Clock clock) {
        super(clock);
        this.server = EmulatorServer.builder(new CrmEndpoint() {
            @Override
            public void prepare(EmulatorRequest request) {
                String path = request.path();
                request.describe(path.substring(path.lastIndexOf('/') + 1), request.header("X-Note").orElse(null));
            }

            @Override
            public Reply answer(EmulatorRequest request) {
                if (request.path().equals("/bug")) {
                    throw new IllegalStateException("a bug");
                }
                return Reply.json(200, ("{\"echo\":\"" + request.path() + "\"}").getBytes(StandardCharsets.UTF_8), null);
            }

            @Override
            public Reply answerFault(Fault fault, EmulatorRequest request) {
                if (fault instanceof SlowDown) {
                    return Reply.json(429, "{\"code\":\"SLOW_DOWN\"}".getBytes(StandardCharsets.UTF_8), "SLOW_DOWN").withHeader("Retry-After", "7");
                }
                if (fault instanceof Fault.ExpiredToken) {
                    return Reply.json(401, "{\"code\":\"INVALID_TOKEN\"}".getBytes(StandardCharsets.UTF_8), "INVALID_TOKEN");
                }
                return CrmEndpoint.super.answerFault(fault, request);
            }
        }).name("echo-emulator").threads(4).clock(clock).start();
    }

    /**
     * POSTs to {@code path} with an optional {@code X-Note}; transport failures go through. A POST, because
     * the JDK's client sends a GET again by itself when its connection is dropped.
     */
    HttpResponse<String> post(String path, String note, Duration timeout) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(baseUrl().resolve(path)).timeout(timeout).POST(HttpRequest.BodyPublishers.noBody());
        if (note != null) {
            request.header("X-Note", note);
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    HttpResponse<String> post(String path) {
        try {
            return post(path, null, Duration.ofSeconds(5));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected EmulatorServer server() {
        return server;
    }

    @Override
    protected void resetState() {
        resets.incrementAndGet();
    }

    @Override
    public void close() {
        closed = true;
        super.close();
    }
}

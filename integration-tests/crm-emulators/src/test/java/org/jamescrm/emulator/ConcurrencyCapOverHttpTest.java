package org.jamescrm.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** A concurrency cap used the way an emulator uses it: the request over the cap is refused while the others are in progress. */
class ConcurrencyCapOverHttpTest {

    @Test
    void theParallelRequestOverTheCapShouldBeRefusedAndTheNextOneServed() throws Exception {
        ConcurrencyCap cap = new ConcurrencyCap(2);
        CountDownLatch twoInside = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        CrmEndpoint endpoint = request -> {
            Optional<ConcurrencyCap.Permit> permit = cap.tryEnter();
            if (permit.isEmpty()) {
                return Reply.json(429, "{\"code\":\"TOO_MANY_REQUESTS\"}".getBytes(StandardCharsets.UTF_8), "TOO_MANY_REQUESTS");
            }
            try {
                twoInside.countDown();
                release.await(5, TimeUnit.SECONDS);
                return Reply.json(200, "{}".getBytes(StandardCharsets.UTF_8), null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                permit.get().close();
            }
        };
        try (EmulatorServer server = EmulatorServer.builder(endpoint).threads(4).start()) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<CompletableFuture<HttpResponse<String>>> inside = List.of(send(client, server.baseUrl()), send(client, server.baseUrl()));
            assertThat(twoInside.await(5, TimeUnit.SECONDS)).isTrue();

            HttpResponse<String> extra = send(client, server.baseUrl()).get(5, TimeUnit.SECONDS);
            release.countDown();

            assertThat(extra.statusCode()).isEqualTo(429);
            for (CompletableFuture<HttpResponse<String>> reply : inside) {
                assertThat(reply.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
            assertThat(send(client, server.baseUrl()).get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(server.calls().countErrors("TOO_MANY_REQUESTS")).isEqualTo(1);
            assertThat(server.maxConcurrentRequests()).isEqualTo(3);
            assertThat(cap.peak()).isEqualTo(2);
        }
    }

    private static CompletableFuture<HttpResponse<String>> send(HttpClient client, URI base) {
        return client.sendAsync(HttpRequest.newBuilder(base.resolve("api")).GET().build(), HttpResponse.BodyHandlers.ofString())
            .exceptionally(failure -> {
                throw new IllegalStateException(new IOException(failure));
            });
    }
}

package io.ttsmesh.mesh.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A GET whose whole exchange, body included, ends within its bound. {@link HttpRequest.Builder#timeout} stops counting
 * once the response's headers are in (JDK-8258397): a body that stalls after them blocked a benchmark's metrics read
 * for good. Past the bound the exchange is cancelled, which aborts its connection.
 */
final class BoundedGet {

    /** HTTP/1.1, as Prometheus and the kubelet read these endpoints, rather than java.net.http's default h2c upgrade. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private BoundedGet() {
    }

    /**
     * @throws HttpTimeoutException when the answer, body included, took longer than {@code bound}
     * @throws IOException          when the exchange failed
     */
    static HttpResponse<String> get(URI url, Duration bound) throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<String>> exchange = HTTP.sendAsync(
                HttpRequest.newBuilder(url).timeout(bound).GET().build(), HttpResponse.BodyHandlers.ofString());
        try {
            return exchange.get(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new HttpTimeoutException("no whole answer from " + url + " within " + bound.toMillis() + " ms");
        } catch (InterruptedException e) {
            exchange.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }
}

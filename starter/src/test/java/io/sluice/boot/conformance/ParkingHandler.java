package io.sluice.boot.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Holds every request in flight until the test releases it, then answers {@value #RELEASED}. A test learns
 * that a request has reached the handler by taking its release handle from {@link #awaitParked()}, so it
 * never has to guess how long the request takes to arrive.
 */
final class ParkingHandler implements HttpHandler {

    static final String RELEASED = "released";

    private final BlockingQueue<Sinks.Empty<Void>> parked = new LinkedBlockingQueue<>();

    @Override
    public Mono<Void> handle(ServerHttpRequest request, ServerHttpResponse response) {
        Sinks.Empty<Void> release = Sinks.empty();
        parked.add(release);
        return release.asMono().then(Mono.defer(() -> response.writeWith(
                Mono.just(response.bufferFactory().wrap(RELEASED.getBytes(StandardCharsets.US_ASCII))))));
    }

    /** Waits for the next request to arrive and returns what lets it complete ({@code tryEmitEmpty()}). */
    Sinks.Empty<Void> awaitParked() throws InterruptedException {
        Sinks.Empty<Void> release = parked.poll(10, TimeUnit.SECONDS);
        assertThat(release).as("a request reached the handler within 10 s").isNotNull();
        return release;
    }
}

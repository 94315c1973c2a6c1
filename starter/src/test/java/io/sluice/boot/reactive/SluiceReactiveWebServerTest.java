package io.sluice.boot.reactive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.web.server.GracefulShutdownResult;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.boot.web.server.Shutdown;
import org.springframework.boot.web.server.WebServer;
import org.springframework.http.server.reactive.HttpHandler;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** The {@link WebServer} lifecycle Boot relies on: binding, stopping, restarting, graceful shutdown. */
@Timeout(30)
class SluiceReactiveWebServerTest {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Sinks.Empty<Void> release = Sinks.empty();
    private final CompletableFuture<Void> parked = new CompletableFuture<>();
    private WebServer server;

    @AfterEach
    void destroy() {
        if (server != null) {
            server.destroy();
        }
    }

    /** Echoes {@code /echo}; parks {@code /park} until the test releases it. */
    private final HttpHandler handler = (request, response) -> {
        if (request.getPath().value().equals("/park")) {
            parked.complete(null);
            return release.asMono().then(response.writeWith(Mono.just(response.bufferFactory().wrap(
                    "released".getBytes(StandardCharsets.UTF_8)))));
        }
        return response.writeWith(request.getBody());
    };

    private WebServer create(Shutdown shutdown, int port) throws Exception {
        SluiceReactiveWebServerFactory factory = new SluiceReactiveWebServerFactory(port);
        factory.setAddress(InetAddress.getLoopbackAddress());
        factory.setShutdown(shutdown);
        server = factory.getWebServer(handler);
        return server;
    }

    private HttpResponse<String> post(String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + "/echo"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> parkOne() throws Exception {
        CompletableFuture<HttpResponse<String>> response = client.sendAsync(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.getPort() + "/park")).build(), BodyHandlers.ofString());
        parked.get(10, TimeUnit.SECONDS);
        return response;
    }

    @Test
    void bindsOnStartNotBeforeAndEchoes() throws Exception {
        create(Shutdown.IMMEDIATE, 0);
        assertThat(server.getPort()).isEqualTo(-1);
        server.start();
        assertThat(server.getPort()).isPositive();
        assertThat(post("Hello World").body()).isEqualTo("Hello World");
    }

    @Test
    void startsAgainAfterStopAndReportsNoPortAfterDestroy() throws Exception {
        create(Shutdown.IMMEDIATE, 0);
        server.start();
        server.stop();
        assertThat(server.getPort()).isEqualTo(-1);
        server.start();
        assertThat(post("again").body()).isEqualTo("again");
        server.destroy();
        assertThat(server.getPort()).isEqualTo(-1);
    }

    @Test
    void aTakenPortIsReportedAsPortInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            create(Shutdown.IMMEDIATE, taken.getLocalPort());
            assertThatThrownBy(server::start).isInstanceOf(PortInUseException.class);
        }
    }

    @Test
    void gracefulShutdownOfAnIdleServerIsIdle() throws Exception {
        create(Shutdown.GRACEFUL, 0);
        server.start();
        CompletableFuture<GracefulShutdownResult> result = new CompletableFuture<>();
        server.shutDownGracefully(result::complete);
        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(GracefulShutdownResult.IDLE);
    }

    @Test
    void gracefulShutdownWaitsForARequestInFlight() throws Exception {
        create(Shutdown.GRACEFUL, 0);
        server.start();
        CompletableFuture<HttpResponse<String>> response = parkOne();
        CompletableFuture<GracefulShutdownResult> result = new CompletableFuture<>();
        server.shutDownGracefully(result::complete);
        assertThat(result).isNotDone();
        release.tryEmitEmpty();
        assertThat(response.get(10, TimeUnit.SECONDS).body()).isEqualTo("released");
        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(GracefulShutdownResult.IDLE);
    }

    @Test
    void stopDuringGracefulShutdownReportsRequestsActive() throws Exception {
        create(Shutdown.GRACEFUL, 0);
        server.start();
        CompletableFuture<HttpResponse<String>> response = parkOne();
        CompletableFuture<GracefulShutdownResult> result = new CompletableFuture<>();
        server.shutDownGracefully(result::complete);
        server.stop();
        assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo(GracefulShutdownResult.REQUESTS_ACTIVE);
        assertThatThrownBy(() -> response.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class);
    }

    @Test
    void stopCompletesWithAParkedRequest() throws Exception {
        create(Shutdown.IMMEDIATE, 0);
        server.start();
        CompletableFuture<HttpResponse<String>> response = parkOne();
        server.stop();
        assertThat(server.getPort()).isEqualTo(-1);
        assertThatThrownBy(() -> response.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class);
    }

    @Test
    void immediateShutdownReportsImmediate() throws Exception {
        create(Shutdown.IMMEDIATE, 0);
        server.start();
        CompletableFuture<GracefulShutdownResult> result = new CompletableFuture<>();
        server.shutDownGracefully(result::complete);
        assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo(GracefulShutdownResult.IMMEDIATE);
    }
}

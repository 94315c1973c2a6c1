package io.sluice.server;

import static io.sluice.server.TransportTestSupport.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.HttpExchange;
import io.sluice.api.HttpResponse;
import io.sluice.testing.RawHttpClient;
import io.sluice.testing.RawHttpClient.Response;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Graceful shutdown and stop with exchanges an exchange handler has not answered yet. */
@Timeout(value = 15, unit = TimeUnit.SECONDS)
class ExchangeLifecycleTest {

    private SluiceServer server;
    private final CompletableFuture<HttpExchange> parked = new CompletableFuture<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private int start() throws IOException {
        server = TransportTestSupport.testServer().fallback(parked::complete).build();
        server.start();
        return server.port();
    }

    @Test
    void gracefulShutdownWaitsForAParkedExchangeToBeAnswered() throws Exception {
        int port = start();
        try (RawHttpClient client = new RawHttpClient(port)) {
            client.send(get("/parked"));
            HttpExchange exchange = parked.get(5, TimeUnit.SECONDS);
            CompletableFuture<Boolean> idle = server.shutdownGracefully(Duration.ofSeconds(10));
            assertThat(idle).isNotDone();
            exchange.respond(HttpResponse.text("finally"));
            Response response = client.readResponse();
            assertThat(response.bodyText()).isEqualTo("finally");
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(idle.get(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void stopCompletesWithAParkedExchangeAndFailsItsCompletion() throws Exception {
        int port = start();
        try (RawHttpClient client = new RawHttpClient(port)) {
            client.send(get("/parked"));
            HttpExchange exchange = parked.get(5, TimeUnit.SECONDS);
            CompletableFuture<Boolean> idle = server.shutdownGracefully(Duration.ofSeconds(10));
            server.stop();
            assertThat(idle.get(5, TimeUnit.SECONDS)).as("went idle").isFalse();
            assertThatThrownBy(() -> exchange.completion().toCompletableFuture().get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(IOException.class);
            assertThat(server.port()).isEqualTo(-1);
        }
    }

    @Test
    void aStoppedServerWithAFallbackStartsAgain() throws Exception {
        server = TransportTestSupport.testServer()
                .fallback(exchange -> exchange.respond(HttpResponse.text("up"))).build();
        server.start();
        server.stop();
        server.start();
        try (RawHttpClient client = new RawHttpClient(server.port())) {
            assertThat(client.exchange(get("/")).bodyText()).isEqualTo("up");
        }
    }
}

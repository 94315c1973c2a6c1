package io.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Dispatch;
import io.sluice.api.HttpResponse;
import io.sluice.api.Route;
import io.sluice.api.WebSocketHandler;
import io.sluice.testing.RawHttpClient;
import io.sluice.testing.RawHttpClient.Response;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fallback routes answer only what would otherwise be a 404: the application's routes, its WebSocket
 * endpoints and the 405s they imply all come first.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FallbackRouteTest {

    private static SluiceServer server;

    @BeforeAll
    static void start() throws Exception {
        server = SluiceServer.builder()
                .address("127.0.0.1").port(0).eventLoops(1)
                .route(Route.of("GET", "/app.js", request -> HttpResponse.text("route")).dispatch(Dispatch.EVENT_LOOP))
                .route(Route.of("GET", "/users/{id}", request -> HttpResponse.text("user " + request.pathVariable("id")))
                        .dispatch(Dispatch.EVENT_LOOP))
                .route(Route.of("POST", "/messages", request -> HttpResponse.noContent()).dispatch(Dispatch.EVENT_LOOP))
                .webSocket("/ws", new WebSocketHandler() { })
                .fallbackRoute(Route.of("GET", "/*", request -> HttpResponse.status(200)
                        .header("X-Raw-Path", request.rawPath()).text("fallback " + request.pathVariable("*"))))
                .build();
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    private static Response exchange(String request) throws Exception {
        try (RawHttpClient client = new RawHttpClient(server.port())) {
            return client.exchange(request);
        }
    }

    @Test
    void answersPathsNoRouteMatches() throws Exception {
        Response response = exchange("GET /css/site%20main.css HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("fallback css/site main.css");
        assertThat(response.header("x-raw-path")).isEqualTo("/css/site%20main.css");
        assertThat(exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n").bodyText()).isEqualTo("fallback ");
    }

    @Test
    void neverShadowsARoute() throws Exception {
        assertThat(exchange("GET /app.js HTTP/1.1\r\nHost: x\r\n\r\n").bodyText()).isEqualTo("route");
        assertThat(exchange("GET /users/7 HTTP/1.1\r\nHost: x\r\n\r\n").bodyText()).isEqualTo("user 7");
        // Deeper than the route's template: no route matches this path, so the fallback does.
        assertThat(exchange("GET /users/7/avatar HTTP/1.1\r\nHost: x\r\n\r\n").bodyText())
                .isEqualTo("fallback users/7/avatar");
    }

    @Test
    void aPathRoutedForOtherMethodsStillGets405() throws Exception {
        Response response = exchange("GET /messages HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(response.status()).isEqualTo(405);
        assertThat(allowed(response)).containsExactly("OPTIONS", "POST");
    }

    @Test
    void aMethodTheFallbackDoesNotServeGetsTheUsual404() throws Exception {
        Response response = exchange("DELETE /css/site.css HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(response.status()).isEqualTo(404);
        assertThat(exchange("OPTIONS /css/site.css HTTP/1.1\r\nHost: x\r\n\r\n").status()).isEqualTo(404);
    }

    @Test
    void headIsServedByTheGetFallbackWithoutABody() throws Exception {
        Response response = exchange("HEAD /notes.txt HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("content-length")).isEqualTo(String.valueOf("fallback notes.txt".length()));
        assertThat(response.body()).isEmpty();
    }

    @Test
    void aWebSocketPathKeepsItsHandshakeRefusal() throws Exception {
        // A plain GET to a WebSocket endpoint is a failed handshake, explained as such, not a static file.
        Response response = exchange("GET /ws HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.bodyText()).doesNotContain("fallback");
    }

    @Test
    void aMalformedPathIsRefusedBeforeAnyFallback() throws Exception {
        assertThat(exchange("GET /a%zz HTTP/1.1\r\nHost: x\r\n\r\n").status()).isEqualTo(400);
    }

    @Test
    void optionsStarListsTheFallbacksMethods() throws Exception {
        SluiceServer onlyFallback = SluiceServer.builder().address("127.0.0.1").port(0).eventLoops(1)
                .fallbackRoute(Route.of("GET", "/*", request -> HttpResponse.text("fallback")))
                .build();
        onlyFallback.start();
        try (RawHttpClient client = new RawHttpClient(onlyFallback.port())) {
            assertThat(allowed(client.exchange("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n")))
                    .containsExactly("GET", "HEAD", "OPTIONS");
        } finally {
            onlyFallback.stop();
        }
    }

    @Test
    void duplicateFallbacksFailTheBuild() {
        assertThatThrownBy(() -> SluiceServer.builder()
                .fallbackRoute(Route.of("GET", "/*", request -> HttpResponse.text("a")))
                .fallbackRoute(Route.of("GET", "/*", request -> HttpResponse.text("b")))
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Duplicate route GET /*");
    }

    private static List<String> allowed(Response response) {
        String allow = response.header("allow");
        assertThat(allow).as("Allow header").isNotNull();
        return Arrays.stream(allow.split(",")).map(String::trim).toList();
    }
}

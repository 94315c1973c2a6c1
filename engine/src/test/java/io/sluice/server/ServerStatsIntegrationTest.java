package io.sluice.server;

import static io.sluice.server.TransportTestSupport.awaitValue;
import static io.sluice.server.TransportTestSupport.get;
import static io.sluice.server.TransportTestSupport.testServer;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Dispatch;
import io.sluice.api.HttpResponse;
import io.sluice.api.Route;
import io.sluice.http.RequestError;
import io.sluice.testing.RawHttpClient;
import io.sluice.transport.CloseReason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The statistics a running server reports, driven over real sockets. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ServerStatsIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private SluiceServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void countsBytesRequestsResponsesAndConnections() throws Exception {
        server = testServer().get("/x", request -> HttpResponse.text("hello"))
                .get("/boom", request -> {
                    throw new IllegalStateException("expected by the test");
                }).build();
        server.start();
        assertThat(server.stats().requestsTotal()).isZero();

        long requestBytes = 0;
        long responseBytes = 0;
        try (RawHttpClient client = new RawHttpClient(server.port(), 5_000)) {
            for (int i = 0; i < 5; i++) {
                String request = get("/x");
                requestBytes += request.length();
                RawHttpClient.Response response = client.exchange(request);
                assertThat(response.status()).isEqualTo(200);
                responseBytes += response.body().length;
            }
            String missing = get("/missing");
            requestBytes += missing.length();
            assertThat(client.exchange(missing).status()).isEqualTo(404);
            String boom = get("/boom");
            requestBytes += boom.length();
            assertThat(client.exchange(boom).status()).isEqualTo(500);

            awaitValue("requests counted", WAIT, () -> server.stats().requestsTotal(), n -> n == 7);
            ServerStats stats = server.stats();
            assertThat(stats.connectionsActive()).isEqualTo(1);
            assertThat(stats.connectionsAccepted()).isEqualTo(1);
            assertThat(stats.requestsActive()).isZero();
            assertThat(stats.responsesByClass()).containsExactly(0, 5, 0, 1, 1);
            assertThat(stats.handlerErrors()).isEqualTo(1);
            assertThat(stats.bytesRead()).isEqualTo(requestBytes);
            assertThat(stats.bytesWritten()).isGreaterThan(responseBytes + 7 * "HTTP/1.1 200 OK\r\n".length());
            assertThat(stats.pendingTasksPerLoop()).hasSize(2);

            long writtenBefore = stats.bytesWritten();
            assertThat(client.exchange(get("/x")).status()).isEqualTo(200);
            awaitValue("bytes written grow", WAIT, () -> server.stats().bytesWritten(), n -> n > writtenBefore);
        }
        awaitValue("connection closed", WAIT, () -> server.stats().connectionsActive(), n -> n == 0);
        assertThat(server.stats().connectionsClosed(CloseReason.PEER_CLOSED)).isEqualTo(1);
    }

    @Test
    void countsMalformedRequestsByKind() throws Exception {
        server = testServer().get("/x", request -> HttpResponse.text("hello"))
                .post("/upload", request -> HttpResponse.text("stored")).build();
        server.start();

        try (RawHttpClient client = new RawHttpClient(server.port(), 5_000)) {
            RawHttpClient.Response response = client.exchange("GET /x HTTP/1.1\r\nHost : test\r\n\r\n");
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.header("connection")).isEqualToIgnoringCase("close");
            assertThat(client.isClosedByServer()).isTrue();
        }
        try (RawHttpClient client = new RawHttpClient(server.port(), 5_000)) {
            assertThat(client.exchange("GET /x HTTP/1.1\r\n\r\n").status()).isEqualTo(400);
            assertThat(client.isClosedByServer()).isTrue();
        }
        try (RawHttpClient client = new RawHttpClient(server.port(), 5_000)) {
            String longTarget = "/" + "a".repeat(9000);
            assertThat(client.exchange("GET " + longTarget + " HTTP/1.1\r\nHost: test\r\n\r\n").status()).isEqualTo(414);
        }
        try (RawHttpClient client = new RawHttpClient(server.port(), 5_000)) {
            client.send("POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 99999999\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(client.readResponse().status()).isEqualTo(413);
        }

        awaitValue("protocol-error closes counted", WAIT,
                () -> server.stats().connectionsClosed(CloseReason.PROTOCOL_ERROR), n -> n == 4);
        ServerStats stats = server.stats();
        assertThat(stats.requestErrors(RequestError.WHITESPACE_BEFORE_COLON)).isEqualTo(1);
        assertThat(stats.requestErrors(RequestError.INVALID_HOST)).isEqualTo(1);
        assertThat(stats.requestErrors(RequestError.URI_TOO_LONG)).isEqualTo(1);
        assertThat(stats.requestErrors(RequestError.BODY_TOO_LARGE)).isEqualTo(1);
        assertThat(stats.requestErrors().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(4);
        assertThat(stats.responsesByClass()[3]).isEqualTo(4);
        assertThat(stats.requestsTotal()).isEqualTo(4);
        assertThat(stats.requestsActive()).isZero();
        assertThat(stats.connectionsActive()).isZero();

        // A well-formed request afterwards is served as usual.
        try (RawHttpClient client = new RawHttpClient(server.port(), 5_000)) {
            assertThat(client.exchange(get("/x")).status()).isEqualTo(200);
        }
    }

    @Test
    void countsSelectorRebuilds() throws Exception {
        // An interrupted loop thread makes every select return at once without events: the same
        // symptom as the JDK epoll spin, which the loop cures by moving to a fresh selector.
        CompletableFuture<Thread> loopThread = new CompletableFuture<>();
        server = testServer().route(Route.of("GET", "/where", request -> {
            loopThread.complete(Thread.currentThread());
            return HttpResponse.text("here");
        }).dispatch(Dispatch.EVENT_LOOP)).build();
        server.start();
        assertThat(server.stats().selectorRebuilds()).isZero();
        try (RawHttpClient client = new RawHttpClient(server.port(), 5_000)) {
            assertThat(client.exchange(get("/where")).status()).isEqualTo(200);
        }

        loopThread.get(5, TimeUnit.SECONDS).interrupt();

        awaitValue("selector rebuilt", WAIT, () -> server.stats().selectorRebuilds(), n -> n >= 1);
    }

    @Test
    void statsOfAStoppedServerAreZeros() throws Exception {
        server = testServer().get("/x", request -> HttpResponse.text("hello")).build();
        ServerStats before = server.stats();
        assertThat(before.requestsTotal()).isZero();
        assertThat(before.connectionsActive()).isZero();
        assertThat(before.pendingTasksPerLoop()).isEmpty();
        server.start();
        try (RawHttpClient client = new RawHttpClient(server.port(), 5_000)) {
            assertThat(client.exchange(get("/x")).status()).isEqualTo(200);
        }
        server.stop();
        assertThat(server.stats().bytesRead()).isZero();
        assertThat(server.stats().connectionsActive()).isZero();
    }
}

package io.sluice.server;

import static io.sluice.server.TransportTestSupport.await;
import static io.sluice.server.TransportTestSupport.awaitValue;
import static io.sluice.server.TransportTestSupport.connectWithReceiveBuffer;
import static io.sluice.server.TransportTestSupport.get;
import static io.sluice.server.TransportTestSupport.testServer;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.HttpResponse;
import io.sluice.api.Route;
import io.sluice.testing.RawHttpClient;
import io.sluice.transport.CloseReason;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Header, idle, body and write timeouts over real sockets, with timeouts short enough for a test. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class TransportTimeoutTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private SluiceServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    private SluiceServer start(SluiceServer.Builder builder) throws IOException {
        server = builder.build();
        server.start();
        return server;
    }

    @Test
    void slowlorisHeadPastTheHeaderTimeoutGets408AndIsClosed() throws Exception {
        start(testServer().headerTimeout(Duration.ofMillis(300)).get("/x", request -> HttpResponse.text("ok")));
        byte[] head = ("GET /x HTTP/1.1\r\nHost: test\r\nX-Padding: " + "a".repeat(60) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        try (RawHttpClient client = new RawHttpClient(server.port(), 5_000)) {
            AtomicBoolean answered = new AtomicBoolean();
            AtomicLong sent = new AtomicLong();
            Thread dripper = new Thread(() -> {
                try {
                    for (int i = 0; i < head.length && !answered.get(); i++) {
                        client.send(new byte[] {head[i]});
                        sent.incrementAndGet();
                        Thread.sleep(100); // the attack's pace, not a synchronisation
                    }
                } catch (IOException | InterruptedException e) {
                    // the server closed the connection: expected
                }
            }, "slowloris");
            long started = System.nanoTime();
            dripper.start();

            RawHttpClient.Response response = client.readResponse();
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            answered.set(true);

            assertThat(response.status()).isEqualTo(408);
            assertThat(response.header("connection")).isEqualToIgnoringCase("close");
            assertThat(elapsedMillis).isBetween(250L, 3_000L);
            assertThat(sent.get()).as("bytes dripped before the 408").isLessThan(head.length);
            assertThat(client.isClosedByServer()).isTrue();
            dripper.join(5_000);
        }
        awaitValue("REQUEST_TIMEOUT close counted", WAIT,
                () -> server.stats().connectionsClosed(CloseReason.REQUEST_TIMEOUT), n -> n == 1);
        awaitValue("no connection left", WAIT, () -> server.stats().connectionsActive(), n -> n == 0);
        assertThat(server.stats().requestsActive()).isZero();
    }

    @Test
    void idleKeepAliveConnectionIsClosedWithoutAResponse() throws Exception {
        start(testServer().idleTimeout(Duration.ofMillis(300)).get("/x", request -> HttpResponse.text("ok")));
        try (RawHttpClient client = new RawHttpClient(server.port(), 5_000)) {
            RawHttpClient.Response response = client.exchange(get("/x"));
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("connection")).isNull();
            long idleSince = System.nanoTime();

            // isClosedByServer is false if any byte (an unsolicited response) arrives first.
            assertThat(client.isClosedByServer()).isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - idleSince)).isBetween(250L, 3_000L);
        }
        awaitValue("IDLE_TIMEOUT close counted", WAIT,
                () -> server.stats().connectionsClosed(CloseReason.IDLE_TIMEOUT), n -> n == 1);
        assertThat(server.stats().connectionsClosed(CloseReason.REQUEST_TIMEOUT)).isZero();
        assertThat(server.stats().responsesByClass()[3]).as("4xx responses").isZero();
    }

    @Test
    void connectionThatNeverSendsAByteIsClosedAfterTheIdleTimeout() throws Exception {
        start(testServer().idleTimeout(Duration.ofMillis(300)).get("/x", request -> HttpResponse.text("ok")));
        try (RawHttpClient client = new RawHttpClient(server.port(), 5_000)) {
            assertThat(client.isClosedByServer()).isTrue();
        }
        awaitValue("IDLE_TIMEOUT close counted", WAIT,
                () -> server.stats().connectionsClosed(CloseReason.IDLE_TIMEOUT), n -> n == 1);
        assertThat(server.stats().requestsTotal()).isZero();
    }

    @Test
    void handlerSlowerThanTheIdleTimeoutIsStillAnswered() throws Exception {
        // The idle timeout is for connections waiting for a request, not for one waiting for its handler.
        start(testServer().idleTimeout(Duration.ofMillis(200)).headerTimeout(Duration.ofMillis(200))
                .get("/slow", request -> {
                    Thread.sleep(700); // slow work, longer than both timeouts
                    return HttpResponse.text("done");
                }));
        try (RawHttpClient client = new RawHttpClient(server.port(), 5_000)) {
            RawHttpClient.Response response = client.exchange(get("/slow"));
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("done");
            assertThat(response.header("connection")).isNull();
            // Afterwards the connection idles out as usual.
            assertThat(client.isClosedByServer()).isTrue();
        }
        awaitValue("IDLE_TIMEOUT close counted", WAIT,
                () -> server.stats().connectionsClosed(CloseReason.IDLE_TIMEOUT), n -> n == 1);
    }

    @Test
    void slowlorisOnTheSecondRequestOfAKeepAliveConnectionGets408() throws Exception {
        start(testServer().headerTimeout(Duration.ofMillis(300)).get("/x", request -> HttpResponse.text("ok")));
        try (RawHttpClient client = new RawHttpClient(server.port(), 5_000)) {
            assertThat(client.exchange(get("/x")).status()).isEqualTo(200);
            long started = System.nanoTime();
            client.send("GET /x HTTP/1.1\r\nHost: te"); // and nothing more
            RawHttpClient.Response response = client.readResponse();
            assertThat(response.status()).isEqualTo(408);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(250L, 3_000L);
            assertThat(client.isClosedByServer()).isTrue();
        }
        awaitValue("REQUEST_TIMEOUT close counted", WAIT,
                () -> server.stats().connectionsClosed(CloseReason.REQUEST_TIMEOUT), n -> n == 1);
    }

    @Test
    void stalledBodyGets408AndIsClosed() throws Exception {
        CompletableFuture<String> handled = new CompletableFuture<>();
        start(testServer().bodyTimeout(Duration.ofMillis(300)).post("/upload", request -> {
            handled.complete(request.bodyAsString());
            return HttpResponse.text("got it");
        }));
        try (RawHttpClient client = new RawHttpClient(server.port(), 5_000)) {
            long started = System.nanoTime();
            client.send("POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 100\r\n\r\n0123456789");
            RawHttpClient.Response response = client.readResponse();
            assertThat(response.status()).isEqualTo(408);
            assertThat(response.header("connection")).isEqualToIgnoringCase("close");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(250L, 3_000L);
            assertThat(client.isClosedByServer()).isTrue();
        }
        awaitValue("REQUEST_TIMEOUT close counted", WAIT,
                () -> server.stats().connectionsClosed(CloseReason.REQUEST_TIMEOUT), n -> n == 1);
        assertThat(handled).as("the handler never saw the incomplete body").isNotDone();
        awaitValue("no request active", WAIT, () -> server.stats().requestsActive(), n -> n == 0);
    }

    @Test
    void bodyTimeoutIsPerStallNotPerBody() throws Exception {
        // A body that keeps arriving, more slowly than the body timeout allows in total but never stalling
        // for that long, is read completely.
        start(testServer().bodyTimeout(Duration.ofMillis(600)).post("/upload",
                request -> HttpResponse.text(Integer.toString(request.body().length))));
        try (RawHttpClient client = new RawHttpClient(server.port(), 5_000)) {
            client.send("POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 8\r\n\r\n");
            for (int i = 0; i < 8; i++) {
                client.send("x");
                Thread.sleep(100); // the client's pace (800 ms in all), not a synchronisation
            }
            RawHttpClient.Response response = client.readResponse();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("8");
        }
    }

    @Test
    void stalledStreamingBodyFailsTheHandlersReadAnd408() throws Exception {
        CompletableFuture<Throwable> readFailure = new CompletableFuture<>();
        start(testServer().bodyTimeout(Duration.ofMillis(300)).route(Route.of("PUT", "/upload", request -> {
            try {
                request.bodyStream().readAllBytes();
                readFailure.complete(null);
            } catch (IOException e) {
                readFailure.complete(e);
                throw e;
            }
            return HttpResponse.text("stored");
        }).withStreamingBody()));
        try (RawHttpClient client = new RawHttpClient(server.port(), 5_000)) {
            client.send("PUT /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 1000\r\n\r\n" + "y".repeat(100));
            RawHttpClient.Response response = client.readResponse();
            assertThat(response.status()).isEqualTo(408);
            assertThat(client.isClosedByServer()).isTrue();
        }
        assertThat(readFailure.get(5, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
        awaitValue("REQUEST_TIMEOUT close counted", WAIT,
                () -> server.stats().connectionsClosed(CloseReason.REQUEST_TIMEOUT), n -> n == 1);
        awaitValue("no request active", WAIT, () -> server.stats().requestsActive(), n -> n == 0);
    }

    @Test
    void clientThatNeverReadsIsClosedAfterTheWriteTimeoutAndTheWriterFails() throws Exception {
        AtomicLong produced = new AtomicLong();
        CompletableFuture<Throwable> writerOutcome = new CompletableFuture<>();
        start(testServer().writeTimeout(Duration.ofMillis(300)).get("/endless", request ->
                HttpResponse.status(200).stream(out -> {
                    byte[] piece = new byte[8192];
                    try {
                        while (produced.get() < (1L << 30)) {
                            out.write(piece);
                            produced.addAndGet(piece.length);
                        }
                        writerOutcome.complete(null);
                    } catch (IOException e) {
                        writerOutcome.complete(e);
                        throw e;
                    }
                })));
        try (Socket socket = connectWithReceiveBuffer(server.port(), 16 * 1024, 5_000)) {
            socket.getOutputStream().write(get("/endless").getBytes(StandardCharsets.US_ASCII));
            // Never read.
            Throwable failure = writerOutcome.get(10, TimeUnit.SECONDS);
            assertThat(failure).isInstanceOf(IOException.class);
            assertThat(produced.get()).as("bytes produced for a client that read nothing").isLessThan(16L << 20);
            awaitValue("WRITE_TIMEOUT close counted", WAIT,
                    () -> server.stats().connectionsClosed(CloseReason.WRITE_TIMEOUT), n -> n == 1);
            awaitValue("no request active", WAIT, () -> server.stats().requestsActive(), n -> n == 0);
            assertThat(server.stats().connectionsActive()).isZero();
            // The client sees the connection end: what was in flight, then end of stream or a reset.
            assertThat(drainsToClose(socket)).isTrue();
        }
    }

    @Test
    void responseThatDrainsSlowlyButSteadilyIsNotCutByTheWriteTimeout() throws Exception {
        // The write timeout is about progress, not total time: 2 MiB read in small sips over ~1.5 s
        // with a 300 ms write timeout arrives complete.
        int size = 2 << 20;
        start(testServer().writeTimeout(Duration.ofMillis(300)).get("/big",
                request -> HttpResponse.status(200).body(new byte[size])));
        try (Socket socket = connectWithReceiveBuffer(server.port(), 16 * 1024, 5_000)) {
            socket.getOutputStream().write(get("/big").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String head = TransportTestSupport.readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200");
            long remaining = TransportTestSupport.contentLength(head);
            assertThat(remaining).isEqualTo(size);
            byte[] sip = new byte[128 * 1024];
            while (remaining > 0) {
                int n = in.read(sip, 0, (int) Math.min(sip.length, remaining));
                assertThat(n).isPositive();
                remaining -= n;
                Thread.sleep(10); // the reader's pace
            }
        }
        assertThat(server.stats().connectionsClosed(CloseReason.WRITE_TIMEOUT)).isZero();
    }

    private static boolean drainsToClose(Socket socket) throws IOException {
        return TransportTestSupport.closedAfterDraining(socket);
    }
}

package io.sluice.server;

import static io.sluice.server.TransportTestSupport.await;
import static io.sluice.server.TransportTestSupport.awaitValue;
import static io.sluice.server.TransportTestSupport.get;
import static io.sluice.server.TransportTestSupport.testServer;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.HttpResponse;
import io.sluice.testing.RawHttpClient;
import io.sluice.transport.CloseReason;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Graceful shutdown, stop and restart over real sockets. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ServerLifecycleTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private SluiceServer server;

    @AfterEach
    void tearDown() {
        release.countDown();
        if (server != null) {
            server.stop();
        }
    }

    /** One loop, so "the idle connection was closed" also means "the acceptor was closed". */
    private SluiceServer startBlockingServer(int eventLoops) throws IOException {
        server = testServer().eventLoops(eventLoops)
                .get("/fast", request -> HttpResponse.text("fast"))
                .get("/slow", request -> {
                    entered.countDown();
                    release.await();
                    return HttpResponse.text("slow done");
                })
                .build();
        server.start();
        return server;
    }

    @Test
    void gracefulShutdownLetsTheRequestInFlightFinishAndClosesTheRest() throws Exception {
        startBlockingServer(1);
        int port = server.port();
        try (RawHttpClient idle = new RawHttpClient(port, 5_000); RawHttpClient busy = new RawHttpClient(port, 5_000)) {
            assertThat(idle.exchange(get("/fast")).status()).isEqualTo(200);
            busy.send(get("/slow"));
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Boolean> shutdown = server.shutdownGracefully(Duration.ofSeconds(10));

            // The idle keep-alive connection is closed without a response.
            assertThat(idle.isClosedByServer()).isTrue();
            // New connections are not accepted any more.
            assertThat(refusedOrClosedAtOnce(port)).isTrue();
            assertThat(shutdown).isNotDone();
            assertThat(server.isRunning()).isTrue();

            release.countDown();
            RawHttpClient.Response response = busy.readResponse();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("slow done");
            assertThat(response.header("connection")).isEqualToIgnoringCase("close");
            assertThat(busy.isClosedByServer()).isTrue();

            assertThat(shutdown.get(5, TimeUnit.SECONDS)).isTrue();
            // Completing means the server is stopped: a caller may start it again right away.
            assertThat(server.isRunning()).isFalse();
            assertThat(server.port()).isEqualTo(-1);
        }
    }

    @Test
    void gracefulShutdownWithTwoLoopsAndManyIdleConnections() throws Exception {
        startBlockingServer(2);
        int port = server.port();
        RawHttpClient[] idle = new RawHttpClient[20];
        try (RawHttpClient busy = new RawHttpClient(port, 5_000)) {
            for (int i = 0; i < idle.length; i++) {
                idle[i] = new RawHttpClient(port, 5_000);
                assertThat(idle[i].exchange(get("/fast")).status()).isEqualTo(200);
            }
            busy.send(get("/slow"));
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Boolean> shutdown = server.shutdownGracefully(Duration.ofSeconds(10));
            for (RawHttpClient client : idle) {
                assertThat(client.isClosedByServer()).isTrue();
            }
            awaitValue("only the busy connection left", WAIT, () -> server.stats().connectionsActive(), n -> n == 1);
            assertThat(server.stats().connectionsClosed(CloseReason.COMPLETED)).isEqualTo(idle.length);
            assertThat(shutdown).isNotDone();

            release.countDown();
            RawHttpClient.Response response = busy.readResponse();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("connection")).isEqualToIgnoringCase("close");
            assertThat(shutdown.get(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            for (RawHttpClient client : idle) {
                if (client != null) {
                    client.close();
                }
            }
        }
        await("server stopped", WAIT, () -> !server.isRunning());
        assertThat(server.port()).isEqualTo(-1);
    }

    @Test
    void gracefulShutdownThatRunsOutOfTimeCompletesFalseAndStopsAnyway() throws Exception {
        startBlockingServer(2);
        int port = server.port();
        try (RawHttpClient busy = new RawHttpClient(port, 5_000)) {
            busy.send(get("/slow"));
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

            long started = System.nanoTime();
            CompletableFuture<Boolean> shutdown = server.shutdownGracefully(Duration.ofMillis(300));
            assertThat(shutdown.get(5, TimeUnit.SECONDS)).isFalse();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isGreaterThanOrEqualTo(250);

            await("server stopped", WAIT, () -> !server.isRunning());
            assertThat(server.port()).isEqualTo(-1);
            // The connection of the unfinished request is closed, without a response.
            assertThat(busy.isClosedByServer()).isTrue();
            assertThat(refusedOrClosedAtOnce(port)).isTrue();
        }
    }

    @Test
    void stopDuringTheGracePeriodCompletesTheShutdownFalse() throws Exception {
        startBlockingServer(2);
        try (RawHttpClient busy = new RawHttpClient(server.port(), 5_000)) {
            busy.send(get("/slow"));
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Boolean> shutdown = server.shutdownGracefully(Duration.ofSeconds(30));
            assertThat(server.shutdownGracefully(Duration.ofSeconds(1))).as("a second call returns the same future")
                    .isSameAs(shutdown);

            server.stop();

            assertThat(shutdown).isCompletedWithValue(false);
            assertThat(server.isRunning()).isFalse();
            assertThat(server.port()).isEqualTo(-1);
            assertThat(busy.isClosedByServer()).isTrue();
        }
    }

    @Test
    void gracefulShutdownOfAnIdleServerCompletesTrueAtOnce() throws Exception {
        startBlockingServer(2);
        try (RawHttpClient client = new RawHttpClient(server.port(), 5_000)) {
            assertThat(client.exchange(get("/fast")).status()).isEqualTo(200);
        }
        awaitValue("client closed", WAIT, () -> server.stats().connectionsActive(), n -> n == 0);
        assertThat(server.shutdownGracefully(Duration.ofSeconds(10)).get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(server.port()).isEqualTo(-1);
        assertThat(server.shutdownGracefully(Duration.ofSeconds(1))).as("not running: nothing to wait for")
                .isCompletedWithValue(true);
    }

    @Test
    void restartsOnANewPortAfterStop() throws Exception {
        startBlockingServer(2);
        int first = server.port();
        assertThat(first).isPositive();
        assertThat(fetch(first, "/fast")).isEqualTo("fast");

        server.stop();
        assertThat(server.port()).isEqualTo(-1);
        assertThat(server.isRunning()).isFalse();
        server.stop(); // idempotent

        server.start();
        assertThat(server.port()).isPositive();
        assertThat(fetch(server.port(), "/fast")).isEqualTo("fast");
        awaitValue("counters restart at zero", WAIT, () -> server.stats().requestsTotal(), n -> n == 1);
    }

    @Test
    void restartsOnTheSameFixedPort() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        server = testServer().port(port).get("/fast", request -> HttpResponse.text("fast")).build();
        server.start();
        assertThat(server.port()).isEqualTo(port);
        // Leave a connection for the server to close, so the port has TIME_WAIT sockets on restart.
        assertThat(fetch(port, "/fast")).isEqualTo("fast");
        try (RawHttpClient open = new RawHttpClient(port, 5_000)) {
            assertThat(open.exchange(get("/fast")).status()).isEqualTo(200);
            server.stop();
            assertThat(open.isClosedByServer()).isTrue();
        }

        server.start();
        assertThat(server.port()).isEqualTo(port);
        assertThat(fetch(port, "/fast")).isEqualTo("fast");
        server.stop();
        server.start();
        assertThat(fetch(port, "/fast")).isEqualTo("fast");
    }

    @Test
    void restartsRightAfterAGracefulShutdownCompletes() throws Exception {
        startBlockingServer(2);
        assertThat(fetch(server.port(), "/fast")).isEqualTo("fast");
        assertThat(server.shutdownGracefully(Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS)).isTrue();

        server.start();
        assertThat(server.isRunning()).isTrue();
        int port = server.port();
        assertThat(port).isPositive();
        assertThat(fetch(port, "/fast")).isEqualTo("fast");
        // And it stays running: nothing left over from the previous shutdown stops it later.
        for (int i = 0; i < 10; i++) {
            assertThat(fetch(port, "/fast")).isEqualTo("fast");
        }
        assertThat(server.isRunning()).isTrue();
        assertThat(server.port()).isEqualTo(port);
    }

    @Test
    void startingTwiceDoesNothingAndABusyPortFailsCleanly() throws Exception {
        startBlockingServer(2);
        int port = server.port();
        server.start();
        assertThat(server.port()).isEqualTo(port);

        SluiceServer clash = testServer().reusePort(false).port(port).get("/x", request -> HttpResponse.text("x")).build();
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(clash::start).isInstanceOf(IOException.class);
            assertThat(clash.isRunning()).isFalse();
            assertThat(clash.port()).isEqualTo(-1);
        } finally {
            clash.stop();
        }
        assertThat(fetch(port, "/fast")).isEqualTo("fast");
    }

    @Test
    void aSecondServerWithReusePortOnTheSamePortFailsInsteadOfSharingIt() throws Exception {
        startBlockingServer(2);
        int port = server.port();
        SluiceServer clash = testServer().eventLoops(2).reusePort(true).port(port)
                .get("/x", request -> HttpResponse.text("x")).build();
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(clash::start).isInstanceOf(java.net.BindException.class);
            assertThat(clash.isRunning()).isFalse();
        } finally {
            clash.stop();
        }
        assertThat(fetch(port, "/fast")).isEqualTo("fast");
    }

    private static String fetch(int port, String path) throws IOException {
        try (RawHttpClient client = new RawHttpClient(port, 5_000)) {
            RawHttpClient.Response response = client.exchange(get(path));
            assertThat(response.status()).isEqualTo(200);
            return response.bodyText();
        }
    }

    /** Whether a new connection is refused, or accepted by the kernel but closed without an answer. */
    private static boolean refusedOrClosedAtOnce(int port) throws IOException {
        try (Socket socket = new Socket()) {
            try {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            } catch (ConnectException e) {
                return true;
            }
            socket.setSoTimeout(2_000);
            try {
                socket.getOutputStream().write(get("/fast").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                InputStream in = socket.getInputStream();
                return in.read() < 0;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true; // reset
            }
        }
    }
}

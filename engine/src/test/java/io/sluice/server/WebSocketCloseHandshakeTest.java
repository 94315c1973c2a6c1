package io.sluice.server;

import static io.sluice.server.TransportTestSupport.testServer;
import static io.sluice.server.WebSocketTestSupport.poll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Dispatch;
import io.sluice.api.WebSocketRoute;
import io.sluice.api.WebSocketSession;
import io.sluice.server.WebSocketTestSupport.Closed;
import io.sluice.server.WebSocketTestSupport.JdkClient;
import io.sluice.server.WebSocketTestSupport.Recorder;
import io.sluice.testing.RawWebSocketClient;
import io.sluice.testing.RawWebSocketClient.Frame;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The closing handshake (RFC 6455 §5.5.1, §7.1): both directions, timeouts, and graceful shutdown. */
@Timeout(20)
class WebSocketCloseHandshakeTest {

    private SluiceServer server;
    private Recorder recorder;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private void start(WebSocketOptions options) throws Exception {
        recorder = new Recorder();
        server = testServer()
                .webSocket(WebSocketRoute.of("/worker", recorder))
                .webSocket(WebSocketRoute.of("/loop", recorder).dispatch(Dispatch.EVENT_LOOP))
                .webSocketOptions(options)
                .build();
        server.start();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/worker", "/loop"})
    void aClientCloseIsEchoedAndTheServerClosesTcp(String path) throws Exception {
        start(WebSocketOptions.defaults());
        try (RawWebSocketClient ws = RawWebSocketClient.connect(server.port(), path)) {
            WebSocketSession session = recorder.awaitOpen();
            ws.sendClose(1000, "done");
            Frame echo = ws.readFrame();
            assertThat(echo.opcode()).isEqualTo(RawWebSocketClient.CLOSE);
            assertThat(echo.closeCode()).isEqualTo(1000);
            assertThat(ws.awaitServerClose()).as("server closes TCP first (§7.1.1)").isTrue();
            Closed closed = recorder.awaitClosed();
            assertThat(closed.code()).isEqualTo(1000);
            assertThat(closed.reason()).isEqualTo("done");
            assertThat(session.isOpen()).isFalse();
        }
    }

    @Test
    void aCloseWithoutCodeIsEchoedWithoutCodeAndReportedAs1005() throws Exception {
        start(WebSocketOptions.defaults());
        try (RawWebSocketClient ws = RawWebSocketClient.connect(server.port(), "/worker")) {
            ws.sendFrame(true, RawWebSocketClient.CLOSE, new byte[0]);
            Frame echo = ws.readFrame();
            assertThat(echo.opcode()).isEqualTo(RawWebSocketClient.CLOSE);
            assertThat(echo.payload()).isEmpty();
            assertThat(ws.awaitServerClose()).isTrue();
        }
        assertThat(recorder.awaitClosed().code()).isEqualTo(1005);
    }

    @Test
    void anApplicationCloseCodeFromTheClientIsEchoed() throws Exception {
        start(WebSocketOptions.defaults());
        try (RawWebSocketClient ws = RawWebSocketClient.connect(server.port(), "/worker")) {
            ws.sendClose(4321, "app");
            assertThat(ws.awaitCloseCode()).isEqualTo(4321);
            assertThat(ws.awaitServerClose()).isTrue();
        }
        assertThat(recorder.awaitClosed().code()).isEqualTo(4321);
    }

    @Test
    void dataAfterTheClientsCloseIsIgnored() throws Exception {
        start(WebSocketOptions.defaults());
        try (RawWebSocketClient ws = RawWebSocketClient.connect(server.port(), "/worker")) {
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            wire.writeBytes(RawWebSocketClient.encodeFrame(0x80 | RawWebSocketClient.TEXT, "before".getBytes(), true, 0));
            wire.writeBytes(RawWebSocketClient.encodeFrame(0x80 | RawWebSocketClient.CLOSE, new byte[] {0x03, (byte) 0xE8},
                    true, 0));
            wire.writeBytes(RawWebSocketClient.encodeFrame(0x80 | RawWebSocketClient.TEXT, "after".getBytes(), true, 0));
            wire.writeBytes(RawWebSocketClient.encodeFrame(0x80 | RawWebSocketClient.PING, "p".getBytes(), true, 0));
            // Garbage after the close would be a protocol error if it were read at all.
            wire.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
            ws.sendRaw(wire.toByteArray());
            // The echo of "before" may or may not precede the close; nothing answers "after" or the ping.
            Frame frame = ws.readFrame();
            if (frame.opcode() == RawWebSocketClient.TEXT) {
                assertThat(frame.text()).isEqualTo("before");
                frame = ws.readFrame();
            }
            assertThat(frame.opcode()).isEqualTo(RawWebSocketClient.CLOSE);
            assertThat(frame.closeCode()).isEqualTo(1000);
            assertThat(ws.awaitServerClose()).as("nothing after the close, then TCP closed").isTrue();
        }
        assertThat(recorder.awaitClosed().code()).isEqualTo(1000);
        assertThat(recorder.messages).containsExactly("before");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/worker", "/loop"})
    void aServerCloseReachesTheClientAndTcpClosesAfterItsAnswer(String path) throws Exception {
        start(WebSocketOptions.defaults().withCloseTimeout(Duration.ofSeconds(10)));
        try (RawWebSocketClient ws = RawWebSocketClient.builder(server.port(), path).readTimeoutMillis(300).connect()) {
            WebSocketSession session = recorder.awaitOpen();
            CompletableFuture<Void> closing = session.close(4000, "bye").toCompletableFuture();
            Frame close = ws.readFrame();
            assertThat(close.opcode()).isEqualTo(RawWebSocketClient.CLOSE);
            assertThat(close.closeCode()).isEqualTo(4000);
            assertThat(close.closeReason()).isEqualTo("bye");
            closing.get(5, TimeUnit.SECONDS);
            assertThat(session.isOpen()).isFalse();
            // Sends after close fail; a second close is harmless.
            assertThatThrownBy(() -> session.sendText("late").toCompletableFuture().get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
            // The server waits for our answer (the read times out, no end of stream)...
            assertThat(ws.awaitServerClose()).as("TCP still open before the client answers").isFalse();
            assertThat(recorder.closed).isEmpty();
            long answered = System.nanoTime();
            ws.sendClose(4000, "");
            // ...and closes right after it, long before the 10 s close timeout.
            ws.socket().setSoTimeout(5_000);
            assertThat(ws.awaitServerClose()).isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - answered)).isLessThan(3_000);
        }
        Closed closed = recorder.awaitClosed();
        assertThat(closed.code()).isEqualTo(4000);
    }

    @Test
    void aServerCloseTimesOutWhenTheClientNeverAnswers() throws Exception {
        start(WebSocketOptions.defaults().withCloseTimeout(Duration.ofMillis(300)));
        try (RawWebSocketClient ws = RawWebSocketClient.connect(server.port(), "/worker")) {
            WebSocketSession session = recorder.awaitOpen();
            long start = System.nanoTime();
            session.close(4000, "bye");
            assertThat(ws.readFrame().closeCode()).isEqualTo(4000);
            assertThat(ws.awaitServerClose()).as("closed after the close timeout").isTrue();
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(elapsed).isGreaterThanOrEqualTo(250).isLessThan(4_000);
        }
        Closed closed = recorder.awaitClosed();
        // No close frame came back: the connection closed abnormally (RFC 6455 §7.1.5).
        assertThat(closed.code()).isEqualTo(1006);
    }

    @Test
    void theJdkClientAnswersAServerCloseByItself() throws Exception {
        start(WebSocketOptions.defaults());
        JdkClient client = JdkClient.connect(HttpClient.newHttpClient(), server.port(), "/worker");
        WebSocketSession session = recorder.awaitOpen();
        session.close(4000, "bye");
        assertThat(client.awaitClose()).isEqualTo(4000);
        // java.net.http.WebSocket answers the close by itself once onClose returns.
        assertThat(recorder.awaitClosed().code()).isEqualTo(4000);
    }

    @Test
    void gracefulShutdownClosesSessionsWith1001() throws Exception {
        start(WebSocketOptions.defaults());
        JdkClient jdk = JdkClient.connect(HttpClient.newHttpClient(), server.port(), "/worker");
        RawWebSocketClient raw = RawWebSocketClient.connect(server.port(), "/loop");
        try (raw) {
            recorder.awaitOpen();
            recorder.awaitOpen();
            assertThat(server.stats().webSocket().sessionsActive()).isEqualTo(2);
            CompletableFuture<Boolean> shutdown = server.shutdownGracefully(Duration.ofSeconds(10));
            assertThat(raw.awaitCloseCode()).isEqualTo(1001);
            assertThat(jdk.awaitClose()).isEqualTo(1001);
            raw.sendClose(1001, "");
            assertThat(raw.awaitServerClose()).isTrue();
            assertThat(shutdown.get(10, TimeUnit.SECONDS)).as("went idle in time").isTrue();
        }
        Closed first = poll(recorder.closed, "first close");
        Closed second = poll(recorder.closed, "second close");
        assertThat(first.code()).isEqualTo(1001);
        assertThat(second.code()).isEqualTo(1001);
    }

    @Test
    void gracefulShutdownClosesAnUnansweredSessionAfterTheCloseTimeout() throws Exception {
        start(WebSocketOptions.defaults().withCloseTimeout(Duration.ofMillis(300)));
        try (RawWebSocketClient ws = RawWebSocketClient.connect(server.port(), "/worker")) {
            recorder.awaitOpen();
            long start = System.nanoTime();
            CompletableFuture<Boolean> shutdown = server.shutdownGracefully(Duration.ofSeconds(10));
            Frame close = ws.readFrame();
            assertThat(close.closeCode()).isEqualTo(1001);
            // Never answered: the server gives up after the close timeout, well within the grace period.
            assertThat(ws.awaitServerClose()).isTrue();
            assertThat(shutdown.get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
        }
        assertThat(recorder.awaitClosed().code()).isEqualTo(1006);
    }

    @Test
    void stopEndsSessionsAbnormally() throws Exception {
        start(WebSocketOptions.defaults());
        try (RawWebSocketClient ws = RawWebSocketClient.connect(server.port(), "/loop")) {
            WebSocketSession session = recorder.awaitOpen();
            server.stop();
            assertThat(ws.awaitServerClose()).isTrue();
            Closed closed = recorder.awaitClosed();
            assertThat(closed.code()).isEqualTo(1006);
            assertThat(session.isOpen()).isFalse();
            assertThatThrownBy(() -> session.sendText("x").toCompletableFuture().get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
        }
    }

    @Test
    void aClientDroppingTcpWithoutACloseFrameIs1006() throws Exception {
        start(WebSocketOptions.defaults());
        RawWebSocketClient ws = RawWebSocketClient.connect(server.port(), "/worker");
        recorder.awaitOpen();
        ws.sendFrame(false, RawWebSocketClient.TEXT, "half a mess".getBytes());
        ws.close();
        assertThat(recorder.awaitClosed().code()).isEqualTo(1006);
        assertThat(recorder.messages).isEmpty();
    }
}

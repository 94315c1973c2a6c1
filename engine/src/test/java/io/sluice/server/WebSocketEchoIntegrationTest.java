package io.sluice.server;

import static io.sluice.server.TransportTestSupport.await;
import static io.sluice.server.TransportTestSupport.testServer;
import static io.sluice.server.WebSocketTestSupport.binary;
import static io.sluice.server.WebSocketTestSupport.poll;
import static io.sluice.server.WebSocketTestSupport.utf8Text;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Dispatch;
import io.sluice.api.WebSocketMessage;
import io.sluice.api.WebSocketRoute;
import io.sluice.api.WebSocketSession;
import io.sluice.server.WebSocketTestSupport.Closed;
import io.sluice.server.WebSocketTestSupport.JdkClient;
import io.sluice.server.WebSocketTestSupport.Recorder;
import io.sluice.testing.RawWebSocketClient;
import io.sluice.testing.RawWebSocketClient.Frame;
import io.sluice.testing.RawWebSocketClient.Message;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Echo over real sockets: message sizes across every length encoding (RFC 6455 §5.2) on both dispatch
 * modes, fragmented input reassembled around interleaved pings (§5.4), pings and pongs (§5.5.2-3), and
 * server keep-alive pings with the pong timeout.
 */
@Timeout(30)
class WebSocketEchoIntegrationTest {

    private static final int[] SIZES = {0, 125, 126, 65535, 65536};

    private SluiceServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private Recorder start(WebSocketOptions options) throws Exception {
        Recorder recorder = new Recorder();
        server = testServer()
                .webSocket(WebSocketRoute.of("/loop", recorder).dispatch(Dispatch.EVENT_LOOP))
                .webSocket(WebSocketRoute.of("/worker", recorder))
                .webSocketOptions(options)
                .build();
        server.start();
        return recorder;
    }

    @ParameterizedTest
    @ValueSource(strings = {"/loop", "/worker"})
    void echoesTextAndBinaryOfEveryLengthEncoding(String path) throws Exception {
        start(WebSocketOptions.defaults());
        JdkClient client = JdkClient.connect(http, server.port(), path);
        for (int size : SIZES) {
            String text = utf8Text(size);
            client.webSocket.sendText(text, true).get(5, TimeUnit.SECONDS);
            assertThat(client.next()).as("text of %d bytes", size).isEqualTo(text);
            byte[] data = binary(size, size);
            client.webSocket.sendBinary(ByteBuffer.wrap(data), true).get(5, TimeUnit.SECONDS);
            assertThat((byte[]) client.next()).as("binary of %d bytes", size).isEqualTo(data);
        }
        client.webSocket.sendClose(1000, "").get(5, TimeUnit.SECONDS);
        assertThat(client.awaitClose()).isEqualTo(1000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/loop", "/worker"})
    void echoesExactLengthBoundariesOverTheRawClient(String path) throws Exception {
        start(WebSocketOptions.defaults());
        try (RawWebSocketClient ws = RawWebSocketClient.connect(server.port(), path)) {
            for (int size : SIZES) {
                byte[] data = binary(size, 7 + size);
                ws.sendBinary(data);
                Message echo = ws.readMessage();
                assertThat(echo.type()).isEqualTo(RawWebSocketClient.BINARY);
                assertThat(echo.data()).isEqualTo(data);
                assertThat(echo.frames()).isEqualTo(1);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/loop", "/worker"})
    void echoes16MiBMessagesWhenTheLimitsAllowThem(String path) throws Exception {
        start(WebSocketOptions.defaults().withMaxFrameSize(32 << 20).withMaxMessageSize(32 << 20));
        JdkClient client = JdkClient.connect(http, server.port(), path);
        byte[] data = binary(16 << 20, 16);
        client.webSocket.sendBinary(ByteBuffer.wrap(data), true).get(10, TimeUnit.SECONDS);
        assertThat(Arrays.equals((byte[]) client.next(), data)).as("16 MiB binary echoed intact").isTrue();
        String text = utf8Text(16 << 20);
        client.webSocket.sendText(text, true).get(10, TimeUnit.SECONDS);
        assertThat(((String) client.next()).equals(text)).as("16 MiB text echoed intact").isTrue();
        client.webSocket.sendClose(1000, "").get(5, TimeUnit.SECONDS);
        assertThat(client.awaitClose()).isEqualTo(1000);
    }

    @Test
    void refusesA16MiBMessageUnderTheDefaultLimits() throws Exception {
        Recorder recorder = start(WebSocketOptions.defaults());
        JdkClient client = JdkClient.connect(http, server.port(), "/worker");
        client.webSocket.sendBinary(ByteBuffer.wrap(new byte[16 << 20]), true);
        assertThat(client.awaitClose()).isEqualTo(1009);
        assertThat(recorder.awaitClosed().code()).isEqualTo(1009);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/loop", "/worker"})
    void reassemblesTextFragmentedOverManyContinuationsWithPingsInBetween(String path) throws Exception {
        Recorder recorder = start(WebSocketOptions.defaults());
        String text = "Fragmentation: ünïcödé split everywhere — €uro, 𝄞 clef, and plain ASCII. " + utf8Text(300);
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        try (RawWebSocketClient ws = RawWebSocketClient.connect(server.port(), path)) {
            int fragments = 0;
            int pings = 0;
            // Fragments of 1 to 7 bytes: multi-byte characters get split across frames.
            for (int offset = 0; offset < utf8.length; ) {
                int end = Math.min(utf8.length, offset + 1 + fragments % 7);
                int opcode = offset == 0 ? RawWebSocketClient.TEXT : RawWebSocketClient.CONTINUATION;
                ws.sendFrame(end == utf8.length, opcode, Arrays.copyOfRange(utf8, offset, end));
                if (fragments % 10 == 0) {
                    ws.sendPing(("ping " + pings++).getBytes(StandardCharsets.US_ASCII));
                }
                fragments++;
                offset = end;
            }
            assertThat(fragments).isGreaterThan(50);
            // Pongs come first (each ping is answered as it arrives), then the whole message.
            Message echo = ws.readMessage();
            assertThat(echo.text()).isEqualTo(text);
            assertThat(ws.pongPayloads()).extracting(p -> new String(p, StandardCharsets.US_ASCII))
                    .containsExactly(java.util.stream.IntStream.range(0, pings).mapToObj(i -> "ping " + i)
                            .toArray(String[]::new));
            assertThat(poll(recorder.messages, "the reassembled message")).isEqualTo(text);
            // Binary too, with an empty final continuation frame.
            ws.sendFrame(false, RawWebSocketClient.BINARY, new byte[] {1, 2});
            ws.sendPing(new byte[0]);
            ws.sendFrame(false, RawWebSocketClient.CONTINUATION, new byte[] {3});
            ws.sendFrame(true, RawWebSocketClient.CONTINUATION, new byte[0]);
            assertThat(ws.readMessage().data()).containsExactly(1, 2, 3);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/loop", "/worker"})
    void answersPingsWithTheSamePayload(String path) throws Exception {
        start(WebSocketOptions.defaults());
        try (RawWebSocketClient ws = RawWebSocketClient.connect(server.port(), path)) {
            for (byte[] payload : new byte[][] {new byte[0], "hello".getBytes(StandardCharsets.US_ASCII),
                    binary(125, 125)}) {
                ws.sendPing(payload);
                Frame pong = ws.readFrame();
                assertThat(pong.opcode()).isEqualTo(RawWebSocketClient.PONG);
                assertThat(pong.fin()).isTrue();
                assertThat(pong.payload()).isEqualTo(payload);
            }
        }
    }

    @Test
    void ignoresAnUnsolicitedPongButReportsIt() throws Exception {
        Recorder recorder = start(WebSocketOptions.defaults());
        try (RawWebSocketClient ws = RawWebSocketClient.connect(server.port(), "/worker")) {
            WebSocketSession session = recorder.awaitOpen();
            ws.sendPong("unsolicited".getBytes(StandardCharsets.US_ASCII));
            ws.sendText("still here");
            Message echo = ws.readMessage();
            assertThat(echo.text()).isEqualTo("still here");
            assertThat(new String(poll(recorder.pongs, "onPong"), StandardCharsets.US_ASCII)).isEqualTo("unsolicited");
            assertThat(session.isOpen()).isTrue();
            assertThat(recorder.closed).isEmpty();
        }
    }

    @Test
    void serverPingsAnsweredByTheClientKeepTheSessionOpen() throws Exception {
        Recorder recorder = start(WebSocketOptions.defaults().withPingInterval(Duration.ofMillis(100))
                .withPongTimeout(Duration.ofMillis(300)));
        try (RawWebSocketClient ws = RawWebSocketClient.connect(server.port(), "/loop")) {
            WebSocketSession session = recorder.awaitOpen();
            // Over several pong timeouts: every ping answered, no close.
            int pings = 0;
            while (pings < 8) {
                Frame frame = ws.readFrame();
                assertThat(frame.opcode()).as("only pings arrive").isEqualTo(RawWebSocketClient.PING);
                ws.sendPong(frame.payload());
                pings++;
            }
            assertThat(session.isOpen()).isTrue();
            ws.sendText("alive");
            assertThat(ws.readMessage().text()).isEqualTo("alive");
            assertThat(recorder.closed).isEmpty();
        }
    }

    @Test
    void theJdkClientAnswersServerPingsAndKeepsItsSession() throws Exception {
        Recorder recorder = start(WebSocketOptions.defaults().withPingInterval(Duration.ofMillis(50))
                .withPongTimeout(Duration.ofMillis(200)));
        JdkClient client = JdkClient.connect(http, server.port(), "/worker");
        WebSocketSession session = recorder.awaitOpen();
        client.webSocket.sendText("first", true).get(5, TimeUnit.SECONDS);
        assertThat(client.next()).isEqualTo("first");
        // With no traffic, the server pings every 50 ms (2 bytes each): wait for at least 10 of them,
        // over two pong timeouts, all answered by the client.
        long written = server.stats().bytesWritten();
        await("ten server pings", Duration.ofSeconds(5), () -> server.stats().bytesWritten() - written >= 20);
        assertThat(session.isOpen()).isTrue();
        assertThat(recorder.closed).isEmpty();
        client.webSocket.sendText("second", true).get(5, TimeUnit.SECONDS);
        assertThat(client.next()).isEqualTo("second");
        client.webSocket.sendClose(1000, "").get(5, TimeUnit.SECONDS);
        assertThat(client.awaitClose()).isEqualTo(1000);
    }

    @Test
    void aClientThatNeverAnswersPingsIsDroppedAfterThePongTimeout() throws Exception {
        Recorder recorder = start(WebSocketOptions.defaults().withPingInterval(Duration.ofMillis(100))
                .withPongTimeout(Duration.ofMillis(300)));
        try (RawWebSocketClient ws = RawWebSocketClient.connect(server.port(), "/worker")) {
            ws.answerPings(false);
            long start = System.nanoTime();
            Frame ping = ws.readFrame();
            assertThat(ping.opcode()).isEqualTo(RawWebSocketClient.PING);
            assertThat(ws.awaitServerClose()).as("TCP closed by the server").isTrue();
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(elapsedMillis).isGreaterThanOrEqualTo(300).isLessThan(4000);
            Closed closed = recorder.awaitClosed();
            assertThat(closed.code()).isEqualTo(1006);
            assertThat(closed.session().isOpen()).isFalse();
        }
        await("stats count the 1006", Duration.ofSeconds(5),
                () -> server.stats().webSocket().sessionsClosed(1006) == 1);
    }

    @Test
    void aClientAnsweringPingsIsNotDroppedWhileTheServerItselfPausesReading() throws Exception {
        // The application subscribes without demand: the server stops reading, so the client's pongs wait
        // unread in the socket. That is the server's doing, not a dead peer (cf. the 408 rule for HTTP).
        AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        Recorder recorder = new Recorder() {
            @Override
            public void onOpen(WebSocketSession session) throws Exception {
                session.receive().subscribe(new Flow.Subscriber<WebSocketMessage>() {
                    @Override
                    public void onSubscribe(Flow.Subscription s) {
                        subscription.set(s);
                    }

                    @Override
                    public void onNext(WebSocketMessage message) {
                        received.add(message.text());
                    }

                    @Override
                    public void onError(Throwable failure) {
                    }

                    @Override
                    public void onComplete() {
                    }
                });
                super.onOpen(session);
            }
        };
        server = testServer().webSocket(WebSocketRoute.of("/ws", recorder))
                .webSocketOptions(WebSocketOptions.defaults().withPingInterval(Duration.ofMillis(100))
                        .withPongTimeout(Duration.ofMillis(200)))
                .build();
        server.start();
        try (RawWebSocketClient ws = RawWebSocketClient.builder(server.port(), "/ws").readTimeoutMillis(100).connect()) {
            WebSocketSession session = recorder.awaitOpen();
            ws.sendText("waits for demand");
            // Watch the connection over four pong timeouts, answering every ping.
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(800);
            while (System.nanoTime() < end) {
                Frame frame;
                try {
                    frame = ws.readFrame();
                } catch (SocketTimeoutException quiet) {
                    continue;
                }
                assertThat(frame.opcode()).as("nothing but pings").isEqualTo(RawWebSocketClient.PING);
                ws.sendPong(frame.payload());
            }
            assertThat(session.isOpen()).isTrue();
            assertThat(recorder.closed).isEmpty();
            subscription.get().request(1);
            assertThat(poll(received, "the message, once demanded")).isEqualTo("waits for demand");
        }
    }
}

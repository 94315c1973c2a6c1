package io.sluice.server;

import static io.sluice.server.TransportTestSupport.await;
import static io.sluice.server.TransportTestSupport.testServer;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Dispatch;
import io.sluice.api.WebSocketRoute;
import io.sluice.server.WebSocketTestSupport.JdkClient;
import io.sluice.server.WebSocketTestSupport.Recorder;
import io.sluice.testing.RawWebSocketClient;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link ServerStats#webSocket()}: sessions opened, active and closed by code; messages and bytes each way. */
@Timeout(20)
class WebSocketStatsTest {

    private SluiceServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void countsSessionsByCloseCodeAndMessagesAndBytesEachWay() throws Exception {
        Recorder recorder = new Recorder();
        server = testServer()
                .webSocket(WebSocketRoute.of("/ws", recorder).dispatch(Dispatch.EVENT_LOOP))
                .webSocketOptions(WebSocketOptions.defaults().withCompression(true))
                .build();
        server.start();
        WebSocketStats initial = server.stats().webSocket();
        assertThat(initial.sessionsOpened()).isZero();
        assertThat(initial.sessionsActive()).isZero();
        assertThat(initial.sessionsClosed()).isEmpty();

        RawWebSocketClient a = RawWebSocketClient.connect(server.port(), "/ws");
        RawWebSocketClient b = RawWebSocketClient.connect(server.port(), "/ws");
        RawWebSocketClient c = RawWebSocketClient.builder(server.port(), "/ws").extensions("permessage-deflate")
                .connect();
        JdkClient d = JdkClient.connect(HttpClient.newHttpClient(), server.port(), "/ws");
        await("four sessions open", Duration.ofSeconds(5), () -> server.stats().webSocket().sessionsActive() == 4);
        assertThat(server.stats().webSocket().sessionsOpened()).isEqualTo(4);

        // a: 3 text messages (5 + 10 + 300 bytes) and 2 binary (100 + 70000 bytes), all echoed.
        try (a) {
            for (String text : new String[] {"a".repeat(5), "é".repeat(5), "x".repeat(300)}) {
                a.sendText(text);
                assertThat(a.readMessage().text()).isEqualTo(text);
            }
            for (int size : new int[] {100, 70_000}) {
                a.sendBinary(new byte[size]);
                assertThat(a.readMessage().data()).hasSize(size);
            }
            a.sendClose(1000, "");
            assertThat(a.awaitCloseCode()).isEqualTo(1000);
        }
        // b: a protocol error.
        try (b) {
            b.sendFrame(0x80 | 0x3, new byte[0]);
            assertThat(b.awaitCloseCode()).isEqualTo(1002);
        }
        // c: a compressed text message of 2000 bytes: counted decompressed in and uncompressed out.
        try (c) {
            byte[] text = "z".repeat(2000).getBytes(StandardCharsets.US_ASCII);
            c.sendCompressed(RawWebSocketClient.TEXT, text, 1);
            RawWebSocketClient.Message echo = c.readMessage();
            assertThat(echo.compressed()).isTrue();
            assertThat(echo.data()).isEqualTo(text);
            c.sendClose(4000, "app");
            assertThat(c.awaitCloseCode()).isEqualTo(4000);
        }
        // d: one binary message, then the session is left open.
        d.webSocket.sendBinary(ByteBuffer.wrap(new byte[7]), true).get(5, TimeUnit.SECONDS);
        assertThat((byte[]) d.next()).hasSize(7);

        await("three sessions closed", Duration.ofSeconds(5), () -> server.stats().webSocket().sessionsActive() == 1);
        WebSocketStats stats = server.stats().webSocket();
        assertThat(stats.sessionsOpened()).isEqualTo(4);
        assertThat(stats.sessionsClosed(1000)).isEqualTo(1);
        assertThat(stats.sessionsClosed(1002)).isEqualTo(1);
        assertThat(stats.sessionsClosed(-1)).as("4000 is counted with the other codes").isEqualTo(1);
        assertThat(stats.sessionsClosed()).containsOnlyKeys(1000, 1002, -1);
        assertThat(stats.textMessagesIn()).isEqualTo(4);
        assertThat(stats.textMessagesOut()).isEqualTo(4);
        assertThat(stats.textBytesIn()).isEqualTo(5 + 10 + 300 + 2000);
        assertThat(stats.textBytesOut()).isEqualTo(5 + 10 + 300 + 2000);
        assertThat(stats.binaryMessagesIn()).isEqualTo(3);
        assertThat(stats.binaryMessagesOut()).isEqualTo(3);
        assertThat(stats.binaryBytesIn()).isEqualTo(100 + 70_000 + 7);
        assertThat(stats.binaryBytesOut()).isEqualTo(100 + 70_000 + 7);

        d.webSocket.abort(); // TCP gone without a close frame: 1006
        await("the aborted session counted as 1006", Duration.ofSeconds(5),
                () -> server.stats().webSocket().sessionsClosed(1006) == 1);
        assertThat(server.stats().webSocket().sessionsActive()).isZero();
        assertThat(recorder.closed).hasSize(4);
    }

    @Test
    void failedHandshakesOpenNoSession() throws Exception {
        server = testServer().webSocket(WebSocketRoute.of("/ws", new Recorder())).build();
        server.start();
        try (io.sluice.testing.RawHttpClient client = new io.sluice.testing.RawHttpClient(server.port())) {
            assertThat(client.exchange("GET /ws HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Version: 8\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").status())
                    .isEqualTo(426);
        }
        WebSocketStats stats = server.stats().webSocket();
        assertThat(stats.sessionsOpened()).isZero();
        assertThat(stats.sessionsActive()).isZero();
    }
}

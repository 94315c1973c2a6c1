package io.sluice.server;

import static io.sluice.server.TransportTestSupport.testServer;
import static io.sluice.server.WebSocketTestSupport.utf8Text;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Dispatch;
import io.sluice.api.WebSocketRoute;
import io.sluice.server.WebSocketTestSupport.JdkClient;
import io.sluice.server.WebSocketTestSupport.Recorder;
import io.sluice.testing.RawWebSocketClient;
import io.sluice.testing.RawWebSocketClient.Message;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * permessage-deflate (RFC 7692) end to end with the raw client (java.net.http.WebSocket never offers
 * it): negotiation of each parameter, compressed messages both ways with and without context takeover,
 * and the decompressed-size limit against a zip bomb.
 */
@Timeout(20)
class WebSocketCompressionIntegrationTest {

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

    private static String repetitive(int round) {
        return ("{\"round\":" + round + ",\"text\":\"the quick brown fox jumps over the lazy dog\",\"pad\":\"")
                + "x".repeat(200) + "\"} " + utf8Text(100);
    }

    /** Sends compressed messages and checks each echo: compressed when large, and intact. */
    private static void roundTrip(RawWebSocketClient ws, int messages) throws Exception {
        for (int i = 0; i < messages; i++) {
            String text = repetitive(i % 3); // repeats, so context takeover changes the bytes
            ws.sendCompressed(RawWebSocketClient.TEXT, text.getBytes(StandardCharsets.UTF_8), 1 + i % 3);
            Message echo = ws.readMessage();
            assertThat(echo.type()).isEqualTo(RawWebSocketClient.TEXT);
            assertThat(echo.compressed()).as("the server compresses its echo").isTrue();
            assertThat(echo.text()).isEqualTo(text);
        }
        byte[] binary = new byte[10_000];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i % 17);
        }
        ws.sendCompressed(RawWebSocketClient.BINARY, binary, 4);
        Message echo = ws.readMessage();
        assertThat(echo.type()).isEqualTo(RawWebSocketClient.BINARY);
        assertThat(echo.data()).isEqualTo(binary);
        // Uncompressed messages are fine on a compressed session; small echoes go out uncompressed.
        ws.sendText("tiny");
        Message tiny = ws.readMessage();
        assertThat(tiny.text()).isEqualTo("tiny");
        assertThat(tiny.compressed()).isFalse();
        ws.sendCompressed(RawWebSocketClient.TEXT, new byte[0], 1);
        assertThat(ws.readMessage().data()).isEmpty();
    }

    @ParameterizedTest(name = "offer [{0}] -> [{1}]")
    @CsvSource(delimiter = '|', value = {
        "permessage-deflate                                         | permessage-deflate",
        "permessage-deflate; server_no_context_takeover             | permessage-deflate; server_no_context_takeover",
        "permessage-deflate; client_no_context_takeover             | permessage-deflate; client_no_context_takeover",
        "permessage-deflate; client_max_window_bits                 | permessage-deflate",
        "permessage-deflate; client_max_window_bits=10              | permessage-deflate",
        "permessage-deflate; server_max_window_bits=15              | permessage-deflate; server_max_window_bits=15",
        "permessage-deflate; server_no_context_takeover; client_no_context_takeover; client_max_window_bits "
                + "| permessage-deflate; server_no_context_takeover; client_no_context_takeover",
        "permessage-deflate; server_max_window_bits=10, permessage-deflate; client_max_window_bits | permessage-deflate",
        "x-webkit-deflate-frame, permessage-deflate                 | permessage-deflate",
    })
    void negotiatesEachParameterAndEchoesCompressedMessages(String offer, String expected) throws Exception {
        start(WebSocketOptions.defaults().withCompression(true));
        for (String path : new String[] {"/worker", "/loop"}) {
            try (RawWebSocketClient ws = RawWebSocketClient.builder(server.port(), path).extensions(offer).connect()) {
                assertThat(ws.handshakeHeader("Sec-WebSocket-Extensions")).isEqualTo(expected);
                assertThat(ws.deflateNegotiated()).isTrue();
                roundTrip(ws, 6);
            }
        }
    }

    @Test
    void declinesASmallerServerWindowAndRefusesCompressedFramesThen() throws Exception {
        start(WebSocketOptions.defaults().withCompression(true));
        try (RawWebSocketClient ws = RawWebSocketClient.builder(server.port(), "/worker")
                .extensions("permessage-deflate; server_max_window_bits=10").connect()) {
            assertThat(ws.handshakeHeader("Sec-WebSocket-Extensions")).isNull();
            assertThat(ws.deflateNegotiated()).isFalse();
            String text = repetitive(1);
            ws.sendText(text);
            Message echo = ws.readMessage();
            assertThat(echo.compressed()).isFalse();
            assertThat(echo.text()).isEqualTo(text);
            // Without the extension, RSV1 is a protocol error.
            Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            ws.sendFrame(RawWebSocketClient.FIN | RawWebSocketClient.RSV1 | RawWebSocketClient.TEXT,
                    RawWebSocketClient.deflateSyncFlush(deflater, text.getBytes(StandardCharsets.UTF_8)));
            deflater.end();
            assertThat(ws.awaitCloseCode()).isEqualTo(1002);
            assertThat(ws.awaitServerClose()).isTrue();
        }
    }

    @Test
    void negotiatesNothingWhenCompressionIsOff() throws Exception {
        start(WebSocketOptions.defaults());
        try (RawWebSocketClient ws = RawWebSocketClient.builder(server.port(), "/worker")
                .extensions("permessage-deflate; client_max_window_bits").connect()) {
            assertThat(ws.handshakeHeader("Sec-WebSocket-Extensions")).isNull();
            String text = repetitive(2);
            ws.sendText(text);
            assertThat(ws.readMessage().compressed()).isFalse();
        }
    }

    @Test
    void theJdkClientWhichNeverOffersDeflateWorksOnACompressingServer() throws Exception {
        start(WebSocketOptions.defaults().withCompression(true));
        JdkClient client = JdkClient.connect(HttpClient.newHttpClient(), server.port(), "/worker");
        String text = repetitive(0);
        client.webSocket.sendText(text, true).get(5, TimeUnit.SECONDS);
        assertThat(client.next()).isEqualTo(text);
    }

    @Test
    void aCompressedZipBombOverMaxMessageSizeIs1009() throws Exception {
        start(WebSocketOptions.defaults().withCompression(true).withMaxMessageSize(1 << 20));
        try (RawWebSocketClient ws = RawWebSocketClient.builder(server.port(), "/worker")
                .extensions("permessage-deflate").connect()) {
            byte[] bomb = ws.compress(new byte[64 << 20]); // 64 MiB of zeros: about 64 KiB compressed
            assertThat(bomb.length).isLessThan(1 << 20);
            ws.sendFrame(RawWebSocketClient.FIN | RawWebSocketClient.RSV1 | RawWebSocketClient.BINARY, bomb);
            assertThat(ws.awaitCloseCode()).isEqualTo(1009);
            assertThat(ws.awaitServerClose()).isTrue();
        }
        assertThat(recorder.awaitClosed().code()).isEqualTo(1009);
        assertThat(recorder.messages).isEmpty();
    }

    @Test
    void aCompressedMessageJustUnderTheLimitIsAccepted() throws Exception {
        start(WebSocketOptions.defaults().withCompression(true).withMaxMessageSize(1 << 20));
        try (RawWebSocketClient ws = RawWebSocketClient.builder(server.port(), "/worker")
                .extensions("permessage-deflate").connect()) {
            byte[] data = new byte[1 << 20];
            ws.sendCompressed(RawWebSocketClient.BINARY, data, 2);
            Message echo = ws.readMessage();
            assertThat(echo.data()).hasSize(1 << 20).containsOnly(0);
        }
    }

    @Test
    void corruptCompressedDataIs1007() throws Exception {
        start(WebSocketOptions.defaults().withCompression(true));
        try (RawWebSocketClient ws = RawWebSocketClient.builder(server.port(), "/worker")
                .extensions("permessage-deflate").connect()) {
            // BTYPE 11 (reserved) in the first block header.
            ws.sendFrame(RawWebSocketClient.FIN | RawWebSocketClient.RSV1 | RawWebSocketClient.BINARY,
                    new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x00});
            assertThat(ws.awaitCloseCode()).isEqualTo(1007);
            assertThat(ws.awaitServerClose()).isTrue();
        }
    }

    @Test
    void rsv1OnAContinuationFrameIs1002EvenWithDeflate() throws Exception {
        start(WebSocketOptions.defaults().withCompression(true));
        try (RawWebSocketClient ws = RawWebSocketClient.builder(server.port(), "/worker")
                .extensions("permessage-deflate").connect()) {
            byte[] compressed = ws.compress(repetitive(0).getBytes(StandardCharsets.UTF_8));
            int half = compressed.length / 2;
            ws.sendFrame(RawWebSocketClient.RSV1 | RawWebSocketClient.TEXT, java.util.Arrays.copyOf(compressed, half));
            ws.sendFrame(RawWebSocketClient.FIN | RawWebSocketClient.RSV1 | RawWebSocketClient.CONTINUATION,
                    java.util.Arrays.copyOfRange(compressed, half, compressed.length));
            assertThat(ws.awaitCloseCode()).isEqualTo(1002);
        }
    }
}

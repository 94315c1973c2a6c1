package io.sluice.server;

import static io.sluice.server.TransportTestSupport.testServer;
import static io.sluice.testing.RawWebSocketClient.BINARY;
import static io.sluice.testing.RawWebSocketClient.CLOSE;
import static io.sluice.testing.RawWebSocketClient.CONTINUATION;
import static io.sluice.testing.RawWebSocketClient.FIN;
import static io.sluice.testing.RawWebSocketClient.PING;
import static io.sluice.testing.RawWebSocketClient.PONG;
import static io.sluice.testing.RawWebSocketClient.RSV1;
import static io.sluice.testing.RawWebSocketClient.RSV2;
import static io.sluice.testing.RawWebSocketClient.RSV3;
import static io.sluice.testing.RawWebSocketClient.TEXT;
import static io.sluice.testing.RawWebSocketClient.encodeFrame;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Dispatch;
import io.sluice.api.WebSocketRoute;
import io.sluice.server.WebSocketTestSupport.Closed;
import io.sluice.server.WebSocketTestSupport.Recorder;
import io.sluice.testing.RawWebSocketClient;
import io.sluice.testing.RawWebSocketClient.Frame;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way a client can break RFC 6455 (and the size limits), each answered with the right close code
 * (§7.4.1) in a close frame, after which the server closes TCP (§7.1.1: the server closes first) and the
 * application's {@code onClose} sees the same code. Nothing sent before the violation is lost, and nothing
 * after it is processed.
 */
@Timeout(20)
class WebSocketProtocolErrorTest {

    private static final int MAX_FRAME = 1024;
    private static final int MAX_MESSAGE = 4096;

    private SluiceServer server;
    private Recorder recorder;

    @BeforeEach
    void start() throws Exception {
        recorder = new Recorder();
        server = testServer()
                .webSocket(WebSocketRoute.of("/worker", recorder))
                .webSocket(WebSocketRoute.of("/loop", recorder).dispatch(Dispatch.EVENT_LOOP))
                .webSocketOptions(WebSocketOptions.defaults().withMaxFrameSize(MAX_FRAME).withMaxMessageSize(MAX_MESSAGE))
                .build();
        server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private static byte[] masked(int firstByte, byte[] payload) {
        return encodeFrame(firstByte, payload, true, 0);
    }

    private static byte[] masked(int firstByte, String payload) {
        return masked(firstByte, payload.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] closePayload(int code, byte[] reason) {
        return concat(bytes(code >>> 8, code), reason);
    }

    private static Arguments violation(String name, int expectedCode, byte[] wire) {
        return Arguments.of(Named.of(name, wire), expectedCode);
    }

    static Stream<Arguments> violations() {
        List<Arguments> cases = new ArrayList<>();
        // Extension bits with no extension negotiated (§5.2)
        cases.add(violation("RSV1 on text without an extension", 1002, masked(FIN | RSV1 | TEXT, "x")));
        cases.add(violation("RSV2 on binary", 1002, masked(FIN | RSV2 | BINARY, "x")));
        cases.add(violation("RSV3 on text", 1002, masked(FIN | RSV3 | TEXT, "x")));
        cases.add(violation("RSV1 on a ping", 1002, masked(FIN | RSV1 | PING, "x")));
        // Reserved opcodes (§5.2): non-control 3-7, control 0xB-0xF
        for (int opcode : new int[] {0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF}) {
            cases.add(violation("reserved opcode 0x" + Integer.toHexString(opcode), 1002, masked(FIN | opcode, "x")));
        }
        // Control frames (§5.5): at most 125 bytes, never fragmented
        cases.add(violation("ping of 126 bytes", 1002, masked(FIN | PING, new byte[126])));
        cases.add(violation("pong of 200 bytes", 1002, masked(FIN | PONG, new byte[200])));
        cases.add(violation("close of 126 bytes", 1002, masked(FIN | CLOSE, closePayload(1000, new byte[124]))));
        cases.add(violation("fragmented ping", 1002, masked(PING, "x")));
        cases.add(violation("fragmented close", 1002, masked(CLOSE, closePayload(1000, new byte[0]))));
        // Fragmentation order (§5.4)
        cases.add(violation("continuation without a started message", 1002, masked(FIN | CONTINUATION, "x")));
        cases.add(violation("text frame inside a fragmented text message", 1002,
                concat(masked(TEXT, "a"), masked(FIN | TEXT, "b"))));
        cases.add(violation("binary frame inside a fragmented text message", 1002,
                concat(masked(TEXT, "a"), masked(FIN | BINARY, "b"))));
        cases.add(violation("continuation after a finished message", 1002,
                concat(masked(FIN | TEXT, "a"), masked(FIN | CONTINUATION, "b"))));
        // Masking (§5.1) and length encoding (§5.2)
        cases.add(violation("unmasked text frame", 1002, encodeFrame(FIN | TEXT, bytes('h', 'i'), false, 0)));
        cases.add(violation("unmasked ping", 1002, encodeFrame(FIN | PING, new byte[0], false, 0)));
        cases.add(violation("16-bit length for 5 bytes", 1002, encodeFrame(FIN | TEXT, bytes('a', 'b', 'c', 'd', 'e'), true, 2)));
        cases.add(violation("16-bit length for 125 bytes", 1002, encodeFrame(FIN | BINARY, new byte[125], true, 2)));
        cases.add(violation("64-bit length for 200 bytes", 1002, encodeFrame(FIN | BINARY, new byte[200], true, 8)));
        cases.add(violation("64-bit length with the high bit set", 1002,
                bytes(FIN | BINARY, 0x80 | 127, 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4)));
        // Close frames (§5.5.1, §7.4)
        cases.add(violation("close with a 1-byte payload", 1002, masked(FIN | CLOSE, bytes(0x03))));
        for (int code : new int[] {0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535}) {
            cases.add(violation("close code " + code, 1002, masked(FIN | CLOSE, closePayload(code, new byte[0]))));
        }
        cases.add(violation("close reason not UTF-8", 1007, masked(FIN | CLOSE, closePayload(1000, bytes('o', 'k', 0xC3, 0x28)))));
        cases.add(violation("close reason with a surrogate", 1007, masked(FIN | CLOSE, closePayload(1000, bytes(0xED, 0xA0, 0x80)))));
        // UTF-8 in text messages (§8.1)
        cases.add(violation("text with an invalid byte", 1007, masked(FIN | TEXT, bytes('a', 0xFF, 'b'))));
        cases.add(violation("text with an overlong encoding", 1007, masked(FIN | TEXT, bytes(0xC0, 0x80))));
        cases.add(violation("text with a surrogate", 1007, masked(FIN | TEXT, bytes(0xED, 0xA0, 0x80))));
        cases.add(violation("text above U+10FFFF", 1007, masked(FIN | TEXT, bytes(0xF4, 0x90, 0x80, 0x80))));
        cases.add(violation("text ending inside a sequence", 1007, masked(FIN | TEXT, bytes('a', 0xE2, 0x82))));
        cases.add(violation("invalid UTF-8 split across fragments", 1007,
                concat(masked(TEXT, bytes('o', 'k', 0xE2)), masked(CONTINUATION, bytes(0x82)),
                        masked(FIN | CONTINUATION, bytes(0x28)))));
        cases.add(violation("fragments ending inside a sequence", 1007,
                concat(masked(TEXT, bytes('o', 'k')), masked(FIN | CONTINUATION, bytes(0xF0, 0x9F, 0x98)))));
        // Limits (§7.4.1: 1009)
        cases.add(violation("frame over maxFrameSize", 1009, masked(FIN | BINARY, new byte[MAX_FRAME + 1])));
        cases.add(violation("frame header declaring 2 GiB", 1009,
                bytes(FIN | BINARY, 0x80 | 127, 0, 0, 0, 0, 0x80, 0, 0, 0, 1, 2, 3, 4)));
        byte[] fragment = new byte[MAX_FRAME];
        cases.add(violation("message over maxMessageSize in frames within maxFrameSize", 1009,
                concat(masked(BINARY, fragment), masked(CONTINUATION, fragment), masked(CONTINUATION, fragment),
                        masked(CONTINUATION, fragment), masked(FIN | CONTINUATION, bytes(1)))));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("violations")
    void failsTheConnectionWithTheRightCodeAndClosesTcp(byte[] wire, int expectedCode) throws Exception {
        assertFailsWith("/worker", wire, expectedCode);
    }

    @ParameterizedTest(name = "{0} -> {1} (event loop)")
    @MethodSource("violations")
    void failsTheSameWayOnEventLoopEndpoints(byte[] wire, int expectedCode) throws Exception {
        assertFailsWith("/loop", wire, expectedCode);
    }

    private void assertFailsWith(String path, byte[] wire, int expectedCode) throws Exception {
        try (RawWebSocketClient ws = RawWebSocketClient.connect(server.port(), path)) {
            ws.sendText("before");
            assertThat(ws.readMessage().text()).isEqualTo("before");
            // The violation, then a message that must not be processed.
            ws.sendRaw(concat(wire, masked(FIN | TEXT, "after")));
            Frame close = ws.awaitCloseFrame();
            assertThat(close.closeCode()).as("close code").isEqualTo(expectedCode);
            assertThat(close.payload().length).isLessThanOrEqualTo(125);
            assertThat(ws.awaitServerClose()).as("server closed TCP").isTrue();
        }
        Closed closed = recorder.awaitClosed();
        assertThat(closed.code()).as("onClose code").isEqualTo(expectedCode);
        assertThat(recorder.errors.poll()).as("onError").isNotNull();
        assertThat(recorder.messages).startsWith("before").doesNotContain("after");
        assertThat(server.stats().webSocket().sessionsClosed(expectedCode)).isEqualTo(1);
    }

    @Test
    void aViolationSplitByteByByteIsFoundAllTheSame() throws Exception {
        try (RawWebSocketClient ws = RawWebSocketClient.connect(server.port(), "/worker")) {
            byte[] wire = concat(masked(TEXT, bytes('o', 'k', 0xE2)), masked(FIN | CONTINUATION, bytes(0x82, 0x28)));
            for (byte b : wire) {
                ws.sendRaw(new byte[] {b});
            }
            assertThat(ws.awaitCloseCode()).isEqualTo(1007);
            assertThat(ws.awaitServerClose()).isTrue();
        }
        assertThat(recorder.awaitClosed().code()).isEqualTo(1007);
    }

    @Test
    void aFrameAtExactlyTheLimitsIsAccepted() throws Exception {
        try (RawWebSocketClient ws = RawWebSocketClient.connect(server.port(), "/worker")) {
            byte[] fragment = new byte[MAX_FRAME];
            ws.sendFrame(false, BINARY, fragment).sendFrame(false, CONTINUATION, fragment)
                    .sendFrame(false, CONTINUATION, fragment).sendFrame(true, CONTINUATION, fragment);
            assertThat(ws.readMessage().data()).hasSize(MAX_MESSAGE);
        }
    }
}

package io.sluice.boot.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.WebSocketHandler;
import io.sluice.api.WebSocketSession;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A WebSocket echo endpoint and a JDK client that exchanges a known number of messages with it. */
final class WebSocketEcho {

    private WebSocketEcho() {
    }

    /** Echoes every message back as it came. */
    static final class Echo implements WebSocketHandler {

        @Override
        public void onText(WebSocketSession session, String text) {
            session.sendText(text);
        }

        @Override
        public void onBinary(WebSocketSession session, byte[] data) {
            session.sendBinary(data);
        }
    }

    /** The JDK's WebSocket client, sending a known number of messages and awaiting their echoes. */
    static final class EchoClient implements WebSocket.Listener {

        static final int TEXTS = 3;
        static final int BINARIES = 2;

        private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        private final CompletableFuture<Integer> closedWith = new CompletableFuture<>();
        private WebSocket webSocket;

        static EchoClient connect(int port) throws Exception {
            EchoClient client = new EchoClient();
            client.webSocket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/echo"), client)
                    .get(10, TimeUnit.SECONDS);
            return client;
        }

        void exchange() throws Exception {
            for (int i = 0; i < TEXTS; i++) {
                webSocket.sendText("text " + i, true).get(10, TimeUnit.SECONDS);
            }
            for (int i = 0; i < BINARIES; i++) {
                webSocket.sendBinary(ByteBuffer.wrap(new byte[] {(byte) i, 1, 2}), true).get(10, TimeUnit.SECONDS);
            }
            for (int i = 0; i < TEXTS + BINARIES; i++) {
                assertThat(received.poll(10, TimeUnit.SECONDS)).as("echo " + i).isNotNull();
            }
        }

        void close() throws Exception {
            webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
            assertThat(closedWith.get(10, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            received.add(data.toString());
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
            received.add(data);
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            closedWith.complete(statusCode);
            return null;
        }
    }
}

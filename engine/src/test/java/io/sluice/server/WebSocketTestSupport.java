package io.sluice.server;

import io.sluice.api.WebSocketHandler;
import io.sluice.api.WebSocketSession;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Shared pieces of the WebSocket integration tests: a recording (optionally echoing) handler, a
 * {@link java.net.http.WebSocket} client that collects whole messages, and payload generators.
 */
final class WebSocketTestSupport {

    static final long WAIT_SECONDS = 10;

    private WebSocketTestSupport() {
    }

    /** How a session ended, as {@link WebSocketHandler#onClose} saw it. */
    record Closed(WebSocketSession session, int code, String reason, String thread) {
    }

    /**
     * Records every callback; echoes text and binary messages unless {@link #echo} is false. Queues are
     * filled in callback order.
     */
    static class Recorder implements WebSocketHandler {
        volatile boolean echo = true;
        final BlockingQueue<WebSocketSession> opened = new LinkedBlockingQueue<>();
        final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        final BlockingQueue<byte[]> pongs = new LinkedBlockingQueue<>();
        final BlockingQueue<Closed> closed = new LinkedBlockingQueue<>();
        final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();

        @Override
        public void onOpen(WebSocketSession session) throws Exception {
            opened.add(session);
        }

        @Override
        public void onText(WebSocketSession session, String text) throws Exception {
            messages.add(text);
            if (echo) {
                session.sendText(text);
            }
        }

        @Override
        public void onBinary(WebSocketSession session, byte[] data) throws Exception {
            messages.add(data);
            if (echo) {
                session.sendBinary(data);
            }
        }

        @Override
        public void onPong(WebSocketSession session, byte[] payload) {
            pongs.add(payload);
        }

        @Override
        public void onClose(WebSocketSession session, int code, String reason) {
            closed.add(new Closed(session, code, reason, Thread.currentThread().getName()));
        }

        @Override
        public void onError(WebSocketSession session, Throwable error) {
            errors.add(error);
        }

        WebSocketSession awaitOpen() throws InterruptedException {
            return poll(opened, "a session to open");
        }

        Closed awaitClosed() throws InterruptedException {
            return poll(closed, "a session to close");
        }
    }

    static <T> T poll(BlockingQueue<T> queue, String what) throws InterruptedException {
        T value = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (value == null) {
            throw new AssertionError("Timed out waiting for " + what);
        }
        return value;
    }

    /** A {@link java.net.http.WebSocket} client collecting whole messages (String or byte[]) and the close. */
    static final class JdkClient implements WebSocket.Listener {
        final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        final CompletableFuture<Throwable> error = new CompletableFuture<>();
        private StringBuilder text = new StringBuilder();
        private java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();
        WebSocket webSocket;

        static JdkClient connect(HttpClient http, int port, String target) throws Exception {
            return connect(http, port, target, List.of());
        }

        static JdkClient connect(HttpClient http, int port, String target, List<String> subprotocols)
                throws Exception {
            JdkClient client = new JdkClient();
            WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
            if (!subprotocols.isEmpty()) {
                builder.subprotocols(subprotocols.get(0),
                        subprotocols.subList(1, subprotocols.size()).toArray(new String[0]));
            }
            client.webSocket = builder.buildAsync(URI.create("ws://127.0.0.1:" + port + target), client)
                    .get(WAIT_SECONDS, TimeUnit.SECONDS);
            return client;
        }

        static CompletableFuture<JdkClient> connectAsync(HttpClient http, int port, String target) {
            JdkClient client = new JdkClient();
            return http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + target), client)
                    .thenApply(ws -> {
                        client.webSocket = ws;
                        return client;
                    });
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text = new StringBuilder();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.write(bytes, 0, bytes.length);
            if (last) {
                messages.add(binary.toByteArray());
                binary = new java.io.ByteArrayOutputStream();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable failure) {
            error.complete(failure);
            closeCode.completeExceptionally(failure);
        }

        Object next() throws InterruptedException {
            return poll(messages, "a message from the server");
        }

        int awaitClose() throws Exception {
            try {
                return closeCode.get(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("Timed out waiting for the server's close frame");
            }
        }
    }

    /** A string of exactly {@code bytes} UTF-8 bytes, mixing 1-, 2- and 3-byte characters. */
    static String utf8Text(int bytes) {
        StringBuilder text = new StringBuilder(bytes);
        int size = 0;
        int i = 0;
        while (size < bytes) {
            int left = bytes - size;
            if (left >= 3 && i % 7 == 3) {
                text.append('€');
                size += 3;
            } else if (left >= 2 && i % 5 == 1) {
                text.append('é');
                size += 2;
            } else {
                text.append((char) ('a' + i % 26));
                size++;
            }
            i++;
        }
        String result = text.toString();
        if (result.getBytes(StandardCharsets.UTF_8).length != bytes) {
            throw new IllegalStateException("utf8Text miscounted");
        }
        return result;
    }

    /** {@code bytes} pseudo-random bytes, the same for the same arguments. */
    static byte[] binary(int bytes, long seed) {
        byte[] data = new byte[bytes];
        new java.util.Random(seed).nextBytes(data);
        return data;
    }
}

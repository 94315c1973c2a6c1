package io.sluice.boot.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The JDK's WebSocket client, with what it receives queued as events to wait for in order. */
final class TestWebSocketClient implements WebSocket.Listener {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final long WAIT_SECONDS = 5;

    sealed interface Event permits Text, Binary, Closed, Failed {
    }

    record Text(String text) implements Event {
    }

    record Binary(byte[] data) implements Event {
    }

    record Closed(int code, String reason) implements Event {
    }

    record Failed(Throwable error) implements Event {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    private WebSocket socket;

    static TestWebSocketClient connect(int port, String path) throws Exception {
        TestWebSocketClient client = new TestWebSocketClient();
        client.socket = HTTP.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + path), client)
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
        return client;
    }

    TestWebSocketClient sendText(String message) throws Exception {
        socket.sendText(message, true).get(WAIT_SECONDS, TimeUnit.SECONDS);
        return this;
    }

    TestWebSocketClient sendBinary(byte[] message) throws Exception {
        socket.sendBinary(ByteBuffer.wrap(message), true).get(WAIT_SECONDS, TimeUnit.SECONDS);
        return this;
    }

    void close(int code, String reason) throws Exception {
        socket.sendClose(code, reason).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Drops the connection without a close handshake. */
    void abort() {
        socket.abort();
    }

    Event next() throws InterruptedException {
        Event event = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(event).as("an event within " + WAIT_SECONDS + " s").isNotNull();
        return event;
    }

    String nextText() throws InterruptedException {
        return assertThat(next()).asInstanceOf(type(Text.class)).actual().text();
    }

    byte[] nextBinary() throws InterruptedException {
        return assertThat(next()).asInstanceOf(type(Binary.class)).actual().data();
    }

    /** The close frame the server sent; a message before it fails the test. */
    Closed nextClose() throws InterruptedException {
        return assertThat(next()).asInstanceOf(type(Closed.class)).actual();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            events.add(new Text(text.toString()));
            text.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        binary.writeBytes(bytes);
        if (last) {
            events.add(new Binary(binary.toByteArray()));
            binary.reset();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        // Returning null answers the server's close frame at once.
        events.add(new Closed(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        events.add(new Failed(error));
    }

    static String utf8(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }
}

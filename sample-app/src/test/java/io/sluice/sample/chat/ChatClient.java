package io.sluice.sample.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A chat member for tests, on the JDK's WebSocket client: it keeps every event the server sends, in order, and
 * lets a test wait for the ones it expects. Every wait has a deadline, so a missing event fails the test
 * instead of hanging it.
 */
final class ChatClient implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final JsonMapper JSON = JsonMapper.builder().build();

    /** How the server closed the session. */
    record Close(int code, String reason) {
    }

    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private final CompletableFuture<Close> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private ChatClient(HttpClient http, URI uri) {
        this.socket = http.newWebSocketBuilder()
                .connectTimeout(WAIT)
                .buildAsync(uri, new Listener())
                .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS)
                .join();
    }

    /** Joins {@code room} as {@code name}; {@code name} is sent as it is, percent-encoded. */
    static ChatClient join(int port, String room, String name) {
        return connect(port, "/ws/rooms/" + room + "?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8));
    }

    static ChatClient connect(int port, String pathAndQuery) {
        return new ChatClient(HttpClient.newHttpClient(), URI.create("ws://127.0.0.1:" + port + pathAndQuery));
    }

    /** Joins and waits until the server has confirmed it with a presence list that names {@code name}. */
    static ChatClient joined(int port, String room, String name) throws InterruptedException {
        ChatClient client = join(port, room, name);
        client.next(event -> event.get("type").asString().equals("presence")
                && names(event.get("members")).contains(name));
        return client;
    }

    void say(String text) {
        send(JSON.writeValueAsString(new ChatEndpoint.ClientMessage("chat", text)));
    }

    void send(String raw) {
        socket.sendText(raw, true).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** The next event of {@code type}; events of other types before it are passed over. */
    JsonNode next(String type) throws InterruptedException {
        return next(event -> event.get("type").asString().equals(type));
    }

    /** The next event that matches; events before it are passed over. */
    JsonNode next(Predicate<JsonNode> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonNode event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            assertThat(event).as("an expected event within %s", WAIT).isNotNull();
            if (wanted.test(event)) {
                return event;
            }
        }
    }

    /** The next {@code count} chat messages, in the order they arrived; other events are passed over. */
    List<JsonNode> chats(int count) throws InterruptedException {
        List<JsonNode> chats = new ArrayList<>(count);
        while (chats.size() < count) {
            chats.add(next("chat"));
        }
        return chats;
    }

    Close awaitClose() {
        return closed.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    boolean isOpen() {
        return !socket.isOutputClosed() && !closed.isDone();
    }

    /** Leaves with a close handshake (so the server sees a normal leave), then drops the connection. */
    @Override
    public void close() {
        try {
            if (!closed.isDone() && !socket.isOutputClosed()) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
                awaitClose();
            }
        } finally {
            socket.abort();
        }
    }

    static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(node -> names.add(node.asString()));
        return names;
    }

    private final class Listener implements WebSocket.Listener {

        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                events.add(JSON.readTree(partial.toString()));
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Close(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}

package io.sluice.boot.websocket;

import io.sluice.api.Headers;
import io.sluice.api.WebSocketMessage;
import io.sluice.api.WebSocketSession;
import io.sluice.http.QueryParameters;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;

/** A session without a connection, for calling handlers directly: records what is sent and how it closes. */
final class RecordingSession implements WebSocketSession {

    /** A message sent to the client: its kind and payload as text (binary payloads decoded as ISO-8859-1). */
    record Sent(WebSocketMessage.Type type, String payload) {
    }

    private final Map<String, String> pathVariables;
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    final List<Sent> sent = new ArrayList<>();
    int closeCode = -1;
    String closeReason;

    RecordingSession(Map<String, String> pathVariables) {
        this.pathVariables = pathVariables;
    }

    RecordingSession() {
        this(Map.of());
    }

    @Override
    public String id() {
        return "test";
    }

    @Override
    public String path() {
        return "/test";
    }

    @Override
    public Map<String, String> pathVariables() {
        return pathVariables;
    }

    @Override
    public QueryParameters query() {
        return QueryParameters.parse("");
    }

    @Override
    public Headers handshakeHeaders() {
        throw new UnsupportedOperationException();
    }

    @Override
    public String subprotocol() {
        return null;
    }

    @Override
    public Map<String, Object> attributes() {
        return attributes;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 1);
    }

    @Override
    public boolean isOpen() {
        return closeCode == -1;
    }

    @Override
    public CompletionStage<Void> sendText(CharSequence text) {
        return send(WebSocketMessage.text(text));
    }

    @Override
    public CompletionStage<Void> sendBinary(byte[] data) {
        return send(WebSocketMessage.binary(data));
    }

    @Override
    public CompletionStage<Void> send(WebSocketMessage message) {
        sent.add(new Sent(message.type(), message.isText() ? message.text()
                : new String(message.data(), StandardCharsets.ISO_8859_1)));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> ping(byte[] payload) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> close(int code, String reason) {
        if (reason.getBytes(StandardCharsets.UTF_8).length > 123) {
            throw new IllegalArgumentException("A close reason is at most 123 UTF-8 bytes");
        }
        if (isOpen()) {
            closeCode = code;
            closeReason = reason;
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean isWritable() {
        return true;
    }

    @Override
    public CompletionStage<Void> whenWritable() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Flow.Publisher<WebSocketMessage> receive() {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Void> sendAll(Flow.Publisher<WebSocketMessage> messages) {
        throw new UnsupportedOperationException();
    }

    /** The text messages sent, in order. */
    List<String> texts() {
        return sent.stream().filter(s -> s.type() == WebSocketMessage.Type.TEXT).map(Sent::payload).toList();
    }
}

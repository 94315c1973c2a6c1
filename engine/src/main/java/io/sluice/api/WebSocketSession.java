package io.sluice.api;

import io.sluice.http.QueryParameters;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * One WebSocket connection, as the application sees it. Every method is safe to call from any thread.
 *
 * <p>Sends return a stage that completes when the frame has been written to the socket, or
 * exceptionally when the session closed first. Sends are queued without limit, so a producer that
 * can outrun the client should watch {@link #isWritable()} / {@link #whenWritable()}, or feed the
 * session through {@link #sendAll}, which does that for it.
 */
public interface WebSocketSession {

    /** Unique among the sessions of this server. */
    String id();

    /** The request path of the handshake, decoded. */
    String path();

    /** Variables bound by the endpoint's path template. */
    Map<String, String> pathVariables();

    default String pathVariable(String name) {
        return pathVariables().get(name);
    }

    /** Query parameters of the handshake request. */
    QueryParameters query();

    /** Header fields of the handshake request. */
    Headers handshakeHeaders();

    /** The negotiated subprotocol, or {@code null}. */
    String subprotocol();

    /** Application state attached to this session (a concurrent map). */
    Map<String, Object> attributes();

    InetSocketAddress remoteAddress();

    /** Whether messages can still be sent: no close frame has been sent or received. */
    boolean isOpen();

    CompletionStage<Void> sendText(CharSequence text);

    /** Sends {@code data}, which must not change until the returned stage completes. */
    CompletionStage<Void> sendBinary(byte[] data);

    /** Sends a prepared message; the cheapest way to send one message to many sessions. */
    CompletionStage<Void> send(WebSocketMessage message);

    /** Sends a ping (payload up to 125 bytes); the pong arrives at {@link WebSocketHandler#onPong}. */
    CompletionStage<Void> ping(byte[] payload);

    /**
     * Starts the close handshake with {@code code} (any code valid on the wire: 1000-1003, 1007-1014,
     * or 3000-4999, the range for applications) and a reason of at most 123 UTF-8 bytes. The TCP connection closes when the peer answers, or after the close
     * timeout.
     */
    CompletionStage<Void> close(int code, String reason);

    /** {@code close(1000, "")}. */
    default CompletionStage<Void> close() {
        return close(1000, "");
    }

    /**
     * Whether sends are below the outbound high-water mark (with hysteresis down to the low mark).
     * A producer should pause while this is false.
     */
    boolean isWritable();

    /** Completes when the session is writable again (at once if it is), or when it closes. */
    CompletionStage<Void> whenWritable();

    /**
     * The incoming messages as a stream with backpressure: once subscribed, messages go to the
     * subscriber instead of the handler's {@code onText}/{@code onBinary}, only as fast as it requests
     * them; while it has no demand the server stops reading the socket. One subscriber per session;
     * it completes when the session closes normally and fails otherwise.
     */
    Flow.Publisher<WebSocketMessage> receive();

    /**
     * Sends every message of {@code messages}, requesting more only while the session is writable.
     *
     * @return completes when the publisher completed and its last message was written
     */
    CompletionStage<Void> sendAll(Flow.Publisher<WebSocketMessage> messages);
}

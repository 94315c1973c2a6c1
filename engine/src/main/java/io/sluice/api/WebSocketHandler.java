package io.sluice.api;

/**
 * Receives the events of WebSocket sessions. One handler serves every session of its endpoint, so
 * per-session state belongs in {@link WebSocketSession#attributes()}.
 *
 * <p>Callbacks of one session never run concurrently and arrive in order, on the session's event loop
 * or on workers as the endpoint's {@link Dispatch} says. A callback that throws closes the session
 * with 1011 (after {@link #onError}).
 *
 * <p>Messages arrive here unless the application subscribed to {@link WebSocketSession#receive()},
 * which takes them over with demand-driven backpressure.
 */
public interface WebSocketHandler {

    /** The handshake completed; the session may send at once. */
    default void onOpen(WebSocketSession session) throws Exception {
    }

    /** A complete text message (fragments reassembled, UTF-8 validated). */
    default void onText(WebSocketSession session, String text) throws Exception {
    }

    /** A complete binary message. */
    default void onBinary(WebSocketSession session, byte[] data) throws Exception {
    }

    /** A pong, solicited by {@link WebSocketSession#ping} or not. Pings are answered by the server. */
    default void onPong(WebSocketSession session, byte[] payload) throws Exception {
    }

    /**
     * The session closed: {@code code} is the peer's close code (1005 when it sent none), the code we
     * closed with, or 1006 when the connection ended without a close handshake.
     */
    default void onClose(WebSocketSession session, int code, String reason) throws Exception {
    }

    /** A callback failed or the protocol was broken; {@link #onClose} follows. */
    default void onError(WebSocketSession session, Throwable error) {
    }
}

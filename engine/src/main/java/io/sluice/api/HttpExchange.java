package io.sluice.api;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * One request and its response for an {@link ExchangeHandler}, with both bodies streamed and
 * backpressure both ways. Every method is safe to call from any thread; the server hands the call to
 * the connection's event loop.
 *
 * <ul>
 *   <li>The request body is a {@link Flow.Publisher}: the connection reads the socket only while its
 *       subscriber has demand, so a slow consumer slows the client instead of filling memory.
 *   <li>The response is an {@link HttpResponse} whose body may be bytes, a {@link BodyWriter}, or a
 *       publisher ({@link HttpResponse.Builder#publish}), which the server requests from only while the
 *       connection's queued output is below its high-water mark.
 *   <li>{@link #completion()} tells the handler when the response has left, or that the client is gone.
 * </ul>
 *
 * <p>Responses leave in request order: a pipelined request's response waits for the ones before it.
 */
public interface HttpExchange {

    /**
     * The request head: method, target, path, query, headers, version and addresses. Its body is not
     * aggregated: {@link HttpRequest#body()} and {@link HttpRequest#bodyStream()} throw when there is
     * one; read it from {@link #requestBody()}. {@link HttpRequest#trailers()} holds a chunked body's
     * trailer fields once that body has completed.
     */
    HttpRequest request();

    /**
     * The request body as it arrives, for one subscriber. Buffers are new for each signal and belong
     * to the subscriber. Signals arrive on the event loop. While the subscriber has no demand the
     * connection stops reading (at most one read's worth waits); a client that sent
     * {@code Expect: 100-continue} gets its {@code 100} when the subscriber first requests. Cancelling
     * discards the rest of the body as it arrives. The publisher completes at once when the request
     * has no body, and fails with an {@link java.io.IOException} when the body is malformed, too
     * large, too slow, or the client disconnects.
     */
    Flow.Publisher<ByteBuffer> requestBody();

    /**
     * Answers the request; at most once per exchange (including {@link #upgradeToWebSocket}). A
     * published body is subscribed to when the response's turn comes; its head is written with the
     * first buffer or at its end, so a publisher that fails before emitting anything is answered
     * with {@code 500} instead; one that fails later closes the connection (the only way to tell
     * the client the body is incomplete).
     *
     * @throws IllegalStateException when the exchange was already answered
     */
    void respond(HttpResponse response);

    /** Whether {@link #respond} or {@link #upgradeToWebSocket} has been called. */
    boolean isAnswered();

    /**
     * Completes when the response has been written to the socket in full (for an upgrade: when the
     * {@code 101} was handed to the connection). Fails with an {@link java.io.IOException} when the
     * connection closes first: the client disconnected, a write failed or timed out, the server
     * stopped, or the published body failed. Dependent actions may run on the event loop and must not
     * block. This is the signal to cancel work the response no longer needs.
     */
    CompletionStage<Void> completion();

    /**
     * Accepts the request as a WebSocket opening handshake: validates it as a {@link WebSocketRoute}
     * would (method, version, {@code Upgrade}, {@code Connection}, key, version, allowed origins, the
     * server's compression settings), writes the {@code 101} when the exchange's turn comes, and
     * switches the connection to WebSocket. A handshake the server refuses is answered with the
     * refusal's status (400, 403 or 426) and the returned stage fails with a
     * {@link WebSocketHandshakeException}.
     *
     * @param handler     receives the session's events
     * @param subprotocol the subprotocol to accept (it must be among the client's offers to be
     *                    named in the {@code 101}), or {@code null} for none
     * @param dispatch    where the handler's callbacks run
     * @return completes with the open session once the {@code 101} is written and {@code onOpen} has
     *     been dispatched
     * @throws IllegalStateException when the exchange was already answered
     */
    CompletionStage<WebSocketSession> upgradeToWebSocket(WebSocketHandler handler, String subprotocol,
            Dispatch dispatch);
}

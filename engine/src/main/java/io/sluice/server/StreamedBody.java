package io.sluice.server;

import java.io.IOException;

/**
 * The loop's side of a request body that is handed on as it arrives instead of being aggregated: a
 * {@link RequestBodyStream} read by a blocking handler, or a {@link RequestBodyPublisher} for an
 * exchange handler. The connection offers decoded bytes and asks whether to keep reading the socket.
 * Loop thread only.
 */
interface StreamedBody {

    /** Takes decoded body bytes; the range is only valid during the call. */
    void offer(byte[] bytes, int offset, int length);

    /** Whether the consumer is behind: the connection should stop reading the socket. */
    boolean isBackedUp();

    /** Whether the consumer has caught up: a connection that stopped reading may read again. */
    boolean canTakeMore();

    /** The body ended. */
    void complete();

    /** The body cannot be completed (malformed, too large, too slow, connection gone). */
    void fail(IOException reason);

    /**
     * The exchange is done without the rest of its body: drop what waits and discard the rest as it
     * arrives, so the connection can read on to the next request.
     */
    void abandon();
}

package io.sluice.transport;

import java.nio.ByteBuffer;

/**
 * What a {@link Connection} speaks: the codec side of the transport/codec split. All methods run on
 * the connection's event-loop thread, one at a time, so implementations need no synchronisation.
 */
public interface Protocol {

    /**
     * Consumes inbound bytes from {@code in} (a heap buffer, position to limit). Bytes left unconsumed
     * (an incomplete message) are kept by the connection and presented again, followed by the next
     * bytes read, on the next call. The buffer is only valid during the call.
     */
    void onRead(ByteBuffer in);

    /** The peer shut down its output (read returned end of stream). */
    void onInputClosed();

    /** Queued output fell below the low-water mark after having passed the high-water mark. */
    void onWritable();

    /**
     * Bytes were written to the socket; {@code totalWritten} counts every byte this connection has
     * written, so a protocol can tell which of its queued messages have left (see
     * {@link Connection#outputPosition()}).
     */
    default void onOutputWritten(long totalWritten) {
    }

    /** The deadline set with {@link Connection#setReadDeadline} passed. */
    void onReadTimeout();

    /** The server began a graceful shutdown: finish what is in flight, close when idle. */
    void onDrain();

    /** The connection closed; release resources and fail anything still waiting on it. */
    void onClosed(CloseReason reason);
}

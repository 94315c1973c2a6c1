package io.sluice.websocket;

/**
 * Receives the frames {@link FrameDecoder} decodes, as a start, zero or more payload pieces and an
 * end. Calls arrive only for frames whose header passed validation.
 */
public interface FrameSink {

    /**
     * A frame's header is complete and valid.
     *
     * @param opcode        one of the {@link Opcodes} constants (never a reserved value)
     * @param fin           whether this is the last frame of its message (always true for control frames)
     * @param rsv1          the "compressed" bit; only ever set on a text or binary frame, and only when
     *                      the decoder was told an extension allows it
     * @param payloadLength the declared payload length, already checked against the frame size limit
     */
    void onFrameStart(int opcode, boolean fin, boolean rsv1, long payloadLength);

    /**
     * The next {@code length} (at least 1) payload bytes, already unmasked in place in the caller's
     * buffer. A frame's payload may come in any number of pieces, depending on how it arrived. The range
     * is only valid during the call: copy what must be kept.
     */
    void onPayload(byte[] bytes, int offset, int length);

    /** The frame's payload is complete (comes right after {@link #onFrameStart} for an empty payload). */
    void onFrameEnd();

    /**
     * Whether the decoder should stop feeding this sink. The decoder asks after every callback and
     * returns at once when it is true, so a sink that has failed the connection, or seen the close frame
     * after which nothing more may be read, stops decoding without further work.
     */
    default boolean isStopped() {
        return false;
    }
}

package io.sluice.websocket;

import java.util.Arrays;
import java.util.Objects;
import java.util.zip.Deflater;

/**
 * Compresses the messages one session sends with permessage-deflate (RFC 7692 §7.2.1): raw DEFLATE,
 * ended by a sync flush whose trailing {@code 00 00 FF FF} is removed.
 *
 * <p>The native {@link Deflater} is created on the first non-empty message and freed by
 * {@link #release()}, which the session must call when it closes. With
 * {@code server_no_context_takeover} the deflater is reset after every message, so no message refers
 * back to an earlier one; otherwise the window carries over and repeated content compresses better.
 *
 * <p>Not thread-safe: one session, one thread at a time.
 */
public final class MessageDeflater {

    private static final int TAIL_LENGTH = 4;
    private static final byte[] EMPTY_MESSAGE = {0x00};
    private static final int MAX_INITIAL_CAPACITY = 16 * 1024;

    private final int level;
    private final boolean noContextTakeover;
    private Deflater deflater;
    private boolean released;

    /**
     * @param level a {@link Deflater} level, 0-9 or {@link Deflater#DEFAULT_COMPRESSION}
     * @param noContextTakeover whether to reset the compression context after each message
     */
    public MessageDeflater(int level, boolean noContextTakeover) {
        if (level < -1 || level > 9) {
            throw new IllegalArgumentException("compression level must be -1 (default) or 0-9: " + level);
        }
        this.level = level;
        this.noContextTakeover = noContextTakeover;
    }

    /**
     * Compresses one whole message payload.
     *
     * @return the compressed payload to send with RSV1 set (a new array; an empty payload compresses to
     *     the single byte {@code 00}, RFC 7692 §7.2.3.6)
     * @throws IllegalStateException after {@link #release()}
     */
    public byte[] deflate(byte[] payload, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, payload.length);
        if (released) {
            throw new IllegalStateException("deflater released");
        }
        if (length == 0) {
            // A second sync flush without input would produce nothing, and an empty compressed payload is
            // not valid; 00 is an empty stored block without its 00 00 FF FF and decodes to nothing.
            return EMPTY_MESSAGE.clone();
        }
        Deflater d = deflater;
        if (d == null) {
            d = deflater = new Deflater(level, true);
        }
        d.setInput(payload, offset, length);
        byte[] out = new byte[Math.min(length + 64, MAX_INITIAL_CAPACITY)];
        int written = 0;
        while (true) {
            written += d.deflate(out, written, out.length - written, Deflater.SYNC_FLUSH);
            if (written < out.length) {
                break; // output space left over: all input consumed and the flush is complete
            }
            out = Arrays.copyOf(out, out.length * 2);
        }
        if (!d.needsInput() || written < TAIL_LENGTH || out[written - 4] != 0 || out[written - 3] != 0
                || out[written - 2] != (byte) 0xFF || out[written - 1] != (byte) 0xFF) {
            throw new IllegalStateException("sync flush did not end with 00 00 FF FF");
        }
        if (noContextTakeover) {
            d.reset();
        }
        return Arrays.copyOf(out, written - TAIL_LENGTH);
    }

    /** Compresses all of {@code payload}. */
    public byte[] deflate(byte[] payload) {
        return deflate(payload, 0, payload.length);
    }

    /** Frees the native deflater. Idempotent; the deflater cannot be used afterwards. */
    public void release() {
        released = true;
        if (deflater != null) {
            deflater.end();
            deflater = null;
        }
    }

    /** Whether native memory is held (a message was compressed and {@link #release()} not yet called). */
    public boolean isAllocated() {
        return deflater != null;
    }

    public boolean noContextTakeover() {
        return noContextTakeover;
    }
}
